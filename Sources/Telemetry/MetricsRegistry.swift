import Synchronization

/// The process's metrics, rendered in the Prometheus text exposition format for `GET /metrics`.
///
/// Registering a name twice returns the metric registered first, so components can ask for the
/// metrics they update without coordinating. Every metric is safe to update from any thread.
public final class MetricsRegistry: Sendable {
    private let families = Mutex<[any MetricFamily]>([])

    public init() {}

    /// A counter: a value that only goes up (requests served, messages received).
    public func counter(_ name: String, help: String, labels: [String] = []) -> Counter {
        register(name) { Counter(name: name, help: help, labelNames: labels) }
    }

    /// A gauge: a value that goes up and down (open connections, queue depth).
    public func gauge(_ name: String, help: String, labels: [String] = []) -> Gauge {
        register(name) { Gauge(name: name, help: help, labelNames: labels) }
    }

    /// A histogram of observed values (latencies in seconds), counted into `buckets`.
    public func histogram(
        _ name: String, help: String, labels: [String] = [], buckets: [Double] = Histogram.latencyBuckets
    ) -> Histogram {
        register(name) { Histogram(name: name, help: help, labelNames: labels, buckets: buckets) }
    }

    /// A gauge whose value is read when the metrics are scraped (say, rows in a table).
    public func sampledGauge(_ name: String, help: String, read: @escaping @Sendable () -> Double) {
        _ = register(name) { SampledMetric(name: name, help: help, kind: "gauge", read: read) }
    }

    /// A counter kept elsewhere (say, by the database pool), read when the metrics are scraped;
    /// `read` must never go down.
    public func sampledCounter(_ name: String, help: String, read: @escaping @Sendable () -> Double) {
        _ = register(name) { SampledMetric(name: name, help: help, kind: "counter", read: read) }
    }

    /// All metrics in the Prometheus text format (version 0.0.4).
    public func render() -> String {
        let snapshot = families.withLock { $0 }
        var output = ""
        for family in snapshot {
            output.append("# HELP \(family.name) \(Self.escapeHelp(family.help))\n")
            output.append("# TYPE \(family.name) \(family.kind)\n")
            family.renderSamples(into: &output)
        }
        return output
    }

    /// The Content-Type of `render()`'s output.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private func register<Family: MetricFamily>(_ name: String, make: () -> Family) -> Family {
        precondition(Self.isValidName(name), "invalid metric name \(name)")
        return families.withLock { families in
            if let existing = families.first(where: { $0.name == name }) {
                guard let same = existing as? Family else {
                    preconditionFailure("metric \(name) is already registered as \(existing.kind)")
                }
                return same
            }
            let family = make()
            families.append(family)
            return family
        }
    }

    static func isValidName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, !("0"..."9").contains(first) else { return false }
        return scalars.allSatisfy {
            $0 == "_" || $0 == ":" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
        }
    }

    private static func escapeHelp(_ help: String) -> String {
        help.replacingAll("\\", with: "\\\\").replacingAll("\n", with: "\\n")
    }
}

/// What every registered metric can do: name itself and print its samples.
protocol MetricFamily: AnyObject, Sendable {
    var name: String { get }
    var help: String { get }
    var kind: String { get }
    func renderSamples(into output: inout String)
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        guard contains(target) else { return self }
        var result = ""
        for character in self {
            if character == target { result.append(replacement) } else { result.append(character) }
        }
        return result
    }
}
