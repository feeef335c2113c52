import Telemetry

/// The one counter every limit reports to.
public enum RateLimitMetrics {
    /// `orderbot_rate_limited_total{limit}`: requests, frames, connections and actions refused
    /// for a rate limit (or a per-address connection cap), by the limit's name.
    public static func counter(_ registry: MetricsRegistry) -> Counter {
        registry.counter(
            "orderbot_rate_limited_total",
            help: "Requests, frames, connections and actions refused for a rate limit or a per-address cap, by limit.",
            labels: ["limit"])
    }
}
