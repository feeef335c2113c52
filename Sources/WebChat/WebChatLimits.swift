import RateLimits
import Telemetry

/// How often one client address may say `hello` and send messages, and one session send
/// messages; nil limiters limit nothing.
package struct WebChatLimits: Sendable {
    let hellos: RateLimiter?
    let messages: RateLimiter?
    let sessionMessages: RateLimiter?

    /// Consecutive frames refused for a rate limit after which the socket is closed with 1008.
    static let refusalsBeforeClose = 20

    /// The limits of `settings`, their refusals counted in `metrics`.
    package init(_ settings: RateLimitSettings, metrics: MetricsRegistry? = nil) {
        hellos = settings.limiter(RateLimitSettings.chatHello, metrics: metrics)
        messages = settings.limiter(RateLimitSettings.chatMessage, metrics: metrics)
        sessionMessages = settings.limiter(RateLimitSettings.chatSessionMessage, metrics: metrics)
    }

    /// The first limit a `hello` from `address` goes over, if any.
    func hello(from address: String) -> ChatFrameError? {
        refusal(hellos?.take(address), limit: RateLimitSettings.chatHello.name)
    }

    /// The first limit a `message` from `address` in `session` goes over, if any.
    func message(from address: String, session: String) -> ChatFrameError? {
        refusal(messages?.take(address), limit: RateLimitSettings.chatMessage.name)
            ?? refusal(sessionMessages?.take(session), limit: RateLimitSettings.chatSessionMessage.name)
    }

    private func refusal(_ decision: RateDecision?, limit: String) -> ChatFrameError? {
        guard let decision, !decision.isAllowed else { return nil }
        return .rateLimited(limit: limit, retryAfterSeconds: decision.retryAfterSeconds)
    }
}
