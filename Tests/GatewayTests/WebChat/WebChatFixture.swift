import Commerce
@testable import Engine
import Foundation
import RateLimits
@testable import Gateway
import Storage
import Synchronization
import Telemetry
import TestSupport
@testable import WebChat
import WebServer

/// The web chat alone on a live server: a `WebServer` on port 0 with only `/ws/chat`, a real
/// engine on a fresh SQLite file with the demo catalog, and the delivery worker running.
final class WebChatFixture: Sendable {
    let directory = TemporaryDirectory()
    let database: DatabasePool
    let engine: ConversationEngine
    let chat: WebChat
    private let delivery: RunningService
    let server: WebServer
    let metrics = MetricsRegistry()
    let logs = MemoryLogSink()
    let port: Int
    private let pages = Mutex<[ChatClient]>([])

    /// `limits`: none unless a test is about them.
    init(limits: RateLimitSettings = RateLimitSettings(isEnabled: false)) async throws {
        let understanding = try await blocking { EngineFixture.understanding }
        database = try DatabasePool(DatabaseConfiguration(path: directory.path("webchat.sqlite")), migrator: Schema.migrator())
        _ = try await database.write { db in try DemoCatalog.seedIfEmpty(in: db, now: { Date() }) }
        engine = try ConversationEngine(database: database, understanding: understanding, metrics: metrics)
        let logger = Logger(level: .info, sink: logs)
        chat = WebChat(engine: engine, limits: WebChatLimits(limits, metrics: metrics), metrics: metrics, logger: logger)
        server = WebServer(
            configuration: ServerConfiguration(port: 0), router: Router(), webSockets: [chat.route], logger: logger, metrics: metrics)
        port = try server.start()
        delivery = RunningService(chat.delivery)
    }

    /// A page connected to `/ws/chat`; `stop()` closes it (else the shutdown would wait out its
    /// grace period for the close handshake).
    func page(from localAddress: String = "127.0.0.1") throws -> ChatClient {
        let page = try ChatClient(port: port, from: localAddress)
        pages.withLock { $0.append(page) }
        return page
    }

    func stop() async {
        let open = pages.withLock { $0 }
        _ = try? await blocking { for page in open { try? page.close() } }
        server.shutdown()
        await server.stopped()
        try? await delivery.stop()
        database.close()
    }

    /// The first integer of `sql`.
    func count<Argument: SQLBindable & Sendable>(_ sql: String, _ argument: Argument) throws -> Int {
        try database.read { db in try db.queryFirst(sql, argument) { $0.int(0) } ?? 0 }
    }

    /// The first integer of `sql` with two arguments.
    func count<First: SQLBindable & Sendable, Second: SQLBindable & Sendable>(
        _ sql: String, _ first: First, _ second: Second
    ) throws -> Int {
        try database.read { db in try db.queryFirst(sql, first, second) { $0.int(0) } ?? 0 }
    }

    /// Queues a reply in the outbox the way the agents' side does, and wakes the worker.
    /// Waits until the server has let go of every socket of `session` (a page closed a moment
    /// ago may still be registered, and a reply pushed into it then would count as delivered).
    func waitUntilClosed(session: String, timeout: Double = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while chat.sessions.isOpen(session: session) {
            guard Date() < deadline else { throw WebChatFixtureError.stillOpen(session) }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    func enqueueAgentReply(_ text: String, conversation: Int64, session: String) throws {
        try database.write { db in
            try Conversations().append(.reply(text, from: .agent), to: conversation, in: db)
            try Outbox().enqueue(conversation: conversation, channel: .web, recipient: session, author: .agent, text: text, in: db)
        }
        chat.delivery.wake()
    }

    /// The outbox rows of a conversation once none is pending (marking a pushed reply sent
    /// follows the push), or as they are after `timeout` seconds.
    func sentOutbox(_ conversation: Int64, timeout: Double = 5) async throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var rows = try outbox(conversation)
        while rows.contains(where: { $0.hasPrefix("pending ") }), Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
            rows = try outbox(conversation)
        }
        return rows
    }

    /// The outbox rows of a conversation as "status author text", oldest first.
    func outbox(_ conversation: Int64) throws -> [String] {
        try database.read { db in
            try db.query("SELECT status, author, text FROM outbox WHERE conversation_id = ? ORDER BY id", conversation) {
                "\($0.string(0)) \($0.string(1)) \($0.string(2))"
            }
        }
    }
}

enum WebChatFixtureError: Error {
    case stillOpen(String)
}
