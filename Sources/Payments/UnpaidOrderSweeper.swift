import Commerce
import Foundation
import Lifecycle
import Storage
import Telemetry

/// Runs `UnpaidOrders` every `PaymentSettings.sweepInterval`: reminders first, releases after
/// `releaseAfter`. A failed round is logged and tried again at the next.
package final class UnpaidOrderSweeper: Service {
    package let name = "unpaid-orders"
    private let database: DatabasePool
    private let unpaid: UnpaidOrders
    private let interval: Duration
    private let metrics: PaymentMetrics
    private let logger: Logger
    /// After each round's commit: the notices to carry, and whether order events were recorded.
    private let committed: @Sendable (UnpaidOrders.Round) -> Void

    package init(
        database: DatabasePool, facts: ShopFacts, settings: PaymentSettings, notifierConfigured: Bool, metrics: PaymentMetrics,
        logger: Logger, committed: @escaping @Sendable (UnpaidOrders.Round) -> Void
    ) {
        self.database = database
        unpaid = UnpaidOrders(
            facts: facts, notifierConfigured: notifierConfigured, link: settings.link, remindAfter: settings.remindAfter,
            releaseAfter: settings.releaseAfter)
        interval = settings.sweepInterval
        self.metrics = metrics
        self.logger = logger.with(["component": "unpaid-orders"])
        self.committed = committed
    }

    package func run() async {
        while !Task.isCancelled {
            await sweep()
            guard (try? await Task.sleep(for: interval)) != nil else { return }
        }
    }

    /// One round; errors are logged.
    func sweep() async {
        do {
            let round = try await database.write { [unpaid] db in try unpaid.sweep(in: db) }
            guard !round.reminded.isEmpty || !round.released.isEmpty else { return }
            metrics.reminders.increment(by: Double(round.reminded.count))
            metrics.releases.increment(by: Double(round.released.count))
            logger.info("unpaid orders", [
                "reminded": .string(round.reminded.map(\.digits).joined(separator: ",")),
                "released": .string(round.released.map(\.digits).joined(separator: ",")),
            ])
            committed(round)
        } catch {
            logger.error("looking for unpaid orders failed", ["error": .string("\(error)")])
        }
    }
}
