import Telemetry

/// Every rate limit of the gateway, with defaults a real shop never notices and a script always
/// does. Each is configurable by an environment variable (`ORDERBOT_RATE_LIMIT_<NAME>=RATE/UNIT[:BURST]`),
/// and `ORDERBOT_RATE_LIMITS=off` turns them all off (for load tests).
public struct RateLimitSettings: Sendable, Equatable {
    /// One limit: its name in metrics (`orderbot_rate_limited_total{limit}`), what it counts per
    /// what, and its default.
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let counts: String
        public let defaultLimit: RateLimit

        /// The variable that overrides it: `ORDERBOT_RATE_LIMIT_CHAT_HELLO`.
        public var variable: String { "ORDERBOT_RATE_LIMIT_" + name.uppercased() }
    }

    /// `hello` frames on `/ws/chat`, per client address: each one may create a customer.
    public static let chatHello = Entry(name: "chat_hello", counts: "web chat hellos per client address", defaultLimit: .per(1, 1, burst: 30))
    /// `message` frames on `/ws/chat`, per client address.
    public static let chatMessage = Entry(
        name: "chat_message", counts: "web chat messages per client address", defaultLimit: .per(1, 10, burst: 100))
    /// `message` frames on `/ws/chat`, per session: faster than anyone types.
    public static let chatSessionMessage = Entry(
        name: "chat_session_message", counts: "web chat messages per session", defaultLimit: .per(1, 2, burst: 20))
    /// Messenger and voice webhook POSTs, per client address (Meta's and the speech platform's servers).
    public static let webhook = Entry(
        name: "webhook", counts: "webhook POSTs per client address", defaultLimit: .per(1, 500, burst: 2_000))
    /// Wrong admin, voice or agent tokens, per client address; once spent, even a right token
    /// waits (guessing is as slow as the limit).
    public static let failedAuth = Entry(
        name: "failed_auth", counts: "failed token checks per client address", defaultLimit: .per(60, 10, burst: 10))
    /// Messenger events per sender, within the webhooks' batches: Meta's servers are one client
    /// for every customer, so a sender's flood is held back by sender. Events over it are
    /// acknowledged (Meta must not retry them) and dropped before the inbox. Generous: a dropped
    /// message is lost for good, and every sender is a real Facebook account Meta itself limits.
    public static let messengerSender = Entry(
        name: "messenger_sender", counts: "Messenger events per sender", defaultLimit: .per(1, 3, burst: 50))
    /// Escalations to a person, per customer who proved no contact (verified customers are not held back).
    public static let escalation = Entry(
        name: "escalation", counts: "escalations per unverified customer", defaultLimit: .per(600, 3, burst: 3))

    /// Orders placed, per customer who proved no contact: each holds stock until it is paid or cancelled.
    public static let order = Entry(
        name: "order", counts: "orders placed per unverified customer", defaultLimit: .per(3_600, 10, burst: 5))

    public static let all = [chatHello, chatMessage, chatSessionMessage, webhook, messengerSender, failedAuth, escalation, order]

    /// False: nothing is limited.
    public var isEnabled: Bool
    private var overrides: [String: RateLimit]

    public init(isEnabled: Bool = true, overrides: [String: RateLimit] = [:]) {
        self.isEnabled = isEnabled
        self.overrides = overrides
    }

    /// The limit in force for `entry`; nil when limits are off.
    public func limit(_ entry: Entry) -> RateLimit? {
        isEnabled ? overrides[entry.name] ?? entry.defaultLimit : nil
    }

    public mutating func set(_ entry: Entry, to limit: RateLimit) {
        overrides[entry.name] = limit
    }

    /// A limiter for `entry` counting its refusals in `metrics`, or nil when limits are off.
    public func limiter(_ entry: Entry, metrics: MetricsRegistry? = nil, maxKeys: Int = 50_000) -> RateLimiter? {
        limit(entry).map {
            RateLimiter(name: entry.name, limit: $0, maxKeys: maxKeys, refusals: metrics.map(RateLimitMetrics.counter))
        }
    }
}
