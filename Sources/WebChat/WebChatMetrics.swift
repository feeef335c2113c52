import Telemetry

/// The web chat's metrics: sockets open, customer messages by result, frames refused by code
/// (the replies pushed, by author, are counted by `WebChatSessions` when it is given the registry).
struct WebChatMetrics: Sendable {
    /// Customer messages: `handled` (a turn ran), `repeated` (a resent `client_id`, acked again),
    /// `failed` (the turn failed; the page gets `error{internal_error}` and may resend).
    let messages: Counter
    /// Frames refused with `error{code}`, by code.
    let refused: Counter

    /// The metrics in `registry`; the open sockets are read from `sessions` when scraped.
    init(_ registry: MetricsRegistry, sessions: WebChatSessions) {
        messages = registry.counter(
            "orderbot_webchat_messages_total", help: "Web chat customer messages, by result (handled, repeated, failed)",
            labels: ["result"])
        refused = registry.counter(
            "orderbot_webchat_frames_refused_total", help: "Web chat frames answered with error{code}, by code", labels: ["code"])
        registry.sampledGauge("orderbot_webchat_sockets", help: "Web chat sockets open now") { Double(sessions.openSockets) }
    }

    /// Replies pushed to web chat sockets, by author (`bot`, `agent`).
    static func pushedCounter(_ registry: MetricsRegistry) -> Counter {
        registry.counter("orderbot_webchat_replies_pushed_total", help: "Web chat replies pushed to a socket, by author", labels: ["from"])
    }
}
