import Commerce
import Foundation
@testable import Messenger
import Storage
import Telemetry
import TestSupport
import Testing

/// An outbox on a fresh SQLite file and a Send API stand-in, between which workers deliver.
final class DeliveryFixture: Sendable {
    static let token = "page-token"

    let directory = TemporaryDirectory()
    let database: DatabasePool
    let graph: SendAPIStandIn
    let metrics = MetricsRegistry()
    let logs = MemoryLogSink()

    init(_ script: SendAPIStandIn.Script = .init()) throws {
        database = try DatabasePool(DatabaseConfiguration(path: directory.path("delivery.sqlite")), migrator: Schema.migrator())
        graph = try SendAPIStandIn(script: script)
    }

    /// Settings with waits short enough for tests (retries after at most 200 ms).
    func configuration(pageToken: String? = token, requestTimeout: Duration = .seconds(5)) -> MessengerSendConfiguration {
        MessengerSendConfiguration(
            apiBase: graph.baseURL, pageToken: pageToken, baseRetryDelay: .milliseconds(20),
            maxRetryDelay: .milliseconds(200), requestTimeout: requestTimeout, pollInterval: .milliseconds(50))
    }

    func worker(_ configuration: MessengerSendConfiguration? = nil, on database: DatabasePool? = nil) -> MessengerDelivery {
        MessengerDelivery(
            database: database ?? self.database, configuration: configuration ?? self.configuration(), metrics: metrics,
            logger: Logger(level: .debug, sink: logs))
    }

    /// Queues a reply to `psid` the way a turn does: the customer and their conversation, the
    /// customer's message (`customerWrote` seconds ago, when given), the reply in the outbox.
    @discardableResult
    func enqueue(
        _ text: String, to psid: String, author: MessageAuthor = .bot, quickReplies: String = "[]",
        customerWrote: TimeInterval? = 60
    ) async throws -> Int64 {
        try await database.write { db in
            let customer = try Customers().resolve(Identity(.messenger, psid), in: db)
            let conversation = try Conversations().open(customer: customer, channel: .messenger, externalID: psid, in: db)
            if let customerWrote {
                try Conversations(now: { Date().addingTimeInterval(-customerWrote) }).append(
                    .fromCustomer("dzień dobry", intent: nil, confidence: nil), to: conversation.id, in: db)
            }
            return try Outbox().enqueue(
                conversation: conversation.id, channel: .messenger, recipient: psid, author: author, text: text,
                quickRepliesJSON: quickReplies, in: db)
        }
    }

    func item(_ id: Int64) async throws -> OutboxItem {
        try #require(try await database.read { db in try Outbox().find(id, in: db) })
    }

    /// How many replies have `status` (a blocking read, for `waitUntil` conditions).
    func count(_ status: OutboxStatus, in database: DatabasePool? = nil) throws -> Int {
        try (database ?? self.database).read { db in
            try db.queryFirst("SELECT count(*) FROM outbox WHERE status = ?", status.rawValue) { $0.int(0) } ?? 0
        }
    }

    /// Waits off the cooperative pool until `condition` holds; false when it did not in time.
    func waitUntil(timeout: Duration = .seconds(20), _ condition: @escaping @Sendable () throws -> Bool) async throws -> Bool {
        try await blocking { [graph] in try graph.waitUntil(timeout: timeout, condition) }
    }

    func pause(_ seconds: Double) async throws {
        try await blocking { Thread.sleep(forTimeInterval: seconds) }
    }

    func replies(_ result: String) -> Double {
        metrics.counter("orderbot_outbox_replies_total", help: "", labels: ["channel", "result"]).value("messenger", result)
    }

    func errors(_ code: String) -> Double {
        metrics.counter("orderbot_send_api_errors_total", help: "", labels: ["code"]).value(code)
    }

    func depth() -> Double {
        metrics.gauge("orderbot_outbox_depth", help: "", labels: ["channel"]).value("messenger")
    }
}

/// A reply long enough to need three messages: Polish sentences with diacritics and emoji.
let longPolishReply = (1...60).map { number in
    "Zdanie numer \(number): zażółć gęślą jaźń, a buty do biegania 👟 są już w drodze 🚚!"
}.joined(separator: " ")

@Suite("MessengerDelivery worker")
struct MessengerDeliveryWorkerTests {
    /// Every reply goes out exactly once and in order per recipient, although the first requests
    /// fail with HTTP 500 and some are rate limited.
    @Test func deliversEveryReplyOnceInOrderDespiteFailures() async throws {
        let fixture = try DeliveryFixture(.init(failingFirst: 4, rateLimited: [7, 9]))
        let recipients = ["psid-a", "psid-b", "psid-c"]
        var ids: [Int64] = []
        for number in 1...4 {
            for psid in recipients { ids.append(try await fixture.enqueue("odpowiedź \(number) dla \(psid)", to: psid)) }
        }
        let worker = fixture.worker()
        let workerRunning = RunningService(worker)
        #expect(try await fixture.waitUntil { try fixture.count(.sent) == 12 && fixture.depth() == 0 })
        try await workerRunning.stop()
        for psid in recipients {
            #expect(fixture.graph.delivered(to: psid).map(\.text) == (1...4).map { "odpowiedź \($0) dla \(psid)" })
        }
        let delivered = fixture.graph.delivered
        #expect(delivered.count == 12)
        #expect(Set(delivered.compactMap(\.metadata)) == Set(ids.map { "outbox:\($0)" }))
        #expect(fixture.graph.requests.count == 12 + 4 + 2)
        #expect(fixture.graph.requests.allSatisfy { $0.accessToken == DeliveryFixture.token && $0.messagingType == "RESPONSE" })
        #expect(fixture.replies("sent") == 12)
        #expect(fixture.replies("retried") == 6)
        #expect(fixture.errors("http_500") == 4)
        #expect(fixture.errors("613") == 2)
        await fixture.graph.stop()
    }

    /// A person who is not available (551/1545041) is asked once: the reply fails with the
    /// error, the transcript says so, and other recipients are not held up.
    @Test func unavailablePersonIsNotRetried() async throws {
        let fixture = try DeliveryFixture(.init(permanentErrors: ["psid-gone": "send_api_error_551_user_unavailable.json"]))
        let gone = try await fixture.enqueue("Twoje zamówienie jest w drodze.", to: "psid-gone")
        let fine = try await fixture.enqueue("Dziękujemy!", to: "psid-fine")
        let worker = fixture.worker()
        let workerRunning = RunningService(worker)
        #expect(try await fixture.waitUntil { try fixture.count(.failed) == 1 && fixture.count(.sent) == 1 })
        try await fixture.pause(0.2)
        try await workerRunning.stop()
        #expect(fixture.graph.requests.filter { $0.recipient == "psid-gone" }.count == 1)
        let failed = try await fixture.item(gone)
        #expect(failed.status == .failed)
        #expect(failed.attempts == 1)
        #expect(failed.lastError == "551/1545041 This person isn't available right now.")
        #expect(try await fixture.item(fine).status == .sent)
        let transcript = try await fixture.database.read { db in try Conversations().messages(of: failed.conversationID, in: db) }
        let note = try #require(transcript.last)
        #expect(note.author == .system && note.direction == .outbound)
        #expect(note.text.contains("551/1545041 This person isn't available right now."))
        let escalation = try await fixture.database.read { db in
            try Escalations().escalations(ofCustomer: try #require(try Conversations().find(failed.conversationID, in: db)).customerID, in: db)
        }
        #expect(escalation.map(\.reason) == [.deliveryFailure], "a person decides how else to reach the customer")
        #expect(escalation.first?.priority == 45)
        #expect(fixture.replies("failed") == 1)
        #expect(fixture.errors("551/1545041") == 1)
        #expect(fixture.logs.lines.contains {
            $0.contains("a Messenger reply was given up") && $0.contains("fbtrace_id=AfLp7Qs2Wd9xK3mN5bV8hYz")
        })
        await fixture.graph.stop()
    }

    /// An invalid page token (190) is not retried either, and is logged as an error.
    @Test func invalidTokenIsNotRetried() async throws {
        let fixture = try DeliveryFixture(.init(permanentErrors: ["psid-1": "send_api_error_190_invalid_token.json"]))
        let id = try await fixture.enqueue("Cześć!", to: "psid-1")
        let worker = fixture.worker()
        let workerRunning = RunningService(worker)
        #expect(try await fixture.waitUntil { try fixture.count(.failed) == 1 })
        try await fixture.pause(0.2)
        try await workerRunning.stop()
        #expect(fixture.graph.requests.count == 1)
        #expect(try await fixture.item(id).lastError == "190 Invalid OAuth access token - Cannot parse access token")
        #expect(fixture.logs.lines.contains { $0.contains("level=error") && $0.contains("a Messenger reply was given up") })
        #expect(try await fixture.database.read { db in try Escalations().list(in: db) }.isEmpty,
                "a refused Page token is the operator's to fix, not the agents' queue's")
        await fixture.graph.stop()
    }

    /// A long reply goes out as several messages, each once and in order, quick replies on the
    /// last; the outbox counts the parts.
    @Test func longReplyIsSplitAndEachPartSentOnce() async throws {
        let fixture = try DeliveryFixture()
        let quickReplies = #"[{"title":"Status zamówienia","payload":"ORDER_STATUS"},"#
            + #"{"title":"Porozmawiaj z konsultantem","payload":"HUMAN_AGENT"}]"#
        let id = try await fixture.enqueue(longPolishReply, to: "psid-1", quickReplies: quickReplies)
        let worker = fixture.worker()
        let workerRunning = RunningService(worker)
        #expect(try await fixture.waitUntil { try fixture.count(.sent) == 1 })
        try await workerRunning.stop()
        let parts = MessageSplitter.split(longPolishReply)
        #expect(parts.count == 3)
        let sent = fixture.graph.delivered(to: "psid-1")
        #expect(sent.compactMap(\.text) == parts)
        #expect(sent.allSatisfy { ($0.text?.utf16.count ?? 0) <= 2000 && $0.metadata == "outbox:\(id)" })
        #expect(sent.dropLast().allSatisfy { $0.quickReplies.isEmpty })
        #expect(sent.last?.quickReplies == [
            .init(title: "Status zamówienia", payload: "ORDER_STATUS"), .init(title: "Porozmawiaj…", payload: "HUMAN_AGENT"),
        ])
        let item = try await fixture.item(id)
        #expect(item.partsSent == 3)
        #expect(item.platformMessageID == sent.last?.messageID)
        await fixture.graph.stop()
    }

    /// A split reply that got one part out before a restart continues with the second part.
    @Test func splitReplyResumesAtTheFirstUnsentPart() async throws {
        let fixture = try DeliveryFixture()
        let id = try await fixture.enqueue(longPolishReply, to: "psid-1")
        try await fixture.database.write { db in
            _ = try Outbox().markPartSent(id, partsSent: 1, platformMessageID: "m_before", in: db)
        }
        let worker = fixture.worker()
        let workerRunning = RunningService(worker)
        #expect(try await fixture.waitUntil { try fixture.count(.sent) == 1 })
        try await workerRunning.stop()
        let remaining = Array(MessageSplitter.split(longPolishReply).dropFirst())
        #expect(fixture.graph.delivered(to: "psid-1").compactMap(\.text) == remaining)
        await fixture.graph.stop()
    }

    /// Without a page token nothing is sent: replies stay pending, untouched, and are counted.
    @Test func noPageTokenSendsNothing() async throws {
        let fixture = try DeliveryFixture()
        let worker = fixture.worker(fixture.configuration(pageToken: nil))
        let workerRunning = RunningService(worker)
        let id = try await fixture.enqueue("Cześć!", to: "psid-1")
        worker.wake()
        #expect(try await fixture.waitUntil { fixture.depth() == 1 })
        try await fixture.pause(0.3)
        try await workerRunning.stop()
        #expect(fixture.graph.requests.isEmpty)
        let item = try await fixture.item(id)
        #expect(item.status == .pending && item.attempts == 0)
        await fixture.graph.stop()
    }

    /// A worker stopped halfway (with a request in flight and a split reply half sent) and a new
    /// one on the same database file deliver everything once, in order.
    @Test func restartOnTheSameFileResumesWithoutDuplicates() async throws {
        let fixture = try DeliveryFixture(.init(answerDelay: .milliseconds(30)))
        var expected: [String: [String]] = [:]
        for number in 1...8 {
            let text = number == 4 ? longPolishReply : "wiadomość \(number)"
            try await fixture.enqueue(text, to: "psid-a")
            expected["psid-a", default: []] += MessageSplitter.split(text)
            try await fixture.enqueue("message \(number)", to: "psid-b")
            expected["psid-b", default: []].append("message \(number)")
        }
        let first = fixture.worker()
        let firstRunning = RunningService(first)
        #expect(try await fixture.waitUntil { fixture.graph.delivered(to: "psid-a").count >= 5 })
        try await firstRunning.stop()
        let sentBefore = fixture.graph.requests.count
        try await fixture.pause(0.2)
        #expect(fixture.graph.requests.count == sentBefore)
        #expect(try fixture.count(.pending) > 0)
        fixture.database.close()

        let reopened = try DatabasePool(DatabaseConfiguration(path: fixture.database.path), migrator: Schema.migrator())
        let second = fixture.worker(on: reopened)
        let secondRunning = RunningService(second)
        #expect(try await fixture.waitUntil { try fixture.count(.sent, in: reopened) == 16 })
        try await secondRunning.stop()
        for (psid, texts) in expected {
            #expect(fixture.graph.delivered(to: psid).compactMap(\.text) == texts)
        }
        #expect(fixture.graph.requests.count == fixture.graph.delivered.count)
        #expect(fixture.graph.requests.count > sentBefore)
        reopened.close()
        await fixture.graph.stop()
    }

    /// An agent's reply goes as a RESPONSE inside the 24-hour window and with the HUMAN_AGENT
    /// tag after it; a bot reply is always a RESPONSE.
    @Test func agentReplyAfterTheWindowUsesTheHumanAgentTag() async throws {
        let fixture = try DeliveryFixture()
        try await fixture.enqueue("Dzień dobry, tu Ewa.", to: "psid-late", author: .agent, customerWrote: 25 * 3600)
        try await fixture.enqueue("Dzień dobry, tu Ewa.", to: "psid-recent", author: .agent, customerWrote: 3600)
        try await fixture.enqueue("Dzień dobry!", to: "psid-bot", author: .bot, customerWrote: 25 * 3600)
        let worker = fixture.worker()
        let workerRunning = RunningService(worker)
        #expect(try await fixture.waitUntil { try fixture.count(.sent) == 3 })
        try await workerRunning.stop()
        let late = try #require(fixture.graph.delivered(to: "psid-late").first)
        #expect(late.messagingType == "MESSAGE_TAG" && late.tag == "HUMAN_AGENT")
        for psid in ["psid-recent", "psid-bot"] {
            let send = try #require(fixture.graph.delivered(to: psid).first)
            #expect(send.messagingType == "RESPONSE" && send.tag == nil)
        }
        await fixture.graph.stop()
    }

    /// A request that times out may have been delivered: it is retried once, and a second
    /// timeout gives the reply up rather than risk more duplicates.
    @Test func aTimeoutIsRetriedAtMostOnce() async throws {
        let fixture = try DeliveryFixture(.init(late: [1, 2], lateBy: .seconds(2)))
        let id = try await fixture.enqueue("Cześć!", to: "psid-1")
        let worker = fixture.worker(fixture.configuration(requestTimeout: .seconds(1)))
        let workerRunning = RunningService(worker)
        #expect(try await fixture.waitUntil { try fixture.count(.failed) == 1 })
        try await workerRunning.stop()
        #expect(fixture.graph.requests.count == 2)
        let item = try await fixture.item(id)
        #expect(item.lastError?.hasPrefix("timeout: ") == true)
        #expect(fixture.errors("timeout") == 2)
        await fixture.graph.stop()
    }

    /// After one timeout, a retry that gets through delivers the reply.
    @Test func aRetryAfterATimeoutDelivers() async throws {
        let fixture = try DeliveryFixture(.init(late: [1], lateBy: .seconds(2)))
        let id = try await fixture.enqueue("Cześć!", to: "psid-1")
        let worker = fixture.worker(fixture.configuration(requestTimeout: .seconds(1)))
        let workerRunning = RunningService(worker)
        #expect(try await fixture.waitUntil { try fixture.count(.sent) == 1 })
        try await workerRunning.stop()
        #expect(fixture.graph.requests.count == 2)
        #expect(try await fixture.item(id).platformMessageID == "m_2")
        await fixture.graph.stop()
    }
}

@Suite("MessengerDelivery outbox order")
struct MessengerDeliveryOutboxTests {
    /// Only each recipient's oldest pending reply is due, and only once its time has come; a
    /// reply that failed for good no longer holds the next one back.
    @Test func aLaterReplyNeverOvertakesAnEarlierOne() async throws {
        let fixture = try DeliveryFixture()
        let first = try await fixture.enqueue("pierwsza", to: "psid-1")
        let second = try await fixture.enqueue("druga", to: "psid-1")
        let other = try await fixture.enqueue("inna", to: "psid-2")
        let now = Date().addingTimeInterval(1)
        func due() async throws -> [Int64] {
            try await fixture.database.read { db in try Outbox().due(channel: .messenger, now: now, in: db).map(\.id) }
        }
        #expect(try await due() == [first, other])
        try await fixture.database.write { db in
            _ = try Outbox().scheduleRetry(first, at: now.addingTimeInterval(60), error: "http_500 HTTP 500", in: db)
        }
        #expect(try await due() == [other])
        let heads = try await fixture.database.read { db in try Outbox().heads(channel: .messenger, in: db).map(\.id) }
        #expect(heads == [other, first])
        try await fixture.database.write { db in
            _ = try Outbox().markFailed(first, error: "551/1545041 gone", in: db)
            _ = try Outbox().markSent(other, platformMessageID: "m_1", in: db)
        }
        #expect(try await due() == [second])
        #expect(try await fixture.database.read { db in try Outbox().due(channel: .web, now: now, in: db) }.isEmpty)
        await fixture.graph.stop()
    }

    /// Depth and the oldest pending age are reported per channel.
    @Test func backlogIsCountedPerChannel() async throws {
        let fixture = try DeliveryFixture()
        try await fixture.enqueue("a", to: "psid-1")
        try await fixture.enqueue("b", to: "psid-2")
        let later = Date().addingTimeInterval(30)
        let (depth, age, backlog) = try await fixture.database.read { db in
            (try Outbox().depth(channel: .messenger, in: db),
             try Outbox().oldestPendingAge(channel: .messenger, now: later, in: db),
             try Outbox().backlog(in: db))
        }
        #expect(depth == 2)
        #expect(age > 29 && age < 40)
        #expect(backlog.first { $0.channel == .messenger }?.depth == 2)
        #expect(backlog.first { $0.channel == .web }?.depth == 0)
        await fixture.graph.stop()
    }
}

@Suite("MessengerDelivery request bodies")
struct MessengerDeliveryRequestTests {
    /// The body matches outbound/send_text_with_quick_replies.json, except where the fixture
    /// breaks Meta's rules: `metadata` belongs inside `message` (as the echo fixture shows it),
    /// and a 26-character title is over the 20 allowed.
    @Test func bodyMatchesTheQuickRepliesFixture() throws {
        let request = SendRequest(
            recipient: "3000000000000002", messagingType: .response, text: "Jaki rozmiar Cię interesuje?",
            quickReplies: [
                .init(title: "41", payload: "SIZE_41"), .init(title: "42", payload: "SIZE_42"),
                .init(title: "Porozmawiaj z konsultantem", payload: "HUMAN_AGENT"),
            ],
            metadata: "gw:conv-91bd")
        var expected = try json(SendAPIStandIn.fixture("outbound/send_text_with_quick_replies.json"))
        var message = try #require(expected["message"] as? [String: Any])
        message["metadata"] = expected.removeValue(forKey: "metadata")
        var replies = try #require(message["quick_replies"] as? [[String: Any]])
        replies[2]["title"] = "Porozmawiaj…"
        message["quick_replies"] = replies
        expected["message"] = message
        #expect(try canonical(request.body()) == canonical(expected))
    }

    /// An agent's reply outside the window matches outbound/send_human_agent_tag.json (plus our
    /// metadata).
    @Test func agentBodyMatchesTheHumanAgentFixture() throws {
        let text = "Hi, this is Ewa from support - your replacement pair was dispatched today."
        let request = SendRequest(
            recipient: "3000000000000001", messagingType: .humanAgent, text: text, quickReplies: [], metadata: "outbox:9")
        var body = try json(request.body())
        var message = try #require(body["message"] as? [String: Any])
        #expect(message.removeValue(forKey: "metadata") as? String == "outbox:9")
        body["message"] = message
        #expect(try canonical(body) == canonical(json(SendAPIStandIn.fixture("outbound/send_human_agent_tag.json"))))
    }

    /// Titles over 20 UTF-16 units are cut at a word, without a dangling one-letter word, with
    /// an ellipsis; at most 13 quick replies are sent.
    @Test func quickRepliesAreFittedToMessengersLimits() throws {
        #expect(SendQuickReply.shortened("Porozmawiaj z konsultantem") == "Porozmawiaj…")
        #expect(SendQuickReply.shortened("Sprawdź status zamówienia") == "Sprawdź status…")
        #expect(SendQuickReply.shortened("Konstantynopolitańczykowianeczka") == "Konstantynopolitańc…")
        #expect(SendQuickReply.shortened("  Tak  ") == "Tak")
        #expect(SendQuickReply.shortened("👟👟👟👟👟👟👟👟👟👟👟") == "👟👟👟👟👟👟👟👟👟…")
        let many = (1...15).map { SendQuickReply(title: "\($0)", payload: "P\($0)") }
        let request = SendRequest(recipient: "p", messagingType: .response, text: "?", quickReplies: many, metadata: "m")
        let message = try #require(try json(request.body())["message"] as? [String: Any])
        #expect((message["quick_replies"] as? [Any])?.count == 13)
        #expect(SendQuickReply.list(fromJSON: "not json").isEmpty)
    }

    /// Bot replies are RESPONSEs; an agent's needs the HUMAN_AGENT tag 24 hours after the
    /// customer last wrote (or when they never did).
    @Test func messagingTypeFollowsTheWindow() {
        let now = Date()
        func type(_ author: MessageAuthor, wroteAgo seconds: TimeInterval?) -> SendMessagingType {
            SendMessagingType.forReply(from: author, customerLastWroteAt: seconds.map { now.addingTimeInterval(-$0) }, now: now)
        }
        #expect(type(.bot, wroteAgo: 90_000) == .response)
        #expect(type(.agent, wroteAgo: 3_600) == .response)
        #expect(type(.agent, wroteAgo: 86_400) == .humanAgent)
        #expect(type(.agent, wroteAgo: nil) == .humanAgent)
    }

    private func json(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func canonical(_ data: Data) throws -> String {
        try canonical(json(data))
    }

    private func canonical(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}

@Suite("MessengerDelivery splitting")
struct MessengerDeliverySplittingTests {
    /// A reply that fits is one part, unchanged.
    @Test func aShortReplyIsOnePart() {
        #expect(MessageSplitter.split("Dziękujemy za zamówienie!") == ["Dziękujemy za zamówienie!"])
        #expect(MessageSplitter.split("") == [""])
    }

    /// Parts end after a sentence when one ends in the second half of the allowed length.
    @Test func partsEndAfterSentences() {
        let text = "Pierwsze zdanie jest tu. Drugie zdanie też! Trzecie?"
        #expect(MessageSplitter.split(text, limit: 30) == ["Pierwsze zdanie jest tu.", "Drugie zdanie też! Trzecie?"])
        #expect(MessageSplitter.split("Linia pierwsza\nlinia druga i trzecia", limit: 20)
            == ["Linia pierwsza", "linia druga i", "trzecia"])
    }

    /// Without a sentence end a part ends at whitespace, and a word longer than a part is cut.
    @Test func thenAtWhitespaceThenInsideAWord() {
        #expect(MessageSplitter.split("ala ma kota i psa", limit: 8) == ["ala ma", "kota i", "psa"])
        #expect(MessageSplitter.split("abcdefghij", limit: 4) == ["abcd", "efgh", "ij"])
    }

    /// Length is counted in UTF-16 units: Polish letters count one, emoji two, and no
    /// character is ever cut in half.
    @Test func countsUTF16UnitsAndKeepsCharactersWhole() {
        #expect(MessageSplitter.split("👟👟👟", limit: 4) == ["👟👟", "👟"])
        #expect(MessageSplitter.split("👨‍👩‍👧 ok", limit: 9) == ["👨‍👩‍👧", "ok"])
        let parts = MessageSplitter.split(longPolishReply)
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { $0.utf16.count <= 2000 && $0.hasSuffix("!") })
        #expect(parts.joined(separator: " ") == longPolishReply)
    }
}

@Suite("MessengerDelivery response classification")
struct MessengerDeliveryClassificationTests {
    /// Every Send API fixture is classified by its code and subcode.
    @Test(arguments: [
        ("send_api_error_1200_temporary_failure.json", SendFailure.Kind.temporary, "1200"),
        ("send_api_error_613_rate_limit.json", .rateLimited, "613"),
        ("send_api_error_190_invalid_token.json", .permanent, "190"),
        ("send_api_error_551_user_unavailable.json", .permanent, "551/1545041"),
        ("send_api_error_10_2018278_outside_window.json", .permanent, "10/2018278"),
        ("send_api_error_10_2018300_thread_owned_by_other_app.json", .permanent, "10/2018300"),
    ])
    func errorFixturesAreClassified(fixture: String, kind: SendFailure.Kind, code: String) throws {
        guard case .failed(let failure) = SendOutcome.classify(status: 400, body: SendAPIStandIn.fixture(fixture)) else {
            Issue.record("\(fixture) was taken for a success")
            return
        }
        #expect(failure.kind == kind)
        #expect(failure.code == code)
        #expect(!failure.message.hasPrefix("(#"))
        #expect(failure.traceID != nil)
    }

    /// The success fixture is a sent message with its id.
    @Test func successFixtureIsSent() {
        #expect(SendOutcome.classify(status: 200, body: SendAPIStandIn.fixture("send_api_success_response.json")) == .sent(
            messageID: "m_mGTzJnznQt1697yTtXJ5xh8aOoe5RD8Un3iRpSqQ0sidTwgjBa_4EaoPOcuhDMIHOBj354e30r0OgXSOK08Buk"))
    }

    /// Without a Graph error body the HTTP status decides; a 200 without a message id may have
    /// been delivered.
    @Test func statusDecidesWithoutAGraphError() {
        func kind(_ status: Int, _ body: String = "oops") -> SendFailure.Kind? {
            guard case .failed(let failure) = SendOutcome.classify(status: status, body: Data(body.utf8)) else { return nil }
            return failure.kind
        }
        #expect(kind(500) == .temporary)
        #expect(kind(503) == .temporary)
        #expect(kind(429) == .rateLimited)
        #expect(kind(400) == .permanent)
        #expect(kind(404) == .permanent)
        #expect(kind(200, "{}") == .ambiguous)
        #expect(kind(500, #"{"error":{"message":"(#2) Service temporarily unavailable","code":2}}"#) == .temporary)
        #expect(kind(400, #"{"error":{"message":"(#100) No matching user","code":100,"error_subcode":2018001}}"#) == .permanent)
        #expect(kind(400, #"{"error":{"message":"(#230) Requires pages_messaging permission","code":230}}"#) == .permanent)
    }

    /// A timeout is ambiguous; a refused connection is temporary.
    @Test func transportErrors() {
        let timeout = SendOutcome.classify(transportError: URLError(.timedOut), timeout: .seconds(10))
        guard case .failed(let timedOut) = timeout else {
            Issue.record("a timeout was taken for a success")
            return
        }
        #expect(timedOut.kind == .ambiguous && timedOut.code == "timeout")
        #expect(SendFailure.isAmbiguous(record: timedOut.record))
        let refused = SendOutcome.classify(transportError: URLError(.cannotConnectToHost), timeout: .seconds(10))
        guard case .failed(let network) = refused else {
            Issue.record("a refusal was taken for a success")
            return
        }
        #expect(network.kind == .temporary && network.code == "network")
        #expect(!SendFailure.isAmbiguous(record: network.record))
    }
}

@Suite("MessengerDelivery retry policy")
struct MessengerDeliveryRetryTests {
    let policy = SendRetryPolicy(baseDelay: .seconds(1), maxDelay: .seconds(300), maxAttempts: 10)
    let temporary = SendFailure(kind: .temporary, code: "1200", message: "Temporary send message failure.")

    /// Waits double with each attempt up to the cap; the jitter draws anywhere below the ceiling.
    @Test func backoffDoublesWithFullJitterUpToTheCap() {
        #expect(policy.delay(afterAttempt: 1, rateLimited: false, random: { _ in 1 }) == .seconds(1))
        #expect(policy.delay(afterAttempt: 4, rateLimited: false, random: { _ in 1 }) == .seconds(8))
        #expect(policy.delay(afterAttempt: 4, rateLimited: false, random: { _ in 0 }) == .zero)
        #expect(policy.delay(afterAttempt: 40, rateLimited: false, random: { _ in 1 }) == .seconds(300))
    }

    /// Rate limits wait ten times longer, and at least half their ceiling.
    @Test func rateLimitsBackOffLonger() {
        #expect(policy.delay(afterAttempt: 1, rateLimited: true, random: { _ in 0 }) == .seconds(5))
        #expect(policy.delay(afterAttempt: 2, rateLimited: true, random: { _ in 1 }) == .seconds(20))
    }

    /// Temporary failures are retried until the tenth attempt; permanent ones never.
    @Test func givesUpAfterMaxAttemptsAndOnPermanentErrors() {
        guard case .retry = policy.decide(temporary, previousAttempts: 8, previousError: nil) else {
            Issue.record("the ninth failure should be retried")
            return
        }
        #expect(policy.decide(temporary, previousAttempts: 9, previousError: nil)
            == .giveUp(reason: "1200 Temporary send message failure. (gave up after 10 attempts)"))
        let gone = SendFailure(kind: .permanent, code: "551/1545041", message: "This person isn't available right now.")
        #expect(policy.decide(gone, previousAttempts: 0, previousError: nil)
            == .giveUp(reason: "551/1545041 This person isn't available right now."))
    }

    /// A timeout is retried once; a second one in a row gives up.
    @Test func anAmbiguousFailureIsRetriedOnce() {
        let timeout = SendFailure(kind: .ambiguous, code: "timeout", message: "no answer within 10 seconds")
        guard case .retry = policy.decide(timeout, previousAttempts: 0, previousError: nil) else {
            Issue.record("a first timeout should be retried")
            return
        }
        guard case .retry = policy.decide(timeout, previousAttempts: 1, previousError: temporary.record) else {
            Issue.record("a timeout after another error should be retried")
            return
        }
        #expect(policy.decide(timeout, previousAttempts: 1, previousError: timeout.record) == .giveUp(reason: timeout.record))
    }
}
