import Commerce
import Foundation
import Storage

/// The escalations waiting for or held by agents, as the console shows them: open ones first,
/// most urgent first (priority, then waiting longest), then those assigned.
struct HandoffQueue {
    struct Item: Encodable, Sendable {
        let escalationId: Int64
        let conversationId: Int64
        let customerId: Int64
        let customerName: API.Nullable<String>
        let channel: String
        let reason: String
        let priority: Int
        let status: String
        let agent: API.Nullable<String>
        let summary: String
        let createdAt: String
        let waitingSeconds: Int
    }

    /// The items now, read in one snapshot.
    static func items(at now: Date, in db: Database) throws -> [Item] {
        try db.query("""
            SELECT e.id, e.conversation_id, e.customer_id, cu.name, c.channel, e.reason, e.priority, e.status, e.agent,
                   e.summary, e.created_at
            FROM escalations e JOIN conversations c ON c.id = e.conversation_id JOIN customers cu ON cu.id = e.customer_id
            WHERE e.status IN ('open', 'assigned')
            ORDER BY e.status = 'assigned', e.priority DESC, e.created_at, e.id
            """) { row in
            let created = Timestamps.date(row.string(10)) ?? now
            return Item(
                escalationId: row.int64(0), conversationId: row.int64(1), customerId: row.int64(2),
                customerName: API.Nullable(row.optionalString(3)), channel: row.string(4), reason: row.string(5),
                priority: row.int(6), status: row.string(7), agent: API.Nullable(row.optionalString(8)), summary: row.string(9),
                createdAt: row.string(10), waitingSeconds: max(0, Int(now.timeIntervalSince(created))))
        }
    }

    /// `queue{items[]}`.
    static func frame(_ items: [Item]) -> String {
        struct Body: Encodable { let items: [Item] }
        return AgentFrame.typed("queue", (try? AgentFrame.encoder.encode(Body(items: items))) ?? Data("{}".utf8))
    }
}
