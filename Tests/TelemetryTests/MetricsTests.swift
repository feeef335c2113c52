import Synchronization
import Testing
@testable import Telemetry

/// The Prometheus text exposition format, as scrapers parse it.
struct MetricsTests {
    /// Counters render HELP, TYPE and one sample per label set, sorted.
    @Test func counterRendersWithLabels() {
        let registry = MetricsRegistry()
        let counter = registry.counter("orderbot_messages_total", help: "Messages.", labels: ["channel", "intent"])
        counter.increment("web", "greet")
        counter.increment("messenger", "order_product", by: 2)
        #expect(registry.render() == """
            # HELP orderbot_messages_total Messages.
            # TYPE orderbot_messages_total counter
            orderbot_messages_total{channel="messenger",intent="order_product"} 2
            orderbot_messages_total{channel="web",intent="greet"} 1

            """)
    }

    /// Histograms render cumulative buckets with `le`, then `_sum` and `_count`.
    @Test func histogramBucketsAreCumulative() {
        let registry = MetricsRegistry()
        let histogram = registry.histogram("orderbot_latency_seconds", help: "Latency.", buckets: [0.1, 1])
        histogram.observe(0.05)
        histogram.observe(0.5)
        histogram.observe(3)
        let text = registry.render()
        #expect(text.contains(#"orderbot_latency_seconds_bucket{le="0.1"} 1"#))
        #expect(text.contains(#"orderbot_latency_seconds_bucket{le="1"} 2"#))
        #expect(text.contains(#"orderbot_latency_seconds_bucket{le="+Inf"} 3"#))
        #expect(text.contains("orderbot_latency_seconds_sum 3.55"))
        #expect(text.contains("orderbot_latency_seconds_count 3"))
    }

    /// Registering a name again returns the same metric, so components can share it.
    @Test func reRegistrationReturnsTheSameMetric() {
        let registry = MetricsRegistry()
        registry.counter("orderbot_x_total", help: "X.").increment()
        registry.counter("orderbot_x_total", help: "X.").increment()
        #expect(registry.counter("orderbot_x_total", help: "X.").value() == 2)
    }

    /// Label values are escaped: a quote or newline cannot break the format.
    @Test func labelValuesAreEscaped() {
        let registry = MetricsRegistry()
        registry.gauge("orderbot_g", help: "G.", labels: ["path"]).set(1, "a\"b\nc\\d")
        #expect(registry.render().contains(#"orderbot_g{path="a\"b\nc\\d"} 1"#))
    }

    /// Sampled gauges are read at scrape time.
    @Test func sampledGaugeIsReadAtRender() {
        let registry = MetricsRegistry()
        registry.sampledGauge("orderbot_queue_depth", help: "Depth.") { 7 }
        #expect(registry.render().contains("orderbot_queue_depth 7\n"))
        #expect(registry.render().contains("# TYPE orderbot_queue_depth gauge\n"))
    }

    /// A counter kept elsewhere is read at scrape time and typed as a counter.
    @Test func sampledCounterIsReadAtRenderAsACounter() {
        let registry = MetricsRegistry()
        let commits = Mutex(3.0)
        registry.sampledCounter("orderbot_commits_total", help: "Commits.") { commits.withLock { $0 } }
        #expect(registry.render().contains("# TYPE orderbot_commits_total counter\norderbot_commits_total 3\n"))
        commits.withLock { $0 = 5 }
        #expect(registry.render().contains("orderbot_commits_total 5\n"))
    }

    /// Metric names follow Prometheus' rules.
    @Test func nameValidation() {
        #expect(MetricsRegistry.isValidName("orderbot_http_requests_total"))
        #expect(!MetricsRegistry.isValidName("9lives"))
        #expect(!MetricsRegistry.isValidName("with-dash"))
        #expect(!MetricsRegistry.isValidName(""))
    }
}
