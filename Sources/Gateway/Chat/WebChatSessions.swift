import Commerce
import Foundation
import Storage
import Synchronization
import WebServer

/// The web chat sockets open now, by conversation (a customer may have the page open twice),
/// and the pushing of a conversation's pending replies — the bot's and agents' — to them.
///
/// Replies wait in the outbox until a socket of their conversation is open: nothing is lost
/// while the customer is away, and a resuming page gets them in order.
final class WebChatSessions: Sendable {
    private let database: DatabasePool
    private let sockets = Mutex<[Int64: [UInt64: WebSocketConnection]]>([:])
    private let lanes = ConversationLanes()

    init(database: DatabasePool) {
        self.database = database
    }

    /// Sockets open now, across conversations.
    var openSockets: Int { sockets.withLock { $0.values.reduce(0) { $0 + $1.count } } }

    func register(_ connection: WebSocketConnection, conversation: Int64) {
        sockets.withLock { $0[conversation, default: [:]][connection.id] = connection }
    }

    func unregister(_ connection: WebSocketConnection, conversation: Int64) {
        sockets.withLock { sockets in
            sockets[conversation]?[connection.id] = nil
            if sockets[conversation]?.isEmpty == true { sockets[conversation] = nil }
        }
    }

    /// A frame to every open socket of the conversation; false when none is open.
    @discardableResult
    func push(_ frame: String, toConversation id: Int64) -> Bool {
        let open = sockets.withLock { Array(($0[id] ?? [:]).values) }
        return open.reduce(false) { sent, connection in connection.send(frame) || sent }
    }

    /// Sends the conversation's pending replies to its open sockets, in order, marking each sent
    /// once it is queued on a socket; one delivery at a time per conversation.
    func deliver(conversation id: Int64) async {
        guard sockets.withLock({ $0[id]?.isEmpty == false }) else { return }
        _ = try? await lanes.run("web:\(id)") { [self] in
            let pending = try await database.read { db in try Outbox().pending(conversation: id, in: db) }
            var sent: [Int64] = []
            for item in pending {
                guard push(ChatFrame.message(item), toConversation: id) else { break }
                sent.append(item.id)
            }
            guard !sent.isEmpty else { return }
            let delivered = sent
            try await database.write { db in
                for item in delivered { try Outbox().markSent(item, platformMessageID: "web-\(item)", in: db) }
            }
        }
    }
}
