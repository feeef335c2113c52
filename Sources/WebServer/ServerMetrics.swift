import RateLimits
import Telemetry

/// The web server's own metrics, registered in the process's registry.
struct ServerMetrics: Sendable {
    let requests: Counter
    let requestDuration: Histogram
    let openConnections: Gauge
    let refusedConnections: Counter
    let rateLimited: Counter
    let malformedRequests: Counter
    let abandonedResponses: Counter
    let webSocketConnections: Gauge
    let webSocketMessages: Counter
    let webSocketOverflows: Counter
    let refusedUpgrades: Counter

    init(registry: MetricsRegistry) {
        requests = registry.counter(
            "orderbot_http_requests_total", help: "HTTP requests answered, by route pattern, method and status.",
            labels: ["route", "method", "status"])
        requestDuration = registry.histogram(
            "orderbot_http_request_duration_seconds",
            help: "Time from a request's head arriving to its response being written, by route pattern.",
            labels: ["route"])
        openConnections = registry.gauge(
            "orderbot_http_open_connections", help: "Client TCP connections open now (HTTP and WebSocket).")
        refusedConnections = registry.counter(
            "orderbot_http_refused_connections_total",
            help: "Connections closed at accept because the server was full or shutting down.")
        rateLimited = RateLimitMetrics.counter(registry)
        malformedRequests = registry.counter(
            "orderbot_http_malformed_requests_total", help: "Requests that were not HTTP/1.1 and got a 400.")
        abandonedResponses = registry.counter(
            "orderbot_http_abandoned_responses_total",
            help: "Responses dropped because the client had gone before the handler answered.")
        webSocketConnections = registry.gauge(
            "orderbot_websocket_connections", help: "Open WebSocket connections, by path.", labels: ["path"])
        webSocketMessages = registry.counter(
            "orderbot_websocket_messages_total", help: "WebSocket text messages, by path and direction (in/out).",
            labels: ["path", "direction"])
        refusedUpgrades = registry.counter(
            "orderbot_websocket_refused_upgrades_total",
            help: "WebSocket upgrades refused (the connection dropped), by reason: origin (a page of a site not allowed).",
            labels: ["reason"])
        webSocketOverflows = registry.counter(
            "orderbot_websocket_send_queue_overflows_total",
            help: "WebSocket connections closed because the peer stopped reading and its send queue filled.",
            labels: ["path"])
    }
}

/// Identifies the series a finished request is counted in, by numbers only.
struct RequestSeriesKey: Hashable {
    let route: Int
    let method: HTTPMethod
    let status: Int
}

/// The two series a finished request updates.
struct RequestSeries {
    let requests: CounterSeries
    let duration: HistogramSeries
}
