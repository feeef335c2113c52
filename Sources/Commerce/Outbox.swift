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
    public let status: OutboxStatus
    /// Delivery attempts that failed so far.
    public let attempts: Int
    /// When the next delivery attempt may start.
    public let nextAttemptAt: Date
    /// Why the last attempt failed; nil before any failure and after a part got through.
    public let lastError: String?
    /// How many parts of a split reply were delivered already; delivery resumes after them.
    public let partsSent: Int
    /// The channel's id of the last part delivered (a Messenger `message_id`).
    public let platformMessageID: String?
    /// When the customer last wrote in the reply's conversation (Messenger's 24-hour window
    /// starts there); nil when they never did.
    public let customerLastWroteAt: Date?
    public let createdAt: Date
    public let purpose: OutboxPurpose
}

/// Why a message was queued: the answer to something the customer said, or news of their
/// order the shop's systems reported (Messenger sends that as an update, or with a tag outside
/// its 24-hour window).
public enum OutboxPurpose: String, Sendable, Hashable {
    case reply
    case orderUpdate = "order_update"
}

/// Where a reply in the outbox stands.
public enum OutboxStatus: String, Sendable, Hashable {
    case pending, sent, failed
}

/// How many replies of one channel wait, and since when.
public struct OutboxBacklog: Sendable, Hashable {
    public let channel: ConversationChannel
    /// Pending replies.
    public let depth: Int
    /// When the oldest pending reply was queued; nil when none waits.
    public let oldestCreatedAt: Date?

    /// Seconds the oldest pending reply has waited at `now` (0 when none waits).
    public func oldestAge(at now: Date) -> TimeInterval {
        oldestCreatedAt.map { max(0, now.timeIntervalSince($0)) } ?? 0
    }
}

/// Replies for push channels, written in the turn's transaction so a reply is never lost and
/// never sent for a turn that did not commit. A delivery worker takes them from here.
///
/// Replies to one recipient go out in the order they were queued: only the oldest pending reply
/// of a recipient is ever handed out, so a later reply never overtakes one that is backing off.
/// A reply that failed for good no longer holds the others back.
public struct Outbox: Sendable {
    private let now: Now

    public init(now: @escaping Now = { Date() }) {
        self.now = now
    }

    /// Queues a reply; returns its id.
    @discardableResult
    public func enqueue(
        conversation: Int64, channel: ConversationChannel, recipient: String, author: MessageAuthor, text: String,
        quickRepliesJSON: String = "[]", purpose: OutboxPurpose = .reply, in db: Database
    ) throws -> Int64 {
        let stamp = Timestamps.text(now())
        try db.run("""
            INSERT INTO outbox (conversation_id, channel, recipient, author, text, quick_replies, next_attempt_at, created_at,
                                purpose)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, conversation, channel.rawValue, recipient, author.rawValue, text, quickRepliesJSON, stamp, stamp,
            purpose.rawValue)
        return db.lastInsertedRowID
    }

    /// Pending replies, oldest first.
    public func pending(limit: Int = 100, in db: Database) throws -> [OutboxItem] {
        try db.query(Self.select + " WHERE o.status = 'pending' ORDER BY o.id LIMIT ?", limit, as: Self.item)
    }

    /// The reply with `id`, whatever its status, or nil.
    public func find(_ id: Int64, in db: Database) throws -> OutboxItem? {
        try db.queryFirst(Self.select + " WHERE o.id = ?", id, as: Self.item)
    }

    /// The oldest pending reply of each recipient on `channel`, earliest next attempt first
    /// (including those whose time has not come): what a worker may send next, and when.
    public func heads(channel: ConversationChannel, limit: Int = 100, in db: Database) throws -> [OutboxItem] {
        try db.query(Self.select + """
             WHERE o.id IN (SELECT min(id) FROM outbox WHERE status = 'pending' AND channel = ? GROUP BY recipient)
            ORDER BY o.next_attempt_at, o.id LIMIT ?
            """, channel.rawValue, limit, as: Self.item)
    }

    /// The pending replies of one conversation, oldest first (a web chat pushes them all at once).
    public func pending(conversation: Int64, limit: Int = 100, in db: Database) throws -> [OutboxItem] {
        try db.query(
            Self.select + " WHERE o.status = 'pending' AND o.conversation_id = ? ORDER BY o.id LIMIT ?", conversation, limit,
            as: Self.item)
    }

    /// The pending replies of every conversation on `channel` with `externalID` — a web chat
    /// session's current conversation and any earlier (closed) one — oldest first.
    public func pending(
        channel: ConversationChannel, externalID: String, limit: Int = 100, in db: Database
    ) throws -> [OutboxItem] {
        try db.query(Self.select + """
             WHERE o.status = 'pending'
              AND o.conversation_id IN (SELECT id FROM conversations WHERE channel = ? AND external_id = ?)
            ORDER BY o.id LIMIT ?
            """, channel.rawValue, externalID, limit, as: Self.item)
    }

    /// The recipients on `channel` with a reply newer than reply `id` still pending, in the order
    /// of those replies, and the newest such reply's id (nil when there is none): what a worker
    /// that has looked at the outbox up to `id` looks at next.
    public func pendingRecipients(
        channel: ConversationChannel, after id: Int64, limit: Int = 500, in db: Database
    ) throws -> (recipients: [String], newest: Int64?) {
        let rows = try db.query("""
            SELECT id, recipient FROM outbox WHERE id > ? AND channel = ? AND status = 'pending' ORDER BY id LIMIT ?
            """, id, channel.rawValue, limit) { ($0.int64(0), $0.string(1)) }
        var seen = Set<String>()
        return (rows.map(\.1).filter { seen.insert($0).inserted }, rows.last?.0)
    }

    /// The id of the newest reply ever queued (0 when none was).
    public func newestID(in db: Database) throws -> Int64 {
        try db.queryFirst("SELECT coalesce(max(id), 0) FROM outbox") { $0.int64(0) } ?? 0
    }

    /// The replies on `channel` to send now: per recipient only the oldest pending one, and only
    /// once its next attempt is due.
    public func due(channel: ConversationChannel, now: Date, limit: Int = 100, in db: Database) throws -> [OutboxItem] {
        try db.query(Self.select + """
             WHERE o.id IN (SELECT min(id) FROM outbox WHERE status = 'pending' AND channel = ? GROUP BY recipient)
              AND o.next_attempt_at <= ?
            ORDER BY o.next_attempt_at, o.id LIMIT ?
            """, channel.rawValue, Timestamps.text(now), limit, as: Self.item)
    }

    /// Records that the first `partsSent` parts of a split reply were delivered, the last of
    /// them as `platformMessageID`; clears the last error. False when the reply is not pending.
    @discardableResult
    public func markPartSent(_ id: Int64, partsSent: Int, platformMessageID: String, in db: Database) throws -> Bool {
        try db.run("""
            UPDATE outbox SET parts_sent = ?, platform_message_id = ?, last_error = NULL
            WHERE id = ? AND status = 'pending'
            """, partsSent, platformMessageID, id) > 0
    }

    /// Marks a pending reply delivered. False when it was not pending.
    @discardableResult
    public func markSent(_ id: Int64, platformMessageID: String, partsSent: Int = 1, in db: Database) throws -> Bool {
        try db.run("""
            UPDATE outbox SET status = 'sent', sent_at = ?, platform_message_id = ?, parts_sent = ?, last_error = NULL
            WHERE id = ? AND status = 'pending'
            """, Timestamps.text(now()), platformMessageID, partsSent, id) > 0
    }

    /// Counts a failed attempt and puts the next one off until `at`. False when not pending.
    @discardableResult
    public func scheduleRetry(_ id: Int64, at: Date, error: String, in db: Database) throws -> Bool {
        try db.run("""
            UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
            WHERE id = ? AND status = 'pending'
            """, Timestamps.text(at), error, id) > 0
    }

    /// Counts a failed attempt and gives the reply up for good. False when not pending.
    @discardableResult
    public func markFailed(_ id: Int64, error: String, in db: Database) throws -> Bool {
        try db.run("""
            UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?
            WHERE id = ? AND status = 'pending'
            """, error, id) > 0
    }

    /// How many replies wait.
    public func depth(in db: Database) throws -> Int {
        try db.queryFirst("SELECT count(*) FROM outbox WHERE status = 'pending'") { $0.int(0) } ?? 0
    }

    /// How many replies wait on `channel`.
    public func depth(channel: ConversationChannel, in db: Database) throws -> Int {
        try db.queryFirst("SELECT count(*) FROM outbox WHERE status = 'pending' AND channel = ?", channel.rawValue) {
            $0.int(0)
        } ?? 0
    }

    /// Seconds the oldest pending reply on `channel` has waited at `now`; 0 when none waits.
    public func oldestPendingAge(channel: ConversationChannel, now: Date, in db: Database) throws -> TimeInterval {
        let oldest = try db.queryFirst(
            "SELECT min(created_at) FROM outbox WHERE status = 'pending' AND channel = ?", channel.rawValue
        ) { $0.optionalString(0) }
        return oldest.flatMap { $0 }.flatMap(Timestamps.date).map { max(0, now.timeIntervalSince($0)) } ?? 0
    }

    /// Depth and oldest pending reply of every channel (channels with nothing pending included).
    public func backlog(in db: Database) throws -> [OutboxBacklog] {
        let rows = try db.query(
            "SELECT channel, count(*), min(created_at) FROM outbox WHERE status = 'pending' GROUP BY channel"
        ) { row in (row.string(0), (row.int(1), Timestamps.date(row.string(2)))) }
        let byChannel = Dictionary(rows, uniquingKeysWith: { first, _ in first })
        return ConversationChannel.allCases.map { channel in
            let found = byChannel[channel.rawValue]
            return OutboxBacklog(channel: channel, depth: found?.0 ?? 0, oldestCreatedAt: found?.1)
        }
    }

    private static let select = """
        SELECT o.id, o.conversation_id, o.channel, o.recipient, o.author, o.text, o.quick_replies, o.status, o.attempts,
               o.next_attempt_at, o.last_error, o.parts_sent, o.platform_message_id,
               (SELECT max(m.created_at) FROM messages m
                WHERE m.conversation_id = o.conversation_id AND m.direction = 'in' AND m.author = 'customer'),
               o.created_at, o.purpose
        FROM outbox o
        """

    private static func item(_ row: Row) -> OutboxItem {
        OutboxItem(
            id: row.int64(0), conversationID: row.int64(1), channel: ConversationChannel(rawValue: row.string(2)) ?? .web,
            recipient: row.string(3), author: MessageAuthor(rawValue: row.string(4)) ?? .bot, text: row.string(5),
            quickRepliesJSON: row.string(6), status: OutboxStatus(rawValue: row.string(7)) ?? .pending,
            attempts: row.int(8), nextAttemptAt: Timestamps.date(row.string(9)) ?? .distantPast,
            lastError: row.optionalString(10), partsSent: row.int(11), platformMessageID: row.optionalString(12),
            customerLastWroteAt: row.optionalString(13).flatMap(Timestamps.date),
            createdAt: Timestamps.date(row.string(14)) ?? .distantPast,
            purpose: OutboxPurpose(rawValue: row.string(15)) ?? .reply)
    }
}
