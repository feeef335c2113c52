import Commerce
import Foundation
import NLU
import Storage
import Telemetry
import WebServer

/// The running OrderBot: the database, the conversation engine, the channels and the web server
/// that ties them together.
public final class Gateway: Sendable {
    /// The database, migrated to the current schema.
    public let database: DatabasePool
    /// The process's metrics.
    public let metrics: MetricsRegistry
    /// The engine every channel's messages go through.
    public let engine: ConversationEngine
    private let server: WebServer
    private let health: HealthMonitor
    private let messengerInbox: MessengerInbox
    private let messengerDelivery: MessengerDelivery
    private let logger: Logger

    /// Opens (and migrates) the database, builds the engine and prepares the server; `start()`
    /// begins listening and working. Without an `understanding`, one is trained from the
    /// built-in intents.
    public init(
        configuration: GatewayConfiguration, logger: Logger, metrics: MetricsRegistry = MetricsRegistry(),
        understanding: LanguageUnderstanding? = nil
    ) throws {
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
        engine = try ConversationEngine(
            database: database, understanding: try understanding ?? LanguageUnderstanding(corpus: IntentCorpus.embedded()),
            configuration: EngineConfiguration(facts: configuration.shopFacts, dialogue: configuration.dialogue),
            metrics: metrics)
        let delivery = MessengerDelivery(
            database: database, configuration: configuration.messenger.delivery, metrics: metrics, logger: logger)
        messengerDelivery = delivery
        let inbox = MessengerInbox(engine: engine, logger: logger, metrics: metrics, repliesQueued: { delivery.wake() })
        messengerInbox = inbox
        health = HealthMonitor(logger: logger, probe: HealthRoutes.databaseProbe(database))
        var router = Router()
        HealthRoutes(health: health, metrics: metrics).install(in: &router)
        APIRoutes(
            database: database, facts: configuration.shopFacts,
            authorization: .api(adminToken: configuration.adminToken)
        ).install(in: &router)
        MessengerWebhook(
            settings: configuration.messenger, database: database, metrics: MessengerWebhookMetrics(metrics),
            accepted: { inbox.wake() }
        ).install(in: &router)
        let calls = VoiceCalls(engine: engine, metrics: metrics)
        VoiceWebhook(calls: calls, authorization: .voice(token: configuration.voice.token), metrics: VoiceMetrics(metrics))
            .install(in: &router)
        TwilioWebhook(calls: calls, settings: configuration.voice, metrics: VoiceMetrics(metrics)).install(in: &router)
        if configuration.voice.twilioAuthToken == nil {
            logger.warning("ORDERBOT_TWILIO_AUTH_TOKEN is not set: Twilio voice requests are not authenticated")
        }
        var serverConfiguration = configuration.server
        serverConfiguration.extraHeaderNames += [
            MessengerWebhook.signatureHeader, TwilioWebhook.signatureHeader, TwilioWebhook.forwardedProtoHeader,
        ]
        server = WebServer(configuration: serverConfiguration, router: router, logger: logger, metrics: metrics)
    }

    /// Starts listening; returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        let port = try server.start()
        health.start()
        messengerDelivery.start()
        messengerInbox.start()
        return port
    }

    /// The port the gateway listens on (0 when not running).
    public var port: Int { server.port }

    /// Begins a graceful shutdown; `stopped()` waits for it.
    public func shutdown() {
        health.stop()
        server.shutdown()
    }

    /// Suspends until the server has drained and stopped and the channels' workers have put
    /// down their work, then closes the database.
    public func stopped() async {
        await server.stopped()
        health.stop()
        await messengerInbox.stop()
        await messengerDelivery.stop()
        database.close()
    }
}
