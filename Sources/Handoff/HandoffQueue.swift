import Commerce
import Foundation
import ReadAPI
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
        try Escalations().queue(in: db).map { queued in
            let created = Timestamps.date(queued.createdAt) ?? now
            return Item(
                escalationId: queued.id, conversationId: queued.conversationID, customerId: queued.customerID,
                customerName: API.Nullable(queued.customerName), channel: queued.channel, reason: queued.reason,
                priority: queued.priority, status: queued.status, agent: API.Nullable(queued.agent), summary: queued.summary,
                createdAt: queued.createdAt, waitingSeconds: max(0, Int(now.timeIntervalSince(created))))
        }
    }

    /// `queue{items[]}`.
    static func frame(_ items: [Item]) -> String {
        struct Body: Encodable { let items: [Item] }
        return AgentFrame.typed("queue", (try? AgentFrame.encoder.encode(Body(items: items))) ?? Data("{}".utf8))
    }
}
