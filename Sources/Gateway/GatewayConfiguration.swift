import Commerce
import Dialogue
import Messenger
import Notifier
import OrderWebhook
import Payments
import RateLimits
import Storage
import Telemetry
import Voice
import WebServer
import WebSite

/// Everything the gateway needs to run, gathered from flags and environment by the CLI (or
/// built directly by tests).
public struct GatewayConfiguration: Sendable {
    /// The HTTP/WebSocket server's settings.
    public var server: ServerConfiguration
    /// The SQLite database's settings.
    public var database: DatabaseConfiguration
    /// The token `/api/*` callers must present; nil refuses every API call.
    public var adminToken: String?
    /// Stores, delivery, payment and return rules (the built-in demo facts unless a file is given).
    public var shopFacts: ShopFacts
    /// Whether an empty catalog is filled with the built-in demo catalog at start.
    public var seedsDemoCatalog: Bool
    /// How conversations go (when a half-finished order goes stale…).
    public var dialogue: DialogueSettings
    /// The Messenger channel's secrets and its way out.
    public var messenger: MessengerSettings
    /// The phone channel's tokens and Twilio settings.
    public var voice: VoiceSettings
    /// The agents' console: how long a console may take to sign in, and how long an agent who
    /// left keeps their claims.
    public var handoff: HandoffSettings
    /// The chat page and agent console: where their files come from, who may frame the chat.
    public var webPages: WebPagesSettings
    /// The shop's SMS / e-mail gateway for one-time codes; nil: no codes (a person is offered).
    public var notifier: NotifierSettings?
    /// The shop's ERP, told of every order event; nil: events wait in the outbox.
    public var orderWebhook: OrderWebhookSettings?
    /// The payment provider: links, signed callbacks, unpaid orders released.
    public var payments = PaymentSettings()
    /// How often a client address, a session or a customer may do what (defaults on).
    public var rateLimits: RateLimitSettings
    /// Days after which handled webhook events, delivered replies and message texts are purged;
    /// nil keeps everything.
    public var retentionDays: Int?

    public init(
        server: ServerConfiguration = ServerConfiguration(), database: DatabaseConfiguration, adminToken: String? = nil,
        shopFacts: ShopFacts = .demo(), seedsDemoCatalog: Bool = true, dialogue: DialogueSettings = DialogueSettings(),
        messenger: MessengerSettings = MessengerSettings(), voice: VoiceSettings = VoiceSettings(),
        handoff: HandoffSettings = HandoffSettings(), webPages: WebPagesSettings = WebPagesSettings(),
        notifier: NotifierSettings? = nil, orderWebhook: OrderWebhookSettings? = nil, rateLimits: RateLimitSettings = RateLimitSettings(),
        retentionDays: Int? = 365
    ) {
        self.orderWebhook = orderWebhook
        self.retentionDays = retentionDays
        self.server = server
        self.database = database
        self.adminToken = adminToken
        self.shopFacts = shopFacts
        self.seedsDemoCatalog = seedsDemoCatalog
        self.dialogue = dialogue
        self.messenger = messenger
        self.voice = voice
        self.handoff = handoff
        self.webPages = webPages
        self.notifier = notifier
        self.rateLimits = rateLimits
    }
}

/// The agents' console settings.
public struct HandoffSettings: Sendable, Equatable {
    /// A console that has not sent `auth{token}` by then is closed with 4401.
    public var authTimeoutSeconds: Double
    /// An agent whose consoles all closed keeps their claims this long, then they go back to the queue.
    public var claimGraceSeconds: Double
    /// How often the agents' table is read for agents disabled while signed in (their consoles
    /// are closed with 4403); each console's frames are checked as they come too.
    public var disabledAgentCheckSeconds: Double

    public init(authTimeoutSeconds: Double = 5, claimGraceSeconds: Double = 60, disabledAgentCheckSeconds: Double = 0.25) {
        self.authTimeoutSeconds = authTimeoutSeconds
        self.claimGraceSeconds = claimGraceSeconds
        self.disabledAgentCheckSeconds = disabledAgentCheckSeconds
    }
}
