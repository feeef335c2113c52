import Commerce
import Foundation
import Telemetry

/// The delivery worker's metrics: replies by how their attempts ended, Send API errors by code,
/// and the outbox's backlog per channel.
struct MessengerDeliveryMetrics: Sendable {
    /// How an attempt at a reply ended.
    enum Result: String {
        case sent, retried, failed
    }

    private let replies: Counter
    private let errors: Counter
    private let depth: Gauge
    private let oldestAge: Gauge

    init(_ registry: MetricsRegistry) {
        replies = registry.counter(
            "orderbot_outbox_replies_total", help: "Outbox replies by channel and how an attempt ended (sent, retried, failed)",
            labels: ["channel", "result"])
        errors = registry.counter(
            "orderbot_send_api_errors_total",
            help: "Failed Send API calls by Graph error code/subcode (or http_<status>, timeout, network)", labels: ["code"])
        depth = registry.gauge("orderbot_outbox_depth", help: "Replies waiting in the outbox, by channel", labels: ["channel"])
        oldestAge = registry.gauge(
            "orderbot_outbox_oldest_age_seconds", help: "Age of the oldest reply waiting in the outbox, by channel",
            labels: ["channel"])
    }

    func record(_ result: Result, channel: ConversationChannel = .messenger) {
        replies.increment(channel.rawValue, result.rawValue)
    }

    func record(_ failure: SendFailure) {
        errors.increment(failure.code)
    }

    func record(_ backlog: [OutboxBacklog], at now: Date) {
        for channel in backlog {
            depth.set(Double(channel.depth), channel.channel.rawValue)
            oldestAge.set(channel.oldestAge(at: now), channel.channel.rawValue)
        }
    }
}
