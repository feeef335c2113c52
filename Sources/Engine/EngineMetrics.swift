import Commerce
import Dialogue
import Telemetry

/// The engine's metrics: messages by channel and intent, turn durations, orders placed,
/// escalations opened by reason, catalog refreshes that failed, misunderstood messages.
struct EngineMetrics: Sendable {
    private let messages: Counter
    private let turnSeconds: Histogram
    private let orders: Counter
    private let escalations: Counter
    private let paths: Counter
    private let refreshFailures: Counter
    private let misunderstood: Counter

    init(_ registry: MetricsRegistry) {
        messages = registry.counter(
            "orderbot_messages_total", help: "Customer messages handled, by channel and intent", labels: ["channel", "intent"])
        turnSeconds = registry.histogram(
            "orderbot_turn_seconds", help: "Time from a message's arrival at the engine to the end of its turn in the transaction (the group's fsync not included)")
        orders = registry.counter("orderbot_orders_placed_total", help: "Orders placed in conversations")
        escalations = registry.counter(
            "orderbot_escalations_opened_total", help: "Escalations opened, by reason", labels: ["reason"])
        paths = registry.counter(
            "orderbot_engine_turns_total",
            help: "Turns by how they ran: planned on a reader and only written on the writer, or whole on the writer",
            labels: ["path"])
        refreshFailures = registry.counter(
            "orderbot_catalog_refresh_failures_total",
            help: "Committed stock changes the dialogue's copy of the catalog could not read at once (read again with the next refresh)")
        misunderstood = registry.counter(
            "orderbot_misunderstood_messages_total",
            help: "Customer messages the classifier put out of scope or was unsure of (the shop owner's misses), by channel",
            labels: ["channel"])
    }

    func record(_ outcome: TurnOutcome, channel: DialogueChannel, planned: Bool, duration: Duration) {
        paths.increment(planned ? "planned" : "whole")
        messages.increment(channel.rawValue, outcome.understanding.intent.rawValue)
        if Misunderstanding.isMiss(intent: outcome.understanding.intent.rawValue, confidence: outcome.understanding.confidence) {
            misunderstood.increment(channel.rawValue)
        }
        let (seconds, attoseconds) = duration.components
        turnSeconds.observe(Double(seconds) + Double(attoseconds) / 1e18)
        if outcome.placedOrder != nil { orders.increment() }
        if let escalation = outcome.escalation { escalations.increment(escalation.reason.rawValue) }
    }

    /// Counts a committed stock change the catalog copy could not read at once.
    func catalogRefreshFailed() {
        refreshFailures.increment()
    }
}
