import Commerce
import Foundation
import Gateway
import Messenger
import NLU
import Notifier
import OrderWebhook
import Payments
import RateLimits
import Storage
import Telemetry
import Voice
import WebServer
import WebSite

/// `orderbot serve`: runs the gateway until SIGINT or SIGTERM, then drains and exits 0.
enum ServeCommand {
    static let description = CommandDescription(
        name: "serve", summary: "run the gateway (HTTP + WebSocket) until SIGINT/SIGTERM", help: help, run: run)

    static let help = """
        Usage: orderbot serve [--host ADDRESS] [--port PORT] [--db PATH] [--log LEVEL]

        Runs the gateway: HTTP endpoints and WebSockets on one port, data in one SQLite file.
        On SIGINT or SIGTERM it stops accepting connections, finishes requests in flight, closes
        WebSockets with 1001 and exits 0 (forcing after the grace period).

        Options (a flag wins over its environment variable):
          --host ADDRESS   ORDERBOT_HOST    address to listen on              (default 127.0.0.1;
                                            0.0.0.0 for every interface)
          --port PORT      ORDERBOT_PORT    TCP port, 0 for any free one      (default 8080)
          --db PATH        ORDERBOT_DB      SQLite database file              (default ./orderbot.sqlite)
          --log LEVEL      ORDERBOT_LOG     debug, info, warning or error     (default info)

        Shop (environment only):
          ORDERBOT_ADMIN_TOKEN          token for /api/* (Authorization: Bearer …); unset: /api refused
          ORDERBOT_SHOP_FACTS           JSON file of stores, hours, delivery, payment and returns
                                        (default: the built-in demo shop; layout in docs/COMMERCE.md)
          ORDERBOT_ORDER_STALE_MINUTES  minutes after which a half-finished order is dropped (default 30)
          ORDERBOT_INTENTS              train the classifier from this folder (laid out like Intents/)
                                        instead of the copy built into orderbot
          ORDERBOT_INTENT_THRESHOLD     below this probability a message is out_of_scope (default 0.35)

        Messenger (environment only; see docs/MESSENGER.md):
          ORDERBOT_MESSENGER_APP_SECRET   app secret the webhook signatures are made with;
                                          unset: webhook POSTs are refused (403)
          ORDERBOT_MESSENGER_VERIFY_TOKEN token Meta's verification request must bring;
                                          unset: verification is refused (403)
          ORDERBOT_MESSENGER_PAGE_TOKEN   Page access token for the Send API; unset: replies wait
                                          in the outbox until it is set
          ORDERBOT_MESSENGER_API_BASE     Graph API base URL (default https://graph.facebook.com/v19.0)

        Voice (environment only; see docs/VOICE.md):
          ORDERBOT_VOICE_TOKEN            bearer token speech platforms present on /webhooks/voice;
                                          unset: voice webhooks are refused (401)
          ORDERBOT_TWILIO_AUTH_TOKEN      Twilio auth token: X-Twilio-Signature is required on
                                          /webhooks/voice/twilio (403 otherwise); unset: Twilio
                                          callbacks are refused (403)
          ORDERBOT_TWILIO_WEBHOOK_URL     the public URL Twilio calls (signatures are made over it);
                                          unset: rebuilt from Host and X-Forwarded-Proto
          ORDERBOT_TWILIO_VOICE           Twilio text-to-speech voice, e.g. Polly.Ewa (default: Twilio's)

        Web pages (environment only; see docs/WEBPAGES.md):
          ORDERBOT_ALLOWED_ORIGINS        origins of other sites' pages that may open /ws/chat and
                                          /ws/agent, e.g. https://shop.example (default: only
                                          this server's own pages; clients without Origin pass)
          ORDERBOT_CHAT_FRAME_ANCESTORS   origins whose pages may embed the chat page in a frame,
                                          e.g. "https://shop.example https://www.shop.example"
                                          (default: only the gateway's own pages)
          ORDERBOT_SITE_DIR               serve the chat page and agent console from this folder
                                          (laid out like Sources/Gateway/Site/) instead of the
                                          built-in copy; read at every request, never cached

        One-time codes (environment only; see docs/SECURITY.md):
          ORDERBOT_NOTIFY_URL             the shop's SMS / e-mail gateway: codes that prove a typed
                                          phone number or e-mail are POSTed there as JSON;
                                          unset: no codes, a person is offered instead
          ORDERBOT_NOTIFY_SECRET          key of X-OrderBot-Signature (HMAC-SHA256 of the body);
                                          required with ORDERBOT_NOTIFY_URL

        Order events to the shop's ERP (environment only; see docs/COMMERCE.md):
          ORDERBOT_ORDER_WEBHOOK_URL      every order event (order.created, order.changed,
                                          order.cancelled, order.paid, return.requested,
                                          complaint.opened) is POSTed there, in order per order,
                                          retried until taken
          ORDERBOT_ORDER_WEBHOOK_SECRET   key of X-OrderBot-Signature (HMAC-SHA256 of the body);
                                          required with ORDERBOT_ORDER_WEBHOOK_URL

        Payments (environment only; see docs/COMMERCE.md):
          ORDERBOT_PAYMENT_LINK_TEMPLATE  the payment page of an order paid online, e.g.
                                          https://pay.example.com/p/{order_number}?amount={amount}&currency={currency};
                                          put in the confirmation (sent by the notifier to callers)
          ORDERBOT_PAYMENT_SECRET         key of the X-OrderBot-Signature of POST /webhooks/payment;
                                          unset: that endpoint is off
          ORDERBOT_UNPAID_REMINDER_MINUTES  an unpaid online order reminds its customer once after
                                          this long (default 60; fractions allowed)
          ORDERBOT_UNPAID_RELEASE_MINUTES   ...and is cancelled, its stock released, after this long
                                          (default 1440); both only with a link template or a secret

        An empty catalog is filled with the built-in demo catalog at start; load your own with
        'orderbot import-catalog FILE.csv' (before or after: the demo only fills an empty one).

        Limits (environment only):
          ORDERBOT_MAX_BODY_BYTES       largest request body accepted     (default 1048576)
          ORDERBOT_MAX_CONNECTIONS      open client connections at most   (default 1024)
          ORDERBOT_IDLE_TIMEOUT         seconds a slow or idle client may stall (default 10)
          ORDERBOT_SHUTDOWN_GRACE       seconds to drain on shutdown      (default 5)
          ORDERBOT_TLS_CERT             PEM certificate (with its chain): serve HTTPS and WSS on the
          ORDERBOT_TLS_KEY              port, with HSTS; both or neither (default: plain HTTP)
          ORDERBOT_RETENTION_DAYS       days after which handled webhook events, delivered replies
                                        and message texts are purged, or off (default 365)
          ORDERBOT_MAX_CONNECTIONS_PER_ADDRESS  open connections from one client address
                                        (an IPv4 address or an IPv6 /64; default 64)

        Rate limits (environment only; over one, HTTP gets 429 with Retry-After and a chat
        socket error{code:"rate_limited"}; RATE/UNIT[:BURST] with UNIT s, min or h):
          ORDERBOT_RATE_LIMITS          off turns every limit off (load tests); default on
        \(rateLimitLines)

        Logs go to standard error, one logfmt line per event.
        """

    /// One line per rate limit: its variable, what it counts, its default.
    private static var rateLimitLines: String {
        RateLimitSettings.all.map { entry in
            "  " + entry.variable.padding(toLength: 41, withPad: " ", startingAt: 0) + " \(entry.counts) (default \(entry.defaultLimit))"
        }.joined(separator: "\n")
    }

    /// Tokens shorter than this are reported at start: guessable in time, even at the failed-token limit.
    static let shortestSafeToken = 16

    /// Warns of each secret token shorter than `shortestSafeToken` (they still work: a shop may be
    /// trying the server out), naming the variable, never the value.
    private static func warnOfShortTokens(_ settings: Settings, logger: Logger) {
        for variable in [
            "ORDERBOT_ADMIN_TOKEN", "ORDERBOT_VOICE_TOKEN", "ORDERBOT_MESSENGER_APP_SECRET", "ORDERBOT_PAYMENT_SECRET",
            "ORDERBOT_ORDER_WEBHOOK_SECRET", "ORDERBOT_NOTIFY_SECRET",
        ] {
            guard let token = settings.string(variable: variable), token.count < shortestSafeToken else { continue }
            logger.warning("a secret is short enough to be guessed: use at least \(shortestSafeToken) random characters (openssl rand -hex 24)", [
                "variable": .string(variable), "length": .int(token.count),
            ])
        }
    }

    static func run(_ arguments: [String], _ environment: [String: String]) async throws -> Int32 {
        let parsed = try ParsedArguments(arguments, valued: ["host", "port", "db", "log"], flags: ["help"])
        if parsed.has("help") {
            print(help)
            return 0
        }
        guard parsed.positionals.isEmpty else { throw UsageError("serve takes no arguments (got \(parsed.positionals))") }
        let settings = Settings(arguments: parsed, environment: environment)
        let logger = try makeLogger(settings)
        let configuration = try configuration(settings)
        ResourceLimits.allowOpenFiles(configuration.server.maxConnections * 2 + 64)
        ResourceLimits.surviveFileSizeLimit()

        logger.info("starting orderbot", [
            "version": .string(CommandLineInterface.version), "db": .string(configuration.database.path),
        ])
        warnOfShortTokens(settings, logger: logger)
        let gateway: Gateway
        do {
            let learned = try LearnedExamples.load(databaseAt: configuration.database.path)
            if !learned.isEmpty {
                logger.info("training with the agents' intent labels", ["examples": .int(learned.count)])
            }
            let understanding = LanguageUnderstanding(
                corpus: try IntentsSource.corpus(settings), learned: learned,
                configuration: try IntentsSource.configuration(settings))
            gateway = try Gateway(configuration: configuration, logger: logger, understanding: understanding)
            // Training's scratch memory (every example's features, the gradients) is freed by
            // now but malloc keeps it: about 60 MB of resident memory nobody uses.
            ResourceLimits.returnFreedMemory()
        } catch let usage as UsageError {
            throw usage
        } catch {
            logger.error("cannot start", ["error": .string(String(describing: error))])
            throw StartupFailure(underlying: error)
        }
        // Signals are caught before the port opens, so a supervisor's early SIGTERM is a clean stop.
        let signals = ShutdownSignals { signal in
            logger.info("shutdown requested", ["signal": .string(signal)])
            gateway.shutdown()
        }
        do {
            try gateway.start()
        } catch {
            signals.cancel()
            logger.error("cannot start", ["error": .string(String(describing: error))])
            throw StartupFailure(underlying: error)
        }
        defer { signals.cancel() }
        do {
            try await gateway.run()
        } catch {
            logger.error("stopped after a failure", ["error": .string(String(describing: error))])
            throw error
        }
        return 0
    }

    static func makeLogger(_ settings: Settings) throws(UsageError) -> Logger {
        let name = settings.string(flag: "log", variable: "ORDERBOT_LOG") ?? "info"
        guard let level = LogLevel(name: name) else {
            throw UsageError("--log / ORDERBOT_LOG must be debug, info, warning or error (got \"\(name)\")")
        }
        return Logger(level: level)
    }

    static func configuration(_ settings: Settings) throws(UsageError) -> GatewayConfiguration {
        let host = settings.string(flag: "host", variable: "ORDERBOT_HOST") ?? "127.0.0.1"
        let port = try settings.integer(flag: "port", variable: "ORDERBOT_PORT", in: 0...65_535, default: 8080)
        let path = settings.string(flag: "db", variable: "ORDERBOT_DB") ?? "./orderbot.sqlite"
        var origins = OriginPolicy.sameOrigin
        if let list = settings.string(variable: "ORDERBOT_ALLOWED_ORIGINS") {
            switch OriginPolicy.parse(list) {
            case .success(let policy): origins = policy
            case .failure(let error): throw UsageError("ORDERBOT_ALLOWED_ORIGINS: \(error)")
            }
        }
        let tls = try tlsFiles(settings)
        let server = ServerConfiguration(
            host: host, port: port,
            maxBodyBytes: try settings.integer(variable: "ORDERBOT_MAX_BODY_BYTES", in: 1_024...(1 << 30), default: 1 << 20),
            maxConnections: try settings.integer(variable: "ORDERBOT_MAX_CONNECTIONS", in: 1...65_000, default: 1_024),
            maxConnectionsPerAddress: try settings.integer(
                variable: "ORDERBOT_MAX_CONNECTIONS_PER_ADDRESS", in: 1...65_000, default: 64),
            idleTimeoutSeconds: try settings.integer(variable: "ORDERBOT_IDLE_TIMEOUT", in: 1...3_600, default: 10),
            shutdownGraceSeconds: try settings.integer(variable: "ORDERBOT_SHUTDOWN_GRACE", in: 0...300, default: 5),
            webSocketOrigins: origins, tls: tls)
        var configuration = GatewayConfiguration(
            server: server, database: DatabaseConfiguration(path: path),
            adminToken: settings.string(variable: "ORDERBOT_ADMIN_TOKEN"),
            shopFacts: try shopFacts(settings), dialogue: try EngineSetup.dialogueSettings(settings),
            messenger: try messenger(settings), voice: try voice(settings), webPages: try webPages(settings),
            notifier: try notifier(settings), orderWebhook: try orderWebhook(settings), rateLimits: try rateLimits(settings),
            retentionDays: try retentionDays(settings))
        configuration.payments = try payments(settings)
        return configuration
    }

    /// `ORDERBOT_TLS_CERT` and `ORDERBOT_TLS_KEY`, both or neither, both readable files.
    static func tlsFiles(_ settings: Settings) throws(UsageError) -> TLSFiles? {
        let certificate = settings.string(variable: "ORDERBOT_TLS_CERT")
        let key = settings.string(variable: "ORDERBOT_TLS_KEY")
        switch (certificate, key) {
        case (nil, nil):
            return nil
        case (let certificate?, let key?):
            for (variable, path) in [("ORDERBOT_TLS_CERT", certificate), ("ORDERBOT_TLS_KEY", key)]
            where !FileManager.default.isReadableFile(atPath: path) {
                throw UsageError("\(variable): cannot read \(path)")
            }
            return TLSFiles(certificatePath: certificate, privateKeyPath: key)
        default:
            throw UsageError("ORDERBOT_TLS_CERT and ORDERBOT_TLS_KEY are set together (a certificate needs its key)")
        }
    }

    /// `ORDERBOT_PAYMENT_*` and `ORDERBOT_UNPAID_*`.
    static func payments(_ settings: Settings) throws(UsageError) -> PaymentSettings {
        var payments = PaymentSettings()
        if let template = settings.string(variable: "ORDERBOT_PAYMENT_LINK_TEMPLATE") {
            do {
                payments.link = try PaymentLinkTemplate(template)
            } catch {
                throw UsageError("ORDERBOT_PAYMENT_LINK_TEMPLATE: \(error)")
            }
        }
        payments.secret = settings.string(variable: "ORDERBOT_PAYMENT_SECRET")
        let remind = try minutes(settings, "ORDERBOT_UNPAID_REMINDER_MINUTES", default: 60)
        let release = try minutes(settings, "ORDERBOT_UNPAID_RELEASE_MINUTES", default: 1_440)
        guard release > remind else {
            throw UsageError("ORDERBOT_UNPAID_RELEASE_MINUTES (\(release)) must be longer than ORDERBOT_UNPAID_REMINDER_MINUTES (\(remind)): the reminder comes first")
        }
        payments.remindAfter = remind * 60
        payments.releaseAfter = release * 60
        // Looked for often enough that neither comes much later than set (a trial with minutes).
        payments.sweepInterval = .milliseconds(Int(min(60, max(1, remind * 60 / 4)) * 1_000))
        return payments
    }

    /// A number of minutes, fractions allowed (`0.5`), from a few seconds to 30 days.
    private static func minutes(_ settings: Settings, _ variable: String, default fallback: Double) throws(UsageError) -> Double {
        guard let text = settings.string(variable: variable) else { return fallback }
        guard let value = Double(text), value.isFinite, (0.05...43_200).contains(value) else {
            throw UsageError("\(variable) must be a number of minutes from 0.05 to 43200 (got \"\(text)\")")
        }
        return value
    }

    /// `ORDERBOT_RETENTION_DAYS`: a number of days (default 365), or `off` to keep everything.
    static func retentionDays(_ settings: Settings) throws(UsageError) -> Int? {
        if settings.string(variable: "ORDERBOT_RETENTION_DAYS") == "off" { return nil }
        return try settings.integer(variable: "ORDERBOT_RETENTION_DAYS", in: 1...36_500, default: 365)
    }

    /// `ORDERBOT_RATE_LIMITS=off` turns every limit off; `ORDERBOT_RATE_LIMIT_<NAME>` sets one.
    static func rateLimits(_ settings: Settings) throws(UsageError) -> RateLimitSettings {
        var limits = RateLimitSettings()
        switch settings.string(variable: "ORDERBOT_RATE_LIMITS") {
        case nil, "on": break
        case "off": limits.isEnabled = false
        case let other?: throw UsageError("ORDERBOT_RATE_LIMITS must be on or off (got \"\(other)\")")
        }
        for entry in RateLimitSettings.all {
            guard let text = settings.string(variable: entry.variable) else { continue }
            guard let limit = RateLimit(text) else {
                throw UsageError("\(entry.variable) must be RATE/UNIT[:BURST], e.g. \(entry.defaultLimit) (got \"\(text)\")")
            }
            limits.set(entry, to: limit)
        }
        return limits
    }

    static func notifier(_ settings: Settings) throws(UsageError) -> NotifierSettings? {
        let address = settings.string(variable: "ORDERBOT_NOTIFY_URL")
        let secret = settings.string(variable: "ORDERBOT_NOTIFY_SECRET")
        guard address != nil || secret != nil else { return nil }
        guard let address, let secret, !secret.isEmpty else {
            throw UsageError("ORDERBOT_NOTIFY_URL and ORDERBOT_NOTIFY_SECRET are set together (notifications are signed)")
        }
        guard let url = URL(string: address), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw UsageError("ORDERBOT_NOTIFY_URL must be an http(s) URL (got \"\(address)\")")
        }
        return NotifierSettings(url: url, secret: secret)
    }

    static func orderWebhook(_ settings: Settings) throws(UsageError) -> OrderWebhookSettings? {
        let address = settings.string(variable: "ORDERBOT_ORDER_WEBHOOK_URL")
        let secret = settings.string(variable: "ORDERBOT_ORDER_WEBHOOK_SECRET")
        guard address != nil || secret != nil else { return nil }
        guard let address, let secret, !secret.isEmpty else {
            throw UsageError("ORDERBOT_ORDER_WEBHOOK_URL and ORDERBOT_ORDER_WEBHOOK_SECRET are set together (order events are signed)")
        }
        guard let url = URL(string: address), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw UsageError("ORDERBOT_ORDER_WEBHOOK_URL must be an http(s) URL (got \"\(address)\")")
        }
        return OrderWebhookSettings(url: url, secret: secret)
    }

    static func webPages(_ settings: Settings) throws(UsageError) -> WebPagesSettings {
        var pages = WebPagesSettings(siteDirectory: settings.string(variable: "ORDERBOT_SITE_DIR"))
        if let folder = pages.siteDirectory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw UsageError("ORDERBOT_SITE_DIR must be a folder (got \"\(folder)\")")
            }
        }
        if let list = settings.string(variable: "ORDERBOT_CHAT_FRAME_ANCESTORS") {
            do {
                pages.chatFrameAncestors = try WebPagesSettings.frameAncestors(from: list)
            } catch {
                throw UsageError("ORDERBOT_CHAT_FRAME_ANCESTORS: \(error)")
            }
        }
        return pages
    }

    static func voice(_ settings: Settings) throws(UsageError) -> VoiceSettings {
        let webhookURL = settings.string(variable: "ORDERBOT_TWILIO_WEBHOOK_URL")
        if let webhookURL {
            guard let url = URL(string: webhookURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
                  url.query == nil
            else {
                throw UsageError("ORDERBOT_TWILIO_WEBHOOK_URL must be an http(s) URL without a query (got \"\(webhookURL)\")")
            }
        }
        return VoiceSettings(
            token: settings.string(variable: "ORDERBOT_VOICE_TOKEN"),
            twilioAuthToken: settings.string(variable: "ORDERBOT_TWILIO_AUTH_TOKEN"), twilioWebhookURL: webhookURL,
            twilioVoice: settings.string(variable: "ORDERBOT_TWILIO_VOICE"))
    }

    static func messenger(_ settings: Settings) throws(UsageError) -> MessengerSettings {
        var delivery = MessengerSendConfiguration(pageToken: settings.string(variable: "ORDERBOT_MESSENGER_PAGE_TOKEN"))
        if let base = settings.string(variable: "ORDERBOT_MESSENGER_API_BASE") {
            guard let url = URL(string: base), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw UsageError("ORDERBOT_MESSENGER_API_BASE must be an http(s) URL (got \"\(base)\")")
            }
            delivery.apiBase = base.hasSuffix("/") ? String(base.dropLast()) : base
        }
        return MessengerSettings(
            appSecret: settings.string(variable: "ORDERBOT_MESSENGER_APP_SECRET"),
            verifyToken: settings.string(variable: "ORDERBOT_MESSENGER_VERIFY_TOKEN"), delivery: delivery)
    }

    static func shopFacts(_ settings: Settings) throws(UsageError) -> ShopFacts {
        guard let path = settings.string(variable: "ORDERBOT_SHOP_FACTS"), !path.isEmpty else { return .demo() }
        do {
            return try ShopFacts.load(URL(fileURLWithPath: path))
        } catch {
            throw UsageError("ORDERBOT_SHOP_FACTS: \(error)")
        }
    }
}

/// The gateway could not start (the port is taken, the database is unreadable or too new).
struct StartupFailure: Error, CustomStringConvertible {
    let underlying: any Error

    var description: String { "cannot start: \(underlying)" }
}
