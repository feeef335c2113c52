import Commerce
import Foundation
import ReadAPI
import Storage

/// The escalations waiting for or held by agents, as the console shows them: open ones first,
/// most urgent first (priority, then waiting longest), then those assigned; a page of each.
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

    /// A look at the queue: the first items of each status, and how many there are in all.
    struct Page: Sendable {
        let items: [Item]
        let openTotal: Int
        let assignedTotal: Int
        /// Open escalations by priority band: how many, and how long the oldest has waited.
        let waitingByBand: [String: (count: Int, seconds: Int)]

        /// The first `limit` items of each status, with the totals.
        func first(_ limit: Int) -> Page {
            let open = items.filter { $0.status == "open" }.prefix(limit)
            let assigned = items.filter { $0.status != "open" }.prefix(limit)
            return Page(items: Array(open + assigned), openTotal: openTotal, assignedTotal: assignedTotal, waitingByBand: waitingByBand)
        }

        /// Whether items exist beyond this page.
        var hasMore: Bool { items.count < openTotal + assignedTotal }
    }

    /// How many items of each status a console is sent at first, and how many more each time
    /// it asks (`queue_more`), up to `maximumPageSize`: a queue of thousands must not make a
    /// frame that no console can take (the send queue holds 4 MiB).
    static let pageSize = 100
    static let maximumPageSize = 1_000

    /// The first `limit` items of each status now, and the totals, read in one snapshot.
    static func page(limit: Int, at now: Date, in db: Database) throws -> Page {
        let items = try Escalations().queue(limit: limit, in: db).map { queued in
            let created = Timestamps.date(queued.createdAt) ?? now
            return Item(
                escalationId: queued.id, conversationId: queued.conversationID, customerId: queued.customerID,
                customerName: API.Nullable(queued.customerName), channel: queued.channel, reason: queued.reason,
                priority: queued.priority, status: queued.status, agent: API.Nullable(queued.agent), summary: queued.summary,
                createdAt: queued.createdAt, waitingSeconds: max(0, Int(now.timeIntervalSince(created))))
        }
        let totals = try Escalations().queueTotals(in: db)
        let bands = try Escalations().openByBand(in: db).mapValues { band in
            (count: band.count, seconds: max(0, Int(now.timeIntervalSince(Timestamps.date(band.oldest) ?? now))))
        }
        return Page(items: items, openTotal: totals.open, assignedTotal: totals.assigned, waitingByBand: bands)
    }

    /// `queue{items[], open_total, assigned_total, has_more}`.
    static func frame(_ page: Page) -> String {
        struct Body: Encodable {
            let items: [Item]
            let openTotal: Int
            let assignedTotal: Int
            let hasMore: Bool
        }
        let body = Body(items: page.items, openTotal: page.openTotal, assignedTotal: page.assignedTotal, hasMore: page.hasMore)
        return AgentFrame.typed("queue", (try? AgentFrame.encoder.encode(body)) ?? Data("{}".utf8))
    }
}
