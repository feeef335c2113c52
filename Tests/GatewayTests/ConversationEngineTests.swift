import Commerce
import Dialogue
import Engine
import Foundation
import Gateway
import Messenger
import NLU
import Storage
import Telemetry
import TestSupport
import Testing
import Voice

/// A conversation engine on a fresh SQLite file with the demo catalog.
final class EngineFixture: Sendable {
    /// Trained once for the suite: training is the slow part, and it learns nothing per test.
    static let understanding = LanguageUnderstanding(corpus: try! IntentCorpus.embedded())

    let directory = TemporaryDirectory()
    let database: DatabasePool
    let engine: ConversationEngine

    let metrics = MetricsRegistry()

    init() async throws {
        let path = directory.path("engine.sqlite")
        let understanding = try await blocking { EngineFixture.understanding }
        database = try DatabasePool(DatabaseConfiguration(path: path), migrator: Schema.migrator())
        _ = try await database.write { db in try DemoCatalog.seedIfEmpty(in: db, now: { Date() }) }
        engine = try ConversationEngine(database: database, understanding: understanding, metrics: metrics)
    }

    /// Sends `text` as the Messenger user `psid` and returns the outcome.
    @discardableResult
    func say(_ text: String, as psid: String = "psid-1", channel: ChannelProfile = .messenger, payload: String? = nil)
        async throws -> TurnOutcome
    {
        let identity = channel == .voice ? Identity(.phone, psid) : Identity(channel == .messenger ? .messenger : .web, psid)
        return try await engine.handle(InboundMessage(
            channel: channel, sender: .identity(identity), thread: psid, text: text, payload: payload))
    }

    func count(_ sql: String, _ argument: Int64? = nil) async throws -> Int {
        try await database.read { db in
            try (argument.map { try db.queryFirst(sql, $0) { $0.int(0) } } ?? db.queryFirst(sql) { $0.int(0) }) ?? 0
        }
    }

    func stock(_ sku: String) async throws -> Int {
        try await database.read { db in try Catalog().variant(sku: sku, in: db)?.stock ?? -1 }
    }
}

/// The whole Polish order of the README, turn by turn.
let orderTurns = [
    "chcę zamówić Aero Run", "43", "białe", "dwie pary", "nie", "paczkomat", "WRO01M", "Jan Kowalski", "600 123 456",
    "blik", "tak",
]

@Suite("Conversation engine")
struct ConversationEngineTests {
    /// A finished order commits the order, its stock, the transcript, the state and the outbox together.
    @Test func aWholeOrderCommitsEverythingTogether() async throws {
        let fixture = try await EngineFixture()
        let before = try await fixture.stock("AERO-RUN-43-WHT")
        var last: TurnOutcome?
        for text in orderTurns { last = try await fixture.say(text) }
        let outcome = try #require(last)
        let order = try #require(outcome.placedOrder)
        #expect(order.total.minorUnits == 69_800)
        #expect(order.lines.map(\.sku) == ["AERO-RUN-43-WHT"])
        #expect(outcome.replies.first?.text.contains("Zamówienie nr \(order.number) zostało złożone") == true)
        #expect(try await fixture.stock("AERO-RUN-43-WHT") == before - 2)
        let conversation = outcome.conversationID
        #expect(try await fixture.count("SELECT count(*) FROM messages WHERE conversation_id = ? AND author = 'customer'", conversation) == orderTurns.count)
        let botMessages = try await fixture.count("SELECT count(*) FROM messages WHERE conversation_id = ? AND author = 'bot'", conversation)
        #expect(botMessages == orderTurns.count)
        #expect(try await fixture.count("SELECT count(*) FROM outbox WHERE conversation_id = ?", conversation) == botMessages)
        #expect(try await fixture.count("SELECT state_version FROM conversations WHERE id = ?", conversation) == orderTurns.count)
        #expect(outcome.state == "idle")
    }

    /// A question in a known conversation is worked out on a reader and only written on the
    /// writer; a turn that places an order, or starts a conversation, runs whole on the writer.
    @Test func ordinaryTurnsArePlannedOffTheWriter() async throws {
        let fixture = try await EngineFixture()
        let turns = fixture.metrics.counter("orderbot_engine_turns_total", help: "", labels: ["path"])
        try await fixture.say("dzień dobry")
        #expect(turns.value("whole") == 1 && turns.value("planned") == 0)
        try await fixture.say("jakie są formy dostawy?")
        try await fixture.say("chcę zamówić Aero Run")
        #expect(turns.value("planned") == 2)
        for text in orderTurns.dropFirst() { try await fixture.say(text) }
        #expect(try await fixture.count("SELECT count(*) FROM orders") == 1)
        #expect(turns.value("whole") >= 3)
        #expect(turns.value("planned") + turns.value("whole") == Double(2 + orderTurns.count))
    }

    /// Conversations run concurrently, each strictly in order, with no lost state update.
    @Test func concurrentConversationsStayInOrder() async throws {
        let fixture = try await EngineFixture()
        let conversations = 12
        let script = ["dzień dobry", "jakie są formy dostawy?", "chcę zamówić Aero Run", "43", "białe", "jedną parę", "nie",
                      "kurier", "jakie macie formy płatności?"]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<conversations {
                group.addTask {
                    for text in script { try await fixture.say(text, as: "psid-\(index)") }
                }
            }
            try await group.waitForAll()
        }
        let transcripts = try await fixture.database.read { db in
            try db.query("""
                SELECT c.external_id, group_concat(m.text, '|') FROM conversations c
                JOIN (SELECT * FROM messages WHERE author = 'customer' ORDER BY id) m ON m.conversation_id = c.id
                GROUP BY c.id
                """) { ($0.string(0), $0.string(1)) }
        }
        #expect(transcripts.count == conversations)
        for (_, texts) in transcripts { #expect(texts == script.joined(separator: "|")) }
        let versions = try await fixture.database.read { db in try db.query("SELECT state_version FROM conversations") { $0.int(0) } }
        #expect(versions == Array(repeating: script.count, count: conversations))
        #expect(try await fixture.count("SELECT count(*) FROM conversations WHERE state LIKE '%address%'") == conversations)
    }

    /// After "I want a person" the bot stays silent: messages are stored for the agent, not answered.
    @Test func humanModeStoresMessagesWithoutAnswering() async throws {
        let fixture = try await EngineFixture()
        let asked = try await fixture.say("chcę rozmawiać z konsultantem")
        #expect(asked.mode == .human)
        let escalation = try #require(asked.escalation)
        #expect(escalation.reason == .customerRequest)
        let later = try await fixture.say("halo, jest tam ktoś?")
        #expect(later.replies.isEmpty)
        #expect(later.mode == .human)
        #expect(try await fixture.count("SELECT count(*) FROM messages WHERE conversation_id = ? AND author = 'customer'", later.conversationID) == 2)
        #expect(try await fixture.count("SELECT count(*) FROM outbox WHERE conversation_id = ?", later.conversationID) == 1)
    }

    /// A phone number typed while ordering on Messenger is a claim: a later caller from that
    /// number is a record of its own and hears nothing of the order; a second call from the
    /// number (the voice channel's own identity) is the first caller again.
    @Test func aPhoneTypedOnMessengerIsNoKeyForACaller() async throws {
        let fixture = try await EngineFixture()
        var placed: Order?
        for text in orderTurns { placed = try await fixture.say(text).placedOrder ?? placed }
        let order = try #require(placed)
        let call = try await fixture.say("dzień dobry, gdzie jest moje zamówienie?", as: "+48600123456", channel: .voice)
        #expect(call.customerID != order.customerID)
        #expect(call.replies.allSatisfy { !$0.text.contains("\(order.number)") })
        let again = try await fixture.say("gdzie jest moje zamówienie?", as: "+48600123456", channel: .voice)
        #expect(again.customerID == call.customerID)
        #expect(try await fixture.count("SELECT count(*) FROM contact_claims WHERE external_id = '+48600123456'") == 1)
        #expect(try await fixture.count("SELECT count(*) FROM outbox WHERE channel = 'voice'") == 0)
    }

    /// A card number typed into the chat is masked before it is stored, and the customer is warned.
    @Test func cardNumbersNeverReachTheTranscript() async throws {
        let fixture = try await EngineFixture()
        let outcome = try await fixture.say("moja karta to 4111 1111 1111 1111")
        #expect(outcome.replies.first?.text.contains("numerów kart") == true)
        #expect(try await fixture.count("SELECT count(*) FROM messages WHERE text LIKE '%4111 1111%'") == 0)
        #expect(try await fixture.count("SELECT count(*) FROM messages WHERE text LIKE '%1111'") == 1)
    }

    /// Stock sold elsewhere between the summary and "tak" is explained, and no order is placed.
    @Test func stockGoneAtConfirmationIsExplained() async throws {
        let fixture = try await EngineFixture()
        for text in orderTurns.dropLast() { try await fixture.say(text) }
        _ = try await fixture.database.write { db in try db.run("UPDATE variants SET stock = 1 WHERE sku = 'AERO-RUN-43-WHT'") }
        let outcome = try await fixture.say("tak")
        #expect(outcome.placedOrder == nil)
        #expect(outcome.replies.first?.text.contains("wyprzedał") == true)
        #expect(outcome.state.hasPrefix("ordering."))
        #expect(try await fixture.count("SELECT count(*) FROM orders") == 0)
        #expect(try await fixture.stock("AERO-RUN-43-WHT") == 1)
    }

    /// A turn that placed an order and then rolled back leaves the dialogue's catalog as the
    /// database has it: the stock it took in its savepoint was never taken.
    @Test func aRolledBackOrderLeavesTheCatalogCopyAsCommitted() async throws {
        let fixture = try await EngineFixture()
        for text in orderTurns.dropLast() { try await fixture.say(text) }
        let before = try await fixture.stock("AERO-RUN-43-WHT")
        // The last write of the turn, after the order and its stock, fails.
        _ = try await fixture.database.write { db in
            try db.execute("""
                CREATE TRIGGER refuse_turn BEFORE UPDATE OF outcome ON inbox WHEN NEW.outcome = 'refused'
                BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                """)
        }
        let confirmation = InboundMessage(
            channel: .messenger, sender: .identity(Identity(.messenger, "psid-1")), thread: "psid-1", text: "tak",
            onceOnly: OnceOnly(key: "confirmation-1", event: "{}", record: { _ in "refused" }))
        await #expect(throws: (any Error).self) { try await fixture.engine.handle(confirmation) }

        #expect(try await fixture.count("SELECT count(*) FROM orders") == 0)
        #expect(try await fixture.stock("AERO-RUN-43-WHT") == before)
        #expect(fixture.engine.catalogSnapshot.variant(sku: "AERO-RUN-43-WHT")?.stock == before)
    }

    /// Asking about another customer's order number reveals nothing about it.
    @Test func anotherCustomersOrderRevealsNothing() async throws {
        let fixture = try await EngineFixture()
        var placed: Order?
        for text in orderTurns { placed = try await fixture.say(text, as: "owner").placedOrder ?? placed }
        let order = try #require(placed)
        let stranger = try await fixture.say("jaki jest status zamówienia \(order.number)?", as: "stranger")
        let reply = try #require(stranger.replies.first?.text)
        #expect(reply.contains("Nie znajduję zamówienia nr \(order.number)"))
        #expect(!reply.contains("Aero Run") && !reply.contains("WRO01M") && !reply.contains("przyjęte"))
    }
}
