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
    private let handoff: HandoffHub
    private let webChat: WebChat
    private let notifications: NotificationDelivery?
    private let logger: Logger
    private let host: String

    /// Opens (and migrates) the database, builds the engine and prepares the server; `start()`
    /// begins listening and working. Without an `understanding`, one is trained from the
    /// built-in intents and what agents taught before (their labels in the database).
    public init(
        configuration: GatewayConfiguration, logger: Logger, metrics: MetricsRegistry = MetricsRegistry(),
        understanding: LanguageUnderstanding? = nil
    ) throws {
        self.logger = logger
        self.metrics = metrics
        host = configuration.server.host
        database = try DatabasePool(configuration.database, migrator: Schema.migrator())
        if configuration.seedsDemoCatalog,
           let seeded = try database.write({ db in try DemoCatalog.seedIfEmpty(in: db, now: { Date() }) }) {
            logger.info("the catalog was empty: loaded the demo catalog", [
                "products": .int(seeded.products), "variants": .int(seeded.variants),
            ])
        }
        ProcessMetrics.register(in: metrics)
        var dialogue = configuration.dialogue
        dialogue.sendsVerificationCodes = configuration.notifier != nil
        engine = try ConversationEngine(
            database: database, understanding: try understanding ?? LanguageUnderstanding(
                corpus: IntentCorpus.embedded(),
                learned: try database.read { db in try IntentLabels().all(in: db).compactMap(LearnedExamples.example) }),
            configuration: EngineConfiguration(facts: configuration.shopFacts, dialogue: dialogue),
            metrics: metrics)
        let database = database
        let notifications = configuration.notifier.map {
            NotificationDelivery(database: database, settings: $0, metrics: metrics, logger: logger)
        }
        self.notifications = notifications
        if notifications == nil {
            logger.warning("ORDERBOT_NOTIFY_URL is not set: no one-time codes can be sent; customers who name a contact to see their orders are offered a person")
        }
        let hubLink = HubLink()
        let delivery = MessengerDelivery(
            database: database, configuration: configuration.messenger.delivery, metrics: metrics, logger: logger,
            escalated: { hubLink.queueChanged() })
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
        WebPages(settings: configuration.webPages).install(in: &router)
        if let folder = configuration.webPages.siteDirectory {
            logger.info("serving the web pages from a folder", ["folder": .string(folder)])
        }
        let calls = VoiceCalls(engine: engine, metrics: metrics)
        VoiceWebhook(calls: calls, authorization: .voice(token: configuration.voice.token), metrics: VoiceMetrics(metrics))
            .install(in: &router)
        TwilioWebhook(calls: calls, settings: configuration.voice, metrics: VoiceMetrics(metrics)).install(in: &router)
        if configuration.voice.twilioSigningToken == nil {
            logger.warning("ORDERBOT_TWILIO_AUTH_TOKEN is not set: Twilio voice requests are refused (403)")
        }
        let webChat = WebChat(engine: engine, metrics: metrics, logger: logger)
        self.webChat = webChat
        let hub = HandoffHub(
            database: database, facts: configuration.shopFacts, understanding: engine.understanding,
            channels: HandoffChannels(
                repliesQueued: { channel, _ in
                    switch channel {
                    case .messenger: delivery.wake()
                    case .web: webChat.delivery.wake()
                    case .voice: break
                    }
                },
                pushToWebChat: { conversation, frame in await webChat.sessions.pushAfterReplies(frame, toConversation: conversation) }),
            graceSeconds: configuration.handoff.claimGraceSeconds, metrics: metrics, logger: logger,
            agentCheckInterval: .seconds(configuration.handoff.disabledAgentCheckSeconds))
        hubLink.bind(hub)
        engine.observeTurns { message, outcome in
            if outcome.notificationsQueued { notifications?.wake() }
            hub.turnCommitted(message, outcome)
        }
        engine.provideAgentAvailability { hub.availability }
        handoff = hub
        let agentConsole = AgentConsole(
            hub: hub, authenticate: Self.agentAuthentication(database),
            authTimeout: .milliseconds(Int(configuration.handoff.authTimeoutSeconds * 1_000)))
        var serverConfiguration = configuration.server
        serverConfiguration.extraHeaderNames += [
            MessengerWebhook.signatureHeader, TwilioWebhook.signatureHeader, TwilioWebhook.forwardedProtoHeader,
        ]
        server = WebServer(
            configuration: serverConfiguration, router: router, webSockets: [webChat.route, agentConsole.route], logger: logger, metrics: metrics)
    }

    /// The name of the enabled agent a console token belongs to.
    private static func agentAuthentication(_ database: DatabasePool) -> @Sendable (String) async -> String? {
        { token in try? await database.read { db in try Agents().authenticate(token, in: db)?.name } }
    }

    /// Starts listening; returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        let port = try server.start()
        let address = ["0.0.0.0", "::", ""].contains(host) ? "127.0.0.1" : host.contains(":") ? "[\(host)]" : host
        logger.info("web pages", [
            "chat": .string("http://\(address):\(port)/"), "agent_console": .string("http://\(address):\(port)/agent"),
        ])
        health.start()
        let hub = handoff
        Task { await hub.countWaiting() }
        hub.startWatchingAgents()
        messengerDelivery.start()
        webChat.delivery.start()
        notifications?.start()
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
        await webChat.delivery.stop()
        await handoff.stopWatchingAgents()
        await notifications?.stop()
        database.close()
    }
}
