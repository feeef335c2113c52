import Telemetry

/// The handoff's metrics: the queue by priority, claims, time to claim and to resolve,
/// escalations by reason, agents' messages and labels, refused requests.
struct HandoffMetrics: Sendable {
    let queueLength: Gauge
    let oldestWait: Gauge
    let claims: Counter
    let timeToClaim: Histogram
    let timeToResolve: Histogram
    let escalations: Counter
    let agentMessages: Counter
    let labels: Counter
    let refused: Counter

    init(_ registry: MetricsRegistry) {
        queueLength = registry.gauge(
            "orderbot_escalation_queue_length", help: "Open escalations waiting for an agent, by priority band",
            labels: ["priority"])
        oldestWait = registry.gauge(
            "orderbot_escalation_oldest_wait_seconds", help: "How long the oldest open escalation has waited, by priority band",
            labels: ["priority"])
        claims = registry.counter("orderbot_escalation_claims_total", help: "Escalations claimed by agents")
        timeToClaim = registry.histogram(
            "orderbot_escalation_time_to_claim_seconds", help: "From an escalation's opening to its claim",
            buckets: Self.minutes)
        timeToResolve = registry.histogram(
            "orderbot_escalation_time_to_resolve_seconds", help: "From an escalation's opening to its resolution",
            buckets: Self.minutes)
        escalations = registry.counter(
            "orderbot_escalations_queued_total", help: "Escalations that entered the agents' queue, by reason", labels: ["reason"])
        agentMessages = registry.counter(
            "orderbot_agent_messages_total", help: "Agents' replies sent to customers, by channel", labels: ["channel"])
        labels = registry.counter("orderbot_agent_labels_total", help: "Intent corrections by agents (learned at once)")
        refused = registry.counter("orderbot_agent_requests_refused_total", help: "Console requests refused, by code", labels: ["code"])
    }

    /// Seconds to hours.
    static let minutes: [Double] = [1, 5, 15, 30, 60, 120, 300, 600, 1_800, 3_600, 7_200, 14_400]

    /// Priority bands of the queue gauges.
    static func band(_ priority: Int) -> String {
        switch priority {
        case 70...: "high"
        case 40..<70: "medium"
        default: "low"
        }
    }

    func record(_ page: HandoffQueue.Page) {
        for band in ["high", "medium", "low"] {
            let waiting = page.waitingByBand[band]
            queueLength.set(Double(waiting?.count ?? 0), band)
            oldestWait.set(Double(waiting?.seconds ?? 0), band)
        }
    }
}
