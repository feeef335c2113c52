/// How the gateway talks to Messenger: the secrets that authenticate Meta to us, and how replies
/// go out.
public struct MessengerSettings: Sendable {
    /// The app secret webhook signatures are made with; nil refuses every webhook POST (403).
    public var appSecret: String?
    /// The token Meta's verification GET must present; nil refuses verification (403).
    public var verifyToken: String?
    /// Where and how replies are sent.
    public var delivery: MessengerSendConfiguration

    public init(appSecret: String? = nil, verifyToken: String? = nil, delivery: MessengerSendConfiguration = .init()) {
        self.appSecret = appSecret
        self.verifyToken = verifyToken
        self.delivery = delivery
    }
}
