import Commerce
import Foundation
import NLU
import ReadAPI
import ShopValues
import Storage

/// What the bot did in a period, as `GET /api/analytics/summary` answers it (CONTRACT.md, "Shop
/// analytics"; docs/ANALYTICS.md says how each number is counted).
package struct ShopSummary: Encodable, Sendable, Equatable {
    package var from: String
    package var to: String
    package var conversations = 0
    package var customers = 0
    package var orders: OrderTotals
    package var contained = 0
    package var handedOver = 0
    package var misunderstoodMessages = 0
    package var byChannel: [String: ChannelSummary] = [:]
    package var byIntent: [String: Int] = [:]
    package var byDay: [DaySummary] = []
    /// Conversations that reached each step towards an order, or a later one.
    package var funnel: [String: Int] = [:]

    /// Orders placed: how many, for how much, and how many of them were cancelled since.
    package struct OrderTotals: Encodable, Sendable, Equatable {
        package var count = 0
        package var cancelled = 0
        package var value: String
        package var currency: String

        init(currency: String) {
            value = Money.zero(currency).decimalString
            self.currency = currency
        }

        mutating func add(count: Int, cancelled: Int, minorUnits: Int64) {
            self.count += count
            self.cancelled += cancelled
            value = Money(minorUnits: (Money(decimal: value, currency: currency)?.minorUnits ?? 0) + minorUnits, currency: currency)
                .decimalString
        }
    }

    /// The same numbers for one channel.
    package struct ChannelSummary: Encodable, Sendable, Equatable {
        package var conversations = 0
        package var customers = 0
        package var orders: OrderTotals
        package var contained = 0
        package var handedOver = 0
        package var misunderstoodMessages = 0
    }

    /// One day of the period.
    package struct DaySummary: Encodable, Sendable, Equatable {
        package let date: String
        package var conversations = 0
        package var handedOver = 0
        package var orders = 0
        package var value: String
    }
}

/// Counts a `ShopSummary` from what the database holds, in a handful of grouped queries (no
/// per-row work in Swift): conversations by the day they started, customers' messages by their
/// own time, orders by the day they were placed. The messages (the most rows by far) are
/// counted apart, so a caller can count them on another reader at the same time.
package struct ShopSummaryQueries: Sendable {
    let currency: String

    package init(currency: String) {
        self.currency = currency
    }

    /// Customers' messages of the period by channel and intent, and the misses among them.
    package struct MessageCounts: Sendable, Equatable {
        struct Count: Sendable, Equatable {
            var count = 0
            var missed = 0
        }

        var byChannelAndIntent: [String: [String: Count]] = [:]
    }

    /// The whole summary, on one connection.
    package func summary(of period: SummaryPeriod, in db: Database) throws -> ShopSummary {
        Self.adding(try messages(of: period, in: db), to: try conversationsAndOrders(of: period, in: db))
    }

    /// Everything but the messages (`messages` counts those, on another reader at the same time).
    package func conversationsAndOrders(of period: SummaryPeriod, in db: Database) throws -> ShopSummary {
        var summary = ShopSummary(from: period.from, to: period.to, orders: .init(currency: currency))
        for channel in ConversationChannel.allCases {
            summary.byChannel[channel.rawValue] = ShopSummary.ChannelSummary(orders: .init(currency: currency))
        }
        var days = Dictionary(uniqueKeysWithValues: period.days.map {
            ($0, ShopSummary.DaySummary(date: $0, value: Money.zero(currency).decimalString))
        })
        var dayMinor: [String: Int64] = [:]
        try countConversations(period, into: &summary, days: &days, in: db)
        try countCustomers(period, into: &summary, in: db)
        try countOrders(period, into: &summary, days: &days, dayMinor: &dayMinor, in: db)
        for (day, minor) in dayMinor { days[day]?.value = Money(minorUnits: minor, currency: currency).decimalString }
        summary.byDay = period.days.compactMap { days[$0] }
        return summary
    }

    /// `summary` with the messages' numbers in.
    package static func adding(_ messages: MessageCounts, to summary: ShopSummary) -> ShopSummary {
        var summary = summary
        for (channel, intents) in messages.byChannelAndIntent {
            for (intent, counts) in intents {
                summary.byIntent[intent, default: 0] += counts.count
                summary.misunderstoodMessages += counts.missed
                summary.byChannel[channel]?.misunderstoodMessages += counts.missed
            }
        }
        return summary
    }

    /// The messages customers wrote in the period, by channel and intent, with the misses
    /// (`Misunderstanding`) among them: for each channel and each intent the classifier gives
    /// (and none), one range of the index `messages_from_customers_by_intent`.
    package func messages(of period: SummaryPeriod, in db: Database) throws -> MessageCounts {
        var counts = MessageCounts()
        let range = try db.statement("""
            SELECT count(*), coalesce(sum(confidence < ?), 0) FROM messages
            WHERE direction = 'in' AND author = 'customer' AND channel = ? AND intent IS ? AND created_at >= ? AND created_at < ?
            """)
        let intents: [String?] = Intent.allCases.map(\.rawValue) + [nil]
        for channel in ConversationChannel.allCases {
            for intent in intents {
                try range.bind([Misunderstanding.confidenceBelow, channel.rawValue, intent, period.from, period.end])
                try range.forEachRow { row in
                    let count = row.int(0)
                    guard count > 0 else { return }
                    let guessed = intent == nil || intent == Misunderstanding.outOfScope
                    counts.byChannelAndIntent[channel.rawValue, default: [:]][intent ?? "unknown"] = MessageCounts.Count(
                        count: count, missed: guessed ? count : row.int(1))
                }
            }
        }
        // An agent's correction makes a miss of a message the classifier was sure of.
        let corrected = try db.query("""
            SELECT m.channel, coalesce(m.intent, 'unknown'), count(DISTINCT m.id)
            FROM intent_labels l JOIN messages m ON m.id = l.message_id
            WHERE m.created_at >= ?1 AND m.created_at < ?2 AND m.direction = 'in' AND m.author = 'customer'
              AND NOT (m.intent IS NULL OR m.confidence < ?3 OR m.intent = ?4)
            GROUP BY m.channel, m.intent
            """, period.from, period.end, Misunderstanding.confidenceBelow, Misunderstanding.outOfScope
        ) { ($0.string(0), $0.string(1), $0.int(2)) }
        for (channel, intent, count) in corrected {
            counts.byChannelAndIntent[channel, default: [:]][intent, default: MessageCounts.Count()].missed += count
        }
        return counts
    }

    private func countConversations(
        _ period: SummaryPeriod, into summary: inout ShopSummary, days: inout [String: ShopSummary.DaySummary], in db: Database
    ) throws {
        let steps = OrderFunnelStep.allCases
        let reached = steps.map { "sum(c.order_step >= \($0.rawValue))" }.joined(separator: ", ")
        let rows = try db.query("""
            SELECT c.channel, substr(c.created_at, 1, 10), count(*),
                   sum(c.id IN (SELECT conversation_id FROM escalations)), \(reached)
            FROM conversations c WHERE c.created_at >= ? AND c.created_at < ?
            GROUP BY c.channel, substr(c.created_at, 1, 10)
            """, period.from, period.end
        ) { row in (row.string(0), row.string(1), row.int(2), row.int(3), steps.indices.map { row.int(4 + $0) }) }
        for (channel, day, count, handedOver, funnel) in rows {
            summary.conversations += count
            summary.handedOver += handedOver
            summary.contained += count - handedOver
            summary.byChannel[channel, default: .init(orders: .init(currency: currency))].conversations += count
            summary.byChannel[channel]?.handedOver += handedOver
            summary.byChannel[channel]?.contained += count - handedOver
            days[day]?.conversations += count
            days[day]?.handedOver += handedOver
            for (step, total) in zip(steps, funnel) { summary.funnel[step.name, default: 0] += total }
        }
        for step in steps { summary.funnel[step.name, default: 0] += 0 }
    }

    private func countCustomers(_ period: SummaryPeriod, into summary: inout ShopSummary, in db: Database) throws {
        let channels = ConversationChannel.allCases
        let perChannel = channels.map { "count(DISTINCT CASE WHEN channel = '\($0.rawValue)' THEN customer_id END)" }
        let counts = try db.queryFirst("""
            SELECT count(DISTINCT customer_id), \(perChannel.joined(separator: ", "))
            FROM conversations WHERE created_at >= ? AND created_at < ?
            """, period.from, period.end) { row in (0...channels.count).map { row.int($0) } } ?? []
        guard counts.count == channels.count + 1 else { return }
        summary.customers = counts[0]
        for (channel, count) in zip(channels, counts.dropFirst()) { summary.byChannel[channel.rawValue]?.customers = count }
    }

    private func countOrders(
        _ period: SummaryPeriod, into summary: inout ShopSummary, days: inout [String: ShopSummary.DaySummary],
        dayMinor: inout [String: Int64], in db: Database
    ) throws {
        let rows = try db.query("""
            SELECT substr(o.created_at, 1, 10), c.channel, count(*), sum(o.status = 'cancelled'), sum(o.total_minor)
            FROM orders o LEFT JOIN conversations c ON c.id = o.conversation_id
            WHERE o.created_at >= ? AND o.created_at < ? AND o.currency = ?
            GROUP BY substr(o.created_at, 1, 10), c.channel
            """, period.from, period.end, currency
        ) { ($0.string(0), $0.optionalString(1), $0.int(2), $0.int(3), $0.int64(4)) }
        for (day, channel, count, cancelled, minor) in rows {
            summary.orders.add(count: count, cancelled: cancelled, minorUnits: minor)
            if let channel { summary.byChannel[channel]?.orders.add(count: count, cancelled: cancelled, minorUnits: minor) }
            days[day]?.orders += count
            dayMinor[day, default: 0] += minor
        }
    }
}
