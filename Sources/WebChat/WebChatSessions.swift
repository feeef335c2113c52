import Commerce
import Engine
import Foundation
import Storage
import Synchronization
import Telemetry
import WebServer

/// The web chat sockets open now, by session and its conversation (a customer may have the page
/// open twice), and the pushing of a session's pending replies — the bot's and agents' — to them.
///
/// Replies wait in the outbox until a socket of their session is open: nothing is lost while the
/// customer is away, and a resuming page gets them in order. Each session has one lane: its
/// deliveries, its hellos and its turns run one after the other, so an `ack` always comes before
/// the replies of its turn and a `welcome` before anything else.
final class WebChatSessions: Sendable {
    /// The sockets of one session, and the conversation they are in.
    private struct Room {
        var conversation: Int64
        var sockets: [UInt64: WebSocketConnection] = [:]
    }

    private struct Registry {
        var rooms: [String: Room] = [:]
        var sessionOfConversation: [Int64: String] = [:]
        /// Sockets connected to `/ws/chat`, whether they said hello or not.
        var connected = 0
    }

    /// Replies read from the outbox per look.
    private static let batch = 100

    private let database: DatabasePool
    private let registry = Mutex(Registry())
    private let lanes = ConversationLanes()
    private let pushed: Counter?
    private let logger: Logger

    /// Sessions whose replies are read from `database`; with `metrics`, pushed replies are
    /// counted. Deliveries that fail are logged to `logger`.
    init(database: DatabasePool, metrics: MetricsRegistry? = nil, logger: Logger = Logger()) {
        self.database = database
        pushed = metrics.map(WebChatMetrics.pushedCounter)
        self.logger = logger.with(["component": "webchat"])
    }

    /// Sockets connected now, including those that have not said hello yet.
    var openSockets: Int { registry.withLock { $0.connected } }

    /// Whether a socket of `session` is open.
    func isOpen(session: String) -> Bool { registry.withLock { $0.rooms[session] != nil } }

    /// Whether a socket of the conversation is open.
    func isOpen(conversation id: Int64) -> Bool { registry.withLock { $0.sessionOfConversation[id] != nil } }

    /// A socket connected (it counts as open from here on).
    func connected() { registry.withLock { $0.connected += 1 } }

    /// A socket went away; it leaves its session, if it had one.
    func disconnected(_ connection: WebSocketConnection, session: String?) {
        registry.withLock { registry in
            registry.connected -= 1
            guard let session, var room = registry.rooms[session] else { return }
            room.sockets[connection.id] = nil
            if room.sockets.isEmpty {
                registry.rooms[session] = nil
                registry.sessionOfConversation[room.conversation] = nil
            } else {
                registry.rooms[session] = room
            }
        }
    }

    /// `connection` joins `session`, whose conversation is now `conversation` (for every socket of
    /// the session: a new conversation replaces a closed one).
    func register(_ connection: WebSocketConnection, session: String, conversation: Int64) {
        registry.withLock { registry in
            var room = registry.rooms[session] ?? Room(conversation: conversation)
            if room.conversation != conversation { registry.sessionOfConversation[room.conversation] = nil }
            room.conversation = conversation
            room.sockets[connection.id] = connection
            registry.rooms[session] = room
            registry.sessionOfConversation[conversation] = session
        }
    }

    /// A frame to every open socket of the conversation (`handoff{…}` from the agents' side);
    /// false when none took it.
    @discardableResult
    func push(_ frame: String, toConversation id: Int64) -> Bool {
        let sockets = registry.withLock { registry in
            registry.sessionOfConversation[id].flatMap { registry.rooms[$0] }.map { Array($0.sockets.values) } ?? []
        }
        return push(frame, to: sockets)
    }

    /// `frame` (a `handoff{…}` from the agents' side) to the conversation's sockets after every
    /// reply queued before it, in the session's lane: an agent's last words arrive before the
    /// hand-back that follows them.
    func pushAfterReplies(_ frame: String, toConversation id: Int64) async {
        guard let session = registry.withLock({ $0.sessionOfConversation[id] }) else { return }
        _ = try? await exclusively(session: session) { ((), after: [frame]) }
    }

    /// Pushes the pending replies of the conversation's session to its sockets now (nothing when
    /// none is open): what to call after queueing a reply for one conversation.
    func deliver(conversation id: Int64) async {
        guard let session = registry.withLock({ $0.sessionOfConversation[id] }) else { return }
        await deliver(session: session)
    }

    /// Pushes the session's pending replies to its open sockets, in order, each marked sent once
    /// it is queued on a socket; after the session's earlier work.
    func deliver(session: String) async {
        guard isOpen(session: session) else { return }
        // Nothing here can throw: a failed push is logged by `exclusively`.
        _ = try? await exclusively(session: session) { ((), after: []) }
    }

    /// Runs `work` in the session's lane — after its earlier deliveries, hellos and turns, and
    /// before later ones — then pushes the session's pending replies and, after them, the
    /// frames `work` returned. Throws only what `work` throws: replies that could not be pushed
    /// are logged and wait for the session's next delivery.
    func exclusively<Value: Sendable>(
        session: String, _ work: @escaping @Sendable () async throws -> (Value, after: [String])
    ) async throws -> Value {
        try await lanes.run(session) { [self] in
            let (value, frames) = try await work()
            do {
                try await pushPending(session)
            } catch {
                logger.error("pushing web chat replies failed; they wait for the next delivery", ["error": .string("\(error)")])
            }
            for frame in frames { _ = pushToSession(frame, session) }
            return value
        }
    }

    /// The session's pending replies to its sockets, oldest first; stops at the first reply no
    /// socket took (the socket closed meanwhile), which waits for the next hello.
    private func pushPending(_ session: String) async throws {
        while isOpen(session: session) {
            let pending = try await database.read { db in
                try Outbox().pending(channel: .web, externalID: session, limit: Self.batch, in: db)
            }
            var queued: [OutboxItem] = []
            for item in pending {
                guard pushToSession(ChatFrame.message(item), session) else { break }
                queued.append(item)
                pushed?.increment(item.author == .agent ? "agent" : "bot")
            }
            guard !queued.isEmpty else { return }
            let sent = queued
            try await database.write { db in
                for item in sent { try Outbox().markSent(item.id, platformMessageID: "web", in: db) }
            }
            guard queued.count == Self.batch else { return }
        }
    }

    private func pushToSession(_ frame: String, _ session: String) -> Bool {
        push(frame, to: registry.withLock { $0.rooms[session].map { Array($0.sockets.values) } ?? [] })
    }

    private func push(_ frame: String, to sockets: [WebSocketConnection]) -> Bool {
        sockets.reduce(false) { taken, socket in socket.send(frame) || taken }
    }
}
