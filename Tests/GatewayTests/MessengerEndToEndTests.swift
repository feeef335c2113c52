import Commerce
import Foundation
import Gateway
import Messenger
import Storage
import TestSupport
import Testing

/// Webhook in, Send API out: a live gateway, a Send API stand-in that fails and rate-limits,
/// and a process killed with SIGKILL right after it acknowledged a batch.
struct MessengerEndToEndTests {
    /// A webhook body with one entry holding `messages` (PSID, text) in order, as Meta sends it.
    static func batch(_ messages: [(psid: String, text: String)], firstTimestamp: Int64 = 1_718_020_000_000) -> [UInt8] {
        let events = messages.enumerated().map { index, message in
            let mid = "m_test_\(message.psid)_\(firstTimestamp + Int64(index))"
            return #"{"sender":{"id":"\#(message.psid)"},"recipient":{"id":"1000000000000001"},"timestamp":\#(firstTimestamp + Int64(index)),"message":{"mid":"\#(mid)","text":\#(quoted(message.text))}}"#
        }
        return Array(#"{"object":"page","entry":[{"id":"1000000000000001","time":\#(firstTimestamp),"messaging":[\#(events.joined(separator: ","))]}]}"#.utf8)
    }

    private static func quoted(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }

    /// Three customers, four messages each, in one batch.
    static let conversation: [(psid: String, text: String)] = {
        let lines = ["dzień dobry", "jakie macie godziny otwarcia w sobotę?", "a jak mogę zapłacić?", "dziękuję, to wszystko"]
        return lines.flatMap { line in ["psid-anna", "psid-jan", "psid-ola"].map { (psid: $0, text: line) } }
    }()

    /// The outbox rows of `recipient` as (id, text), oldest first, and how many are not sent.
    static func outbox(_ database: DatabasePool, recipient: String) throws -> (rows: [(Int64, String)], unsent: Int) {
        try database.read { db in
            let rows = try db.query("SELECT id, text FROM outbox WHERE recipient = ? ORDER BY id", recipient) {
                ($0.int64(0), $0.string(1))
            }
            let unsent = try db.queryFirst("SELECT count(*) FROM outbox WHERE recipient = ? AND status != 'sent'", recipient) {
                $0.int(0)
            } ?? 0
            return (rows, unsent)
        }
    }

    /// With the Send API failing the first requests with 500 and rate-limiting others, every
    /// reply still reaches it exactly once and in order per recipient, even when the batch is
    /// posted three times at once; a customer the platform reports unavailable (551) gets one
    /// attempt, no retry, and the failure is on their conversation.
    @Test func repliesAreDeliveredOnceInOrderDespiteFailures() async throws {
        let graph = try SendAPIStandIn(script: .init(
            failingFirst: 4, rateLimited: [6, 9, 13], permanentErrors: ["psid-gone": "send_api_error_551_user_unavailable.json"]))
        let fixture = try await MessengerFixture {
            $0.delivery = MessengerSendConfiguration(
                apiBase: graph.baseURL, pageToken: "page-token", baseRetryDelay: .milliseconds(20), maxRetryDelay: .milliseconds(200))
        }
        let body = Self.batch(Self.conversation + [(psid: "psid-gone", text: "dzień dobry")])
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<3 { group.addTask { try await fixture.post(body).status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == [200, 200, 200])
        #expect(try await fixture.waitUntilHandled())
        let database = fixture.gateway.database
        let settled = try await blocking {
            try graph.waitUntil(timeout: .seconds(60)) {
                try database.read { db in
                    try db.queryFirst("SELECT count(*) FROM outbox WHERE status = 'pending'") { $0.int(0) } ?? 1
                } == 0
            }
        }
        #expect(settled)
        for psid in ["psid-anna", "psid-jan", "psid-ola"] {
            let (rows, unsent) = try await blocking { try Self.outbox(database, recipient: psid) }
            let delivered = graph.delivered(to: psid)
            #expect(rows.count >= 4, "\(psid)")
            #expect(unsent == 0, "\(psid)")
            #expect(delivered.map(\.metadata) == rows.map { "outbox:\($0.0)" }, "\(psid): each reply once, in order")
            #expect(delivered.map(\.text) == rows.map(\.1), "\(psid)")
            #expect(delivered.allSatisfy { $0.messagingType == "RESPONSE" && $0.accessToken == "page-token" })
        }
        let gone = graph.requests.filter { $0.recipient == "psid-gone" }
        let (goneRows, _) = try await blocking { try Self.outbox(database, recipient: "psid-gone") }
        let failure = try await blocking {
            try database.read { db in
                try db.queryFirst("SELECT status, last_error FROM outbox WHERE recipient = 'psid-gone'") {
                    ($0.string(0), $0.optionalString(1))
                }
            }
        }
        let transcript = try await fixture.transcript("psid-gone")
        let customerMessages = try await fixture.count("SELECT count(*) FROM messages WHERE author = 'customer'")
        await fixture.stop()
        await graph.stop()
        #expect(gone.count == goneRows.count, "one attempt per reply, no retries")
        #expect(failure?.0 == "failed")
        #expect(failure?.1?.contains("551") == true)
        #expect(transcript.contains { $0.hasPrefix("system:") })
        #expect(customerMessages == Self.conversation.count + 1)
    }

    /// `orderbot serve` killed with SIGKILL right after it answered 200 to a batch, while the
    /// Send API was down: started again (the Send API back), it handles every event and delivers
    /// every reply, none twice.
    @Test func killedAfterAcknowledgingFinishesOnRestart() async throws {
        let directory = TemporaryDirectory()
        let down = try SendAPIStandIn(script: .init(failingFirst: 1_000_000))
        let up = try SendAPIStandIn()
        let customers = (1...10).map { "psid-\($0)" }
        let messages = ["dzień dobry", "jakie macie godziny otwarcia?", "dziękuję"].flatMap { text in
            customers.map { (psid: $0, text: text) }
        }
        let body = Self.batch(messages)
        @Sendable func serve(_ graph: SendAPIStandIn) throws -> ServerProcess {
            try ServerProcess(["serve", "--port", "0", "--db", directory.path("crash.sqlite")], environment: [
                "ORDERBOT_MESSENGER_APP_SECRET": MessengerFixture.appSecret, "ORDERBOT_MESSENGER_PAGE_TOKEN": "page-token",
                "ORDERBOT_MESSENGER_API_BASE": graph.baseURL, "ORDERBOT_LOG": "info",
            ])
        }
        let acknowledged = try await blocking { () -> Int in
            let first = try serve(down)
            let port = try first.waitForPort()
            let response = try HTTPTestClient(port: port).post("/webhooks/messenger", body: body, headers: [
                "Content-Type": "application/json", "X-Hub-Signature-256": MessengerFixture.signature(body),
            ])
            first.send(signal: SIGKILL)
            _ = first.waitForExit()
            return response.status
        }
        #expect(acknowledged == 200)
        let (afterKill, restartLog) = try await blocking { () -> (Int, String) in
            let afterKill = try Self.count(directory, "SELECT count(*) FROM inbox")
            let second = try serve(up)
            _ = try second.waitForPort()
            let settled = up.waitUntil(timeout: .seconds(60)) {
                (try? Self.count(directory, "SELECT count(*) FROM inbox WHERE status = 'pending'")) == 0
                    && (try? Self.count(directory, "SELECT count(*) FROM outbox WHERE status != 'sent'")) == 0
            }
            second.send(signal: SIGTERM)
            _ = second.waitForExit()
            return (settled ? afterKill : -1, second.standardError)
        }
        #expect(afterKill == messages.count, "every event of the acknowledged batch was in the inbox: \(restartLog.suffix(2_000))")
        let sentRows = try Self.count(directory, "SELECT count(*) FROM outbox WHERE status = 'sent'")
        let customerMessages = try Self.count(directory, "SELECT count(*) FROM messages WHERE author = 'customer'")
        let delivered = up.delivered
        await down.stop()
        await up.stop()
        #expect(customerMessages == messages.count)
        #expect(delivered.count == sentRows)
        #expect(Set(delivered.compactMap(\.metadata)).count == delivered.count, "no reply twice")
        #expect(down.delivered.isEmpty)
        for psid in customers {
            #expect(delivered.filter { $0.recipient == psid }.count >= 3, "\(psid)")
        }
    }

    /// The first integer of `sql` in the crash test's database, read without the gateway.
    private static func count(_ directory: TemporaryDirectory, _ sql: String) throws -> Int {
        let database = try Database(path: directory.path("crash.sqlite"), readOnly: true)
        return try database.queryFirst(sql) { $0.int(0) } ?? 0
    }
}
