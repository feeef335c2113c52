/// How replies go out through Messenger's Send API, with the defaults the gateway runs with.
public struct MessengerSendConfiguration: Sendable {
    /// The Graph API with its pinned version, without a trailing slash.
    public var apiBase: String
    /// The Page access token; nil sends nothing (replies stay pending until a token is set).
    public var pageToken: String?
    /// The first retry waits up to this long; each further one up to twice as long as the last.
    public var baseRetryDelay: Duration
    /// No retry waits longer than this.
    public var maxRetryDelay: Duration
    /// After this many failed attempts a reply is given up, even when the error was temporary.
    public var maxAttempts: Int
    /// How long one Send API request may wait for the next bytes of its answer; a request that
    /// times out may still have been delivered, so it is retried at most once. Whole seconds, at
    /// least 1 (FoundationNetworking on Linux ignores fractions; the client rounds up).
    public var requestTimeout: Duration
    /// How many recipients are sent to at once (each recipient's replies still go one by one).
    public var concurrency: Int
    /// How often the outbox is looked at when nothing announced new replies.
    public var pollInterval: Duration

    public init(
        apiBase: String = "https://graph.facebook.com/v19.0",
        pageToken: String? = nil,
        baseRetryDelay: Duration = .seconds(1),
        maxRetryDelay: Duration = .seconds(300),
        maxAttempts: Int = 10,
        requestTimeout: Duration = .seconds(10),
        concurrency: Int = 8,
        pollInterval: Duration = .seconds(1)
    ) {
        self.apiBase = apiBase
        self.pageToken = pageToken
        self.baseRetryDelay = baseRetryDelay
        self.maxRetryDelay = maxRetryDelay
        self.maxAttempts = max(1, maxAttempts)
        self.requestTimeout = requestTimeout
        self.concurrency = max(1, concurrency)
        self.pollInterval = pollInterval
    }

    var retryPolicy: SendRetryPolicy {
        SendRetryPolicy(baseDelay: baseRetryDelay, maxDelay: maxRetryDelay, maxAttempts: maxAttempts)
    }
}
