import Commerce
import Foundation
import Storage
import Telemetry
import WebServer

/// The running OrderBot: the database, the web server and the routes that tie them together.
public final class Gateway: Sendable {
    /// The database, migrated to the current schema.
    public let database: DatabasePool
    /// The process's metrics.
    public let metrics: MetricsRegistry
    private let server: WebServer
    private let health: HealthMonitor
    private let logger: Logger

    /// Opens (and migrates) the database and prepares the server; `start()` begins listening.
    public init(configuration: GatewayConfiguration, logger: Logger, metrics: MetricsRegistry = MetricsRegistry()) throws {
        self.logger = logger
        self.metrics = metrics
        database = try DatabasePool(configuration.database, migrator: Schema.migrator())
        if configuration.seedsDemoCatalog,
           let seeded = try database.write({ db in try DemoCatalog.seedIfEmpty(in: db, now: { Date() }) }) {
            logger.info("the catalog was empty: loaded the demo catalog", [
                "products": .int(seeded.products), "variants": .int(seeded.variants),
            ])
        }
        ProcessMetrics.register(in: metrics)
        health = HealthMonitor(logger: logger, probe: HealthRoutes.databaseProbe(database))
        var router = Router()
        HealthRoutes(health: health, metrics: metrics).install(in: &router)
        APIRoutes(
            database: database, facts: configuration.shopFacts,
            authorization: APIAuthorization(adminToken: configuration.adminToken)
        ).install(in: &router)
        server = WebServer(configuration: configuration.server, router: router, logger: logger, metrics: metrics)
    }

    /// Starts listening; returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        let port = try server.start()
        health.start()
        return port
    }

    /// The port the gateway listens on (0 when not running).
    public var port: Int { server.port }

    /// Begins a graceful shutdown; `stopped()` waits for it.
    public func shutdown() {
        health.stop()
        server.shutdown()
    }

    /// Suspends until the server has drained and stopped, then closes the database.
    public func stopped() async {
        await server.stopped()
        health.stop()
        database.close()
    }
}
