import Foundation

/// Where the shop's ERP takes order events, and the secret they are signed with
/// (`ORDERBOT_ORDER_WEBHOOK_URL`, `ORDERBOT_ORDER_WEBHOOK_SECRET`). Without it the events wait in
/// the outbox (and the retention purges them), none is sent.
public struct OrderWebhookSettings: Sendable, Equatable {
    /// An http(s) URL every order event is POSTed to.
    public var url: URL
    /// The key of `X-OrderBot-Signature`'s HMAC-SHA256.
    public var secret: String
    /// The ceiling of the first retry's wait; it doubles with each failure, up to 5 minutes.
    public var firstRetry: Duration

    public init(url: URL, secret: String, firstRetry: Duration = .seconds(1)) {
        self.url = url
        self.secret = secret
        self.firstRetry = firstRetry
    }
}
