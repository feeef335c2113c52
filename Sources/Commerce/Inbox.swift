import Foundation
import Storage

/// One channel event as the inbox keeps it until it is handled.
public struct InboxEvent: Sendable, Hashable {
    public let id: Int64
    public let channel: ConversationChannel
    /// What makes a redelivery the same event (a Messenger `mid`, sender + postback + time…).
    public let dedupKey: String
    /// The channel's id of the customer the event is about (a Messenger PSID).
    public let sender: String
    /// The kind of event ("message", "postback", "read"…), for queries and metrics.
    public let kind: String
    /// The event itself, as the channel adapter serialised it.
    public let event: String
    public let status: InboxStatus
    /// What handling it did ("answered", "recorded", "ignored", an error), once handled.
    public let outcome: String?
    public let receivedAt: Date
}

/// Where an inbox event stands.
public enum InboxStatus: String, Sendable, Hashable {
    case pending, done, failed
}

/// An event to accept into the inbox.
public struct NewInboxEvent: Sendable, Hashable {
    public let dedupKey: String
    public let sender: String
    public let kind: String
    public let event: String

    public init(dedupKey: String, sender: String, kind: String, event: String) {
        self.dedupKey = dedupKey
        self.sender = sender
        self.kind = kind
        self.event = event
    }
}

/// The durable inbox of channel events: accepted (and committed) before the channel is told
/// "received", handled afterwards, each exactly once.
public struct Inbox: Sendable {
    private let now: Now

    public init(now: @escaping Now = { Date() }) {
        self.now = now
    }

    /// Stores the events that are new, in order, and skips those already accepted once (also
    /// repeats within `events`). Returns, for each event, whether it was new.
    public func accept(_ events: [NewInboxEvent], channel: ConversationChannel, in db: Database) throws -> [Bool] {
        let stamp = Timestamps.text(now())
        return try events.map { event in
            try db.run("""
                INSERT INTO inbox (channel, dedup_key, sender, kind, event, received_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (channel, dedup_key) DO NOTHING
                """, channel.rawValue, event.dedupKey, event.sender, event.kind, event.event, stamp) > 0
        }
    }

    /// Stores one event if it is new and returns its id; nil when the key was accepted before.
    public func claim(_ event: NewInboxEvent, channel: ConversationChannel, in db: Database) throws -> Int64? {
        guard try accept([event], channel: channel, in: db) == [true] else { return nil }
        return db.lastInsertedRowID
    }

    /// The event accepted under `dedupKey` on `channel`, or nil.
    public func find(channel: ConversationChannel, dedupKey: String, in db: Database) throws -> InboxEvent? {
        try db.queryFirst(Self.select + " WHERE channel = ? AND dedup_key = ?", channel.rawValue, dedupKey, as: Self.event)
    }

    /// Events not handled yet, oldest first.
    public func pending(channel: ConversationChannel, limit: Int = 256, in db: Database) throws -> [InboxEvent] {
        try db.query(Self.select + " WHERE status = 'pending' AND channel = ? ORDER BY id LIMIT ?", channel.rawValue, limit,
                     as: Self.event)
    }

    /// The event with `id`, or nil.
    public func find(_ id: Int64, in db: Database) throws -> InboxEvent? {
        try db.queryFirst(Self.select + " WHERE id = ?", id, as: Self.event)
    }

    /// Whether the event with `id` still waits to be handled (false for an unknown id).
    public func isPending(_ id: Int64, in db: Database) throws -> Bool {
        try db.queryFirst("SELECT 1 FROM inbox WHERE id = ? AND status = 'pending'", id) { _ in true } ?? false
    }

    /// Marks a pending event handled. Returns false (and changes nothing) when it was handled
    /// already, so a caller can roll back work that would repeat it.
    ///
    /// A handled event keeps only what deduplication and repeats need (its key, kind, sender and
    /// outcome): its payload, which the transcript now holds, is dropped. A failed one keeps it
    /// (masked like a transcript) for a look at what failed.
    @discardableResult
    public func finish(_ id: Int64, status: InboxStatus = .done, outcome: String, in db: Database) throws -> Bool {
        try db.run("""
            UPDATE inbox SET status = ?1, outcome = ?2, processed_at = ?3, event = CASE WHEN ?1 = 'done' THEN '{}' ELSE event END
            WHERE id = ?4 AND status = 'pending'
            """, status.rawValue, outcome, Timestamps.text(now()), id) > 0
    }

    /// Masks `fragments` (a one-time code as typed) in a stored event, so the raw webhook payload
    /// does not keep what the transcript masks.
    public func redact(_ fragments: [String], in id: Int64, in db: Database) throws {
        for fragment in fragments where !fragment.isEmpty {
            try db.run("UPDATE inbox SET event = replace(event, ?, ?) WHERE id = ?",
                       fragment, String(repeating: "•", count: fragment.count), id)
        }
    }

    /// How many events of `channel` have a dedup key starting with `prefix` (a call's turns).
    public func count(channel: ConversationChannel, dedupKeyPrefix prefix: String, in db: Database) throws -> Int {
        try db.queryFirst(
            "SELECT count(*) FROM inbox WHERE channel = ?1 AND substr(dedup_key, 1, length(?2)) = ?2", channel.rawValue, prefix
        ) { $0.int(0) } ?? 0
    }

    /// How many events wait to be handled.
    public func depth(channel: ConversationChannel, in db: Database) throws -> Int {
        try db.queryFirst("SELECT count(*) FROM inbox WHERE status = 'pending' AND channel = ?", channel.rawValue) { $0.int(0) } ?? 0
    }

    private static let select = """
        SELECT id, channel, dedup_key, sender, kind, event, status, outcome, received_at FROM inbox
        """

    private static func event(_ row: Row) -> InboxEvent {
        InboxEvent(
            id: row.int64(0), channel: ConversationChannel(rawValue: row.string(1)) ?? .messenger, dedupKey: row.string(2),
            sender: row.string(3), kind: row.string(4), event: row.string(5),
            status: InboxStatus(rawValue: row.string(6)) ?? .pending, outcome: row.optionalString(7),
            receivedAt: Timestamps.date(row.string(8)) ?? Date())
    }
}
