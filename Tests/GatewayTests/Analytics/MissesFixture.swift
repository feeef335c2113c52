import Commerce
import Foundation
import Gateway
import Messenger
import NLU
import Storage
import Telemetry
import TestSupport
import WebServer

/// A live gateway on port 0 for the misses of the shop owner's view: Messenger's signed webhook
/// as the customers' channel, the admin token, and a classifier of its own (trained at start
/// from Intents/ and the labels in the database, as `orderbot serve` trains it), so what a test
/// teaches it reaches no other test.
final class MissesFixture: Sendable {
    static let adminToken = "misses-admin-token"

    let directory: TemporaryDirectory
    let gateway: Gateway
    private let running: RunningGateway

    /// A gateway on a fresh database, or on `earlier`'s (a restart).
    init(restarting earlier: MissesFixture? = nil) async throws {
        let directory = earlier?.directory ?? TemporaryDirectory()
        let configuration = GatewayConfiguration(
            server: ServerConfiguration(port: 0), database: DatabaseConfiguration(path: directory.path("misses.sqlite")),
            adminToken: Self.adminToken,
            messenger: MessengerSettings(appSecret: MessengerFixture.appSecret, verifyToken: MessengerFixture.verifyToken))
        self.directory = directory
        gateway = try await blocking { try Gateway(configuration: configuration, logger: Logger(level: .error, sink: MemoryLogSink())) }
        running = try RunningGateway(gateway)
    }

    func stop() async {
        await running.stop()
    }

    /// One customer message from `psid` through the signed webhook, handled before this returns.
    func message(from psid: String, _ text: String) async throws {
        let body = MessengerEndToEndTests.batch([(psid: psid, text: text)], firstTimestamp: 1_718_020_000_000)
        let headers = ["Content-Type": "application/json", "X-Hub-Signature-256": MessengerFixture.signature(body)]
        let response = try await send { try $0.post("/webhooks/messenger", body: body, headers: headers) }
        guard response.status == 200 else { throw MissesFixtureError.webhookRefused(response.status) }
        let database = gateway.database
        let handled = try await blocking {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                if try database.read({ db in try Inbox().depth(channel: .messenger, in: db) }) == 0 { return true }
                Thread.sleep(forTimeInterval: 0.01)
            }
            return false
        }
        if !handled { throw MissesFixtureError.notHandled(text) }
    }

    /// `GET path`, with `token` as the bearer token when given.
    func get(_ path: String, token: String? = adminToken) async throws -> RawHTTPResponse {
        try await send { try $0.get(path, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:]) }
    }

    /// `POST path` with a JSON body.
    func post(
        _ path: String, json: String, token: String? = adminToken, contentType: String = "application/json"
    ) async throws -> RawHTTPResponse {
        var headers = ["Content-Type": contentType]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        let sent = headers
        return try await send { try $0.post(path, body: Array(json.utf8), headers: sent) }
    }

    /// The listed groups of `GET /api/analytics/misunderstood` (with `query`).
    func groups(_ query: String = "") async throws -> [[String: Any]] {
        let response = try await get("/api/analytics/misunderstood" + query)
        guard response.status == 200, let groups = response.json?["groups"] as? [[String: Any]] else {
            throw MissesFixtureError.refused(response.status, response.text)
        }
        return groups
    }

    /// The intent stored with the customer's latest message `text`.
    func storedIntent(of text: String) async throws -> String? {
        let database = gateway.database
        return try await blocking {
            try database.read { db in
                try db.queryFirst(
                    "SELECT intent FROM messages WHERE author = 'customer' AND text = ? ORDER BY id DESC LIMIT 1", text,
                    as: { $0.optionalString(0) }) ?? nil
            }
        }
    }

    /// The count `sql` gives.
    func count(_ sql: String) async throws -> Int {
        let database = gateway.database
        return try await blocking { try database.read { db in try db.queryFirst(sql, as: { $0.int(0) }) ?? 0 } }
    }

    /// Each of `messages` (a text and its time, UTC ISO 8601) from one Messenger customer, written
    /// straight into the transcript as out of scope; the messages' ids.
    func seedMisses(_ messages: [(text: String, time: String)]) async throws -> [Int64] {
        let database = gateway.database
        return try await blocking {
            try database.write { db in
                let customer = try Customers().resolve(Identity(.messenger, "psid-seeded"), in: db)
                let conversation = try Conversations().open(customer: customer, channel: .messenger, externalID: "psid-seeded", in: db)
                return try messages.map { message in
                    let stamp = Timestamps.date(message.time) ?? .distantPast
                    return try Conversations(now: { stamp }).append(
                        .fromCustomer(message.text, intent: "out_of_scope", confidence: 0.9), to: conversation.id, in: db).id
                }
            }
        }
    }

    /// Labels message `id` as `intent`, as agent `agent` does in the console.
    func label(_ id: Int64, as intent: String, by agent: String) async throws {
        let database = gateway.database
        _ = try await blocking { try database.write { db in try IntentLabels().record(messageID: id, intent: intent, agent: agent, in: db) } }
    }

    /// A new enabled agent's token.
    func agentToken() async throws -> String {
        let database = gateway.database
        return try await blocking { try database.write { db in try Agents().add(name: "ania", in: db).token } }
    }

    private func send(_ request: @escaping @Sendable (HTTPTestClient) throws -> RawHTTPResponse) async throws -> RawHTTPResponse {
        let client = HTTPTestClient(port: gateway.port)
        return try await blocking { try request(client) }
    }
}

enum MissesFixtureError: Error {
    case webhookRefused(Int)
    case notHandled(String)
    case refused(Int, String)
}
