import Foundation
import Storage

/// A reply waiting to be pushed to the customer's channel.
public struct OutboxItem: Sendable, Hashable {
    public let id: Int64
    public let conversationID: Int64
    public let channel: ConversationChannel
    /// The channel's id for the customer (a Messenger PSID, a web chat session).
    public let recipient: String
    public let author: MessageAuthor
    public let text: String
    /// The quick replies as JSON (`[{"title":…,"payload":…}]`), as the dialogue offered them.
    public let quickRepliesJSON: String
    public let attempts: Int
    public let createdAt: Date
}

/// Replies for push channels, written in the turn's transaction so a reply is never lost and
/// never sent for a turn that did not commit. A delivery worker takes them from here.
public struct Outbox: Sendable {
    private let now: Now

    public init(now: @escaping Now = { Date() }) {
        self.now = now
    }

    /// Queues a reply; returns its id.
    @discardableResult
    public func enqueue(
        conversation: Int64, channel: ConversationChannel, recipient: String, author: MessageAuthor, text: String,
        quickRepliesJSON: String = "[]", in db: Database
    ) throws -> Int64 {
        let stamp = Timestamps.text(now())
        try db.run("""
            INSERT INTO outbox (conversation_id, channel, recipient, author, text, quick_replies, next_attempt_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, conversation, channel.rawValue, recipient, author.rawValue, text, quickRepliesJSON, stamp, stamp)
        return db.lastInsertedRowID
    }

    /// Pending replies, oldest first.
    public func pending(limit: Int = 100, in db: Database) throws -> [OutboxItem] {
        try db.query("""
            SELECT id, conversation_id, channel, recipient, author, text, quick_replies, attempts, created_at
            FROM outbox WHERE status = 'pending' ORDER BY id LIMIT ?
            """, limit) { row in
            OutboxItem(
                id: row.int64(0), conversationID: row.int64(1), channel: ConversationChannel(rawValue: row.string(2)) ?? .web,
                recipient: row.string(3), author: MessageAuthor(rawValue: row.string(4)) ?? .bot, text: row.string(5),
                quickRepliesJSON: row.string(6), attempts: row.int(7), createdAt: Timestamps.date(row.string(8)) ?? Date())
        }
    }

    /// How many replies wait.
    public func depth(in db: Database) throws -> Int {
        try db.queryFirst("SELECT count(*) FROM outbox WHERE status = 'pending'") { $0.int(0) } ?? 0
    }
}
