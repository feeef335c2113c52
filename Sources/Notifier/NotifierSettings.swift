import Foundation

/// Where the shop's notifier (its SMS / e-mail gateway) takes notifications, and the secret they
/// are signed with. Without it no one-time code can be sent, and a customer who wants to prove a
/// contact is offered a person instead.
public struct NotifierSettings: Sendable, Equatable {
    /// `ORDERBOT_NOTIFY_URL`: an http(s) URL notifications are POSTed to.
    public var url: URL
    /// `ORDERBOT_NOTIFY_SECRET`: the key of `X-OrderBot-Signature`'s HMAC-SHA256.
    public var secret: String

    public init(url: URL, secret: String) {
        self.url = url
        self.secret = secret
    }
}
