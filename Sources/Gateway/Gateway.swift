import Analytics
import Commerce
import Engine
import Foundation
import Handoff
import Lifecycle
import Messenger
import NLU
import Notifier
import OrderWebhook
import Payments
import RateLimits
import ReadAPI
import Storage
import Telemetry
import Voice
import WebChat
import WebServer
import WebSite
import Wire

/// The running OrderBot: the composition root. It opens the database, builds the engine, the
/// channels, the handoff hub and the web server, wires them together, and runs the long-running
/// parts as one `ServiceGroup`.
public final class Gateway: Sendable {
    /// The database, migrated to the current schema.
    public let database: DatabasePool
    /// The process's metrics.
    public let metrics: MetricsRegistry
    /// The engine every channel's messages go through.
    public let engine: ConversationEngine
    private let server: WebServer
    private let services: ServiceGroup
    private let logger: Logger
    private let host: String

    /// Opens (and migrates) the database, builds the engine and prepares the server; `start()`
    /// begins listening and `run()` working. Without an `understanding`, one is trained from
    /// the built-in intents and what agents taught before (their labels in the database).
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
        let pool = database
        metrics.sampledCounter(
            "orderbot_database_group_commits_total",
            help: "Transactions (each one fsync) in which the writer committed queued writes together."
        ) { Double(pool.groupedWrites.commits) }
        metrics.sampledCounter(
            "orderbot_database_group_writes_total",
            help: "Queued writes (acknowledgements, turns, outbox and agent updates) committed in those transactions."
        ) { Double(pool.groupedWrites.writes) }
        metrics.sampledCounter(
            "orderbot_database_busy_retries_total",
            help: "Locks waited for again after the busy timeout, because another process held the database file."
        ) { Double(pool.busyRetries) }
        var dialogue = configuration.dialogue
        dialogue.sendsVerificationCodes = configuration.notifier != nil
        dialogue.paymentLink = configuration.payments.link
        engine = try ConversationEngine(
            database: database, understanding: try understanding ?? LanguageUnderstanding(
                corpus: IntentCorpus.embedded(),
                learned: try database.read { db in try IntentLabels().all(in: db).compactMap(LearnedExamples.example) }),
            configuration: EngineConfiguration(
                facts: configuration.shopFacts, dialogue: dialogue,
                escalationLimit: configuration.rateLimits.limiter(RateLimitSettings.escalation, metrics: metrics),
                orderLimit: configuration.rateLimits.limiter(RateLimitSettings.order, metrics: metrics)),
            metrics: metrics)
        let database = database
        let engine = engine

        let notifications = configuration.notifier.map {
            NotificationDelivery(database: database, settings: $0, metrics: metrics, logger: logger)
        }
        if notifications == nil {
            logger.warning("ORDERBOT_NOTIFY_URL is not set: no one-time codes can be sent; customers who name a contact to see their orders are offered a person")
        }
        let orderEvents = configuration.orderWebhook.map {
            OrderEventDelivery(database: database, settings: $0, facts: configuration.shopFacts, metrics: metrics, logger: logger)
        }
        let queueChanges = WakeSignal()
        // One bucket per client address for all webhooks, and one for failed token checks
        // wherever a token is checked (admin API, voice, agents' console).
        let webhookLimit = configuration.rateLimits.limiter(RateLimitSettings.webhook, metrics: metrics)
        let lockout = configuration.rateLimits.limiter(RateLimitSettings.failedAuth, metrics: metrics)
        let channels: [any MountedChannel] = [
            MessengerChannel(
                settings: configuration.messenger, engine: engine, metrics: metrics, logger: logger, webhookLimit: webhookLimit,
                senderLimit: configuration.rateLimits.limiter(RateLimitSettings.messengerSender, metrics: metrics),
                escalated: { queueChanges.fire() }),
            VoiceChannel(
                settings: configuration.voice, engine: engine, metrics: metrics, logger: logger, webhookLimit: webhookLimit,
                lockout: lockout),
            WebChat(engine: engine, limits: WebChatLimits(configuration.rateLimits, metrics: metrics), metrics: metrics, logger: logger),
        ]
        let hub = HandoffHub(
            database: database, facts: configuration.shopFacts, understanding: engine.understanding,
            channels: ChannelDirectory(channels), queueChanges: queueChanges,
            graceSeconds: configuration.handoff.claimGraceSeconds, metrics: metrics, logger: logger,
            agentCheckInterval: .seconds(configuration.handoff.disabledAgentCheckSeconds))
        engine.observeTurns { message, outcome in
            if outcome.notificationsQueued { notifications?.wake() }
            hub.turnCommitted(message, outcome)
        }
        engine.provideAgentAvailability { hub.availability }
        let health = HealthMonitor(logger: logger, probe: HealthRoutes.databaseProbe(database))

        var router = Router()
        HealthRoutes(health: health, metrics: metrics, deepCheck: HealthRoutes.integrityCheck(database)).install(in: &router)
        let apiAuthorization = BearerAuthorization.api(adminToken: configuration.adminToken).limitingFailures(with: lockout)
        APIRoutes(database: database, facts: configuration.shopFacts, authorization: apiAuthorization).install(in: &router)
        let directory = ChannelDirectory(channels)
        OrderStatusRoute(
            database: database, facts: configuration.shopFacts, authorization: apiAuthorization,
            notifierConfigured: notifications != nil,
            noticeQueued: { route in Self.carry(route, channels: directory, notifier: notifications, logger: logger) },
            moved: { order in
                orderEvents?.wake()
                if order.status == .cancelled { try? engine.refresh(products: Set(order.lines.map(\.productID))) }
            }
        ).install(in: &router)
        CatalogRoutes(
            database: database, currency: configuration.shopFacts.currency,
            authorization: apiAuthorization,
            catalogChanged: { change in try engine.catalogChanged(change) }
        ).install(in: &router)
        AnalyticsSummaryRoute(database: database, currency: configuration.shopFacts.currency, authorization: apiAuthorization)
            .install(in: &router)
        // The shop owner's misses: an accepted group is taught to the conversations' classifier at once.
        MissesRoutes(database: database, authorization: apiAuthorization, understanding: engine.understanding).install(in: &router)
        let paymentMetrics = PaymentMetrics(metrics)
        if let secret = configuration.payments.secret {
            PaymentWebhook(
                database: database,
                callbacks: PaymentCallbacks(
                    facts: configuration.shopFacts, notifierConfigured: notifications != nil, link: configuration.payments.link),
                secret: secret, metrics: paymentMetrics, limit: webhookLimit,
                committed: { result in
                    if let notice = result.notice { Self.carry(notice, channels: directory, notifier: notifications, logger: logger) }
                    if result.escalation != nil { queueChanges.fire() }
                    orderEvents?.wake()
                }
            ).install(in: &router)
        }
        let unpaidOrders = configuration.payments.takesPayments ? UnpaidOrderSweeper(
            database: database, facts: configuration.shopFacts, settings: configuration.payments,
            notifierConfigured: notifications != nil, metrics: paymentMetrics, logger: logger,
            committed: { round in
                for notice in round.notices { Self.carry(notice, channels: directory, notifier: notifications, logger: logger) }
                orderEvents?.wake()
                // Released stock is on sale again: the dialogue's copy must say so.
                try? engine.refresh(products: round.products)
            }) : nil
        WebPages(settings: configuration.webPages).install(in: &router)
        if let folder = configuration.webPages.siteDirectory {
            logger.info("serving the web pages from a folder", ["folder": .string(folder)])
        }
        for channel in channels { channel.install(in: &router) }
        let agentConsole = AgentConsole(
            hub: hub, authenticate: Self.agentAuthentication(database),
            authTimeout: .milliseconds(Int(configuration.handoff.authTimeoutSeconds * 1_000)), lockout: lockout)
        var serverConfiguration = configuration.server
        serverConfiguration.extraHeaderNames += channels.flatMap(\.requestHeaders) + [OrderStatusRoute.idempotencyHeader, PaymentWebhook.signatureHeader]
        server = WebServer(
            configuration: serverConfiguration, router: router,
            webSockets: channels.flatMap(\.webSocketRoutes) + [agentConsole.route], logger: logger, metrics: metrics)

        // Started in this order and stopped in reverse: the server stops taking requests first,
        // then the channels' workers drain, then the hub, the notifier and the health monitor.
        let retention = configuration.retentionDays.map {
            RetentionService(database: database, retention: Retention(days: $0), metrics: metrics, logger: logger)
        }
        services = ServiceGroup(
            [health] + [notifications].compactMap { $0 } + [orderEvents].compactMap { $0 } + [retention].compactMap { $0 }
                + [unpaidOrders].compactMap { $0 } + [hub]
                + channels.flatMap(\.services)
                + [ServerService(server: server)],
            logger: logger)
    }

    /// Wakes the worker that carries a notice of an order to its customer.
    private static func carry(
        _ route: NoticeRoute, channels: ChannelDirectory, notifier: NotificationDelivery?, logger: Logger
    ) {
        switch route {
        case .outbox(let channel, let conversation): channels[channel]?.repliesQueued(conversation: conversation)
        case .notifier: notifier?.wake()
        case .nowhere: logger.warning("an order's news could not reach its customer: no channel carries it and no notifier is set")
        }
    }

    /// The name of the enabled agent a console token belongs to.
    private static func agentAuthentication(_ database: DatabasePool) -> @Sendable (String) async -> String? {
        { token in try? await database.read { db in try Agents().authenticate(token, in: db)?.name } }
    }

    /// Binds the listening socket; returns the bound port. `run()` then serves.
    @discardableResult
    public func start() throws -> Int {
        let port = try server.start()
        let address = ["0.0.0.0", "::", ""].contains(host) ? "127.0.0.1" : host.contains(":") ? "[\(host)]" : host
        logger.info("web pages", [
            "chat": .string("http://\(address):\(port)/"), "agent_console": .string("http://\(address):\(port)/agent"),
        ])
        return port
    }

    /// The port the gateway listens on (0 when not running).
    public var port: Int { server.port }

    /// Runs every part until `shutdown()` (or the task is cancelled, or a part fails), then
    /// stops them in reverse order (the server drains first) and closes the database. Throws
    /// `GatewayError.notStarted` unless `start()` has bound the port, and the `ServiceFailure`
    /// of a part that failed.
    public func run() async throws {
        guard server.isRunning else { throw GatewayError.notStarted }
        defer { database.close() }
        try await services.run()
    }

    /// Begins a graceful shutdown; `run()` returns once it is done. Safe from any thread.
    public func shutdown() {
        services.stop()
    }
}

/// Why the gateway cannot run.
public enum GatewayError: Error, Equatable, CustomStringConvertible {
    /// `run()` before `start()` bound the port.
    case notStarted

    public var description: String {
        switch self {
        case .notStarted: "the gateway was not started: call start() before run()"
        }
    }
}

/// The web server as a service: it serves (bound by `start()`) until cancelled, then drains
/// its connections within the shutdown grace and returns.
struct ServerService: Service {
    let server: WebServer

    var name: String { "webserver" }

    func run() async {
        await withTaskCancellationHandler {
            await server.stopped()
        } onCancel: {
            server.shutdown()
        }
    }
}
