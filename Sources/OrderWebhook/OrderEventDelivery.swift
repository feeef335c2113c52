import Commerce
import Foundation
import Lifecycle
import ReadAPI
import SignedPost
import Storage
import Telemetry

/// Sends the order events outbox to the shop's ERP: each event POSTed as
/// `{"id","event","occurred_at","order"}` (the order as `GET /api/orders/{number}` shows it when
/// the event goes out), signed with `X-OrderBot-Signature: sha256=<hex HMAC-SHA256 of the body>`.
/// A 2xx answer is delivered; anything else is tried again after a growing pause (a random wait
/// under 1 s, 2 s, 4 s… up to 5 minutes), for as long as it takes: an order's events go in order,
/// and none is given up. Rows are durable, so a restart (or a crash) resumes where it stopped; an
/// event whose answer was lost is sent again, and the ERP drops repeats by its `id`.
package final class OrderEventDelivery: Service {
    private static let batch = 32

    private let database: DatabasePool
    private let settings: OrderWebhookSettings
    private let facts: ShopFacts
    private let poster: SignedPoster
    private let pollInterval: Duration
    private let logger: Logger
    private let outcomes: Counter
    private let depth: Gauge
    private let oldestAge: Gauge
    private let loop = OutboxLoop()

    package init(
        database: DatabasePool, settings: OrderWebhookSettings, facts: ShopFacts, metrics: MetricsRegistry, logger: Logger,
        pollInterval: Duration = .seconds(1)
    ) {
        self.database = database
        self.settings = settings
        self.facts = facts
        self.pollInterval = pollInterval
        self.logger = logger.with(["component": "order-webhook"])
        outcomes = metrics.counter(
            "orderbot_order_events_total", help: "Order events POSTed to the ERP, by outcome (delivered, retry).",
            labels: ["outcome"])
        depth = metrics.gauge("orderbot_order_events_pending", help: "Order events waiting to reach the ERP.")
        oldestAge = metrics.gauge(
            "orderbot_order_events_oldest_age_seconds", help: "How long ago the oldest order event waiting for the ERP happened.")
        poster = SignedPoster(url: settings.url, secret: settings.secret, system: "the ERP")
    }

    package var name: String { "order-webhook" }

    /// An order changed: send its event now rather than at the next poll.
    package func wake() {
        loop.wake()
    }

    package func run() async {
        await loop.run(every: pollInterval) { [self] in await sendDue() }
        poster.close()
    }

    private var isStopping: Bool { loop.isStopping }

    /// Sends what is due, one event per order at a time; true when the outbox could not be read
    /// or updated.
    private func sendDue() async -> Bool {
        do {
            while !isStopping {
                let due = try await database.read { db in try OrderEvents().due(limit: Self.batch, in: db) }
                for event in due where !isStopping {
                    guard let body = try await body(of: event) else { continue }
                    let problem = await poster.post(body)
                    try await record(event, problem: problem)
                }
                let backlog = try await database.read { db in try OrderEvents().backlog(in: db) }
                depth.set(Double(backlog.depth))
                oldestAge.set(backlog.oldest.map { max(0, Date().timeIntervalSince($0)) } ?? 0)
                if due.count < Self.batch { return false }
            }
            return false
        } catch {
            logger.error("the order events outbox could not be read or updated", ["error": .string("\(error)")])
            return true
        }
    }

    /// The JSON the ERP receives (keys sorted, snake_case like the read API).
    private struct Body: Encodable {
        let id: String
        let event: String
        let occurredAt: String
        let order: API.OrderRecord
    }

    private func body(of event: PendingOrderEvent) async throws -> [UInt8]? {
        let order = try await database.read { [facts] db in
            try OrderNumber(event.orderNumber).flatMap { try Orders(facts: facts).find($0, in: db) }
        }
        guard let order else { return nil }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = Body(id: event.publicID, event: event.kind.rawValue, occurredAt: API.time(event.occurredAt), order: API.order(order))
        return Array(try encoder.encode(body))
    }

    private func record(_ event: PendingOrderEvent, problem: String?) async throws {
        guard let problem else {
            try await database.write { db in try OrderEvents().delivered(event.rowID, in: db) }
            outcomes.increment("delivered")
            logger.info("order event delivered", [
                "id": .string(event.publicID), "event": .string(event.kind.rawValue), "order": .string(event.orderNumber),
            ])
            return
        }
        let delay = Backoff(baseDelay: settings.firstRetry, maxDelay: .seconds(300)).delay(afterAttempt: event.attempts + 1)
        let next = Date().addingTimeInterval(delay.seconds)
        try await database.write { db in try OrderEvents().failed(event.rowID, error: problem, next: next, in: db) }
        outcomes.increment("retry")
        logger.warning("order event not delivered; trying again", [
            "id": .string(event.publicID), "event": .string(event.kind.rawValue), "order": .string(event.orderNumber),
            "error": .string(problem), "retry_in_s": .double(delay.seconds),
        ])
    }
}
