import Foundation
import Storage

/// Purges what is older than the shop keeps it (`ORDERBOT_RETENTION_DAYS`): handled inbox
/// events and delivered replies are deleted, message texts emptied (the messages stay, with their
/// intents, for counts), sent or given-up notifications and order events the ERP took deleted
/// (one it has not taken stays, however old). Orders, customers and
/// escalations are the shop's records and stay; a customer's erasure is `CustomerErasure`.
///
/// Works in batches of `batchSize` rows per table, each batch one short write, so the writer
/// never holds its lock long.
public struct Retention: Sendable {
    public let days: Int
    public let batchSize: Int
    private let now: Now

    public init(days: Int, batchSize: Int = 1_000, now: @escaping Now = { Date() }) {
        precondition(days > 0 && batchSize > 0)
        self.days = days
        self.batchSize = batchSize
        self.now = now
    }

    /// Before this moment everything above is purged.
    public var cutoff: String { Timestamps.text(now().addingTimeInterval(-Double(days) * 86_400)) }

    /// One batch of each kind, in the caller's transaction; how many rows each touched (all
    /// zero: nothing is left to purge).
    public func purgeBatch(in db: Database) throws -> [String: Int] {
        let before = cutoff
        return [
            "inbox": try db.run("""
                DELETE FROM inbox WHERE id IN (
                    SELECT id FROM inbox WHERE status != 'pending' AND received_at < ?1 ORDER BY id LIMIT ?2)
                """, before, batchSize),
            "outbox": try db.run("""
                DELETE FROM outbox WHERE id IN (
                    SELECT id FROM outbox WHERE status != 'pending' AND created_at < ?1 ORDER BY id LIMIT ?2)
                """, before, batchSize),
            "messages": try db.run("""
                UPDATE messages SET text = '' WHERE id IN (
                    SELECT id FROM messages WHERE created_at < ?1 AND text != '' ORDER BY id LIMIT ?2)
                """, before, batchSize),
            "notifications": try db.run("""
                DELETE FROM notifications WHERE id IN (
                    SELECT id FROM notifications WHERE status != 'pending' AND created_at < ?1 ORDER BY id LIMIT ?2)
                """, before, batchSize),
            "order_events": try db.run("""
                DELETE FROM order_events WHERE id IN (
                    SELECT id FROM order_events WHERE status = 'sent' AND occurred_at < ?1 ORDER BY id LIMIT ?2)
                """, before, batchSize),
            // A week, whatever the retention: a retry comes within minutes, not months.
            "idempotency_keys": try db.run("""
                DELETE FROM idempotency_keys WHERE (scope, key) IN (
                    SELECT scope, key FROM idempotency_keys WHERE created_at < ?1 LIMIT ?2)
                """, Timestamps.text(now().addingTimeInterval(-IdempotencyKeys.retention)), batchSize),
        ]
    }
}
