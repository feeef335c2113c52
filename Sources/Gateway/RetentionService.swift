import Commerce
import Foundation
import Lifecycle
import Storage
import Telemetry

/// Purges what is past the shop's retention (`Retention`) shortly after start and then every
/// hour, a batch per write until nothing is left.
final class RetentionService: Service {
    let name = "retention"
    private let database: DatabasePool
    private let retention: Retention
    private let interval: Duration
    private let purged: Counter
    private let logger: Logger

    init(database: DatabasePool, retention: Retention, interval: Duration = .seconds(3_600), metrics: MetricsRegistry, logger: Logger) {
        self.database = database
        self.retention = retention
        self.interval = interval
        purged = metrics.counter(
            "orderbot_retention_purged_total",
            help: "Rows purged for being older than ORDERBOT_RETENTION_DAYS, by table (texts emptied for messages).",
            labels: ["table"])
        self.logger = logger.with(["component": "retention"])
    }

    func run() async {
        var wait = Duration.seconds(5)
        while !Task.isCancelled {
            guard (try? await Task.sleep(for: wait)) != nil else { return }
            await purgeAll()
            wait = interval
        }
    }

    /// Every batch there is now; errors are logged and the next round tries again.
    func purgeAll() async {
        var total = 0
        do {
            while !Task.isCancelled {
                let counts = try await database.write { [retention] db in try retention.purgeBatch(in: db) }
                for (table, count) in counts where count > 0 { purged.increment(table, by: Double(count)) }
                let batch = counts.values.reduce(0, +)
                total += batch
                if batch == 0 { break }
            }
        } catch {
            logger.error("purging past the retention failed; trying again later", ["error": .string("\(error)")])
        }
        if total > 0 {
            logger.info("purged what is past the retention", ["rows": .int(total), "days": .int(retention.days)])
        }
    }
}
