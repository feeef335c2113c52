import Synchronization

/// A value that goes up and down, one series per combination of label values.
public final class Gauge: MetricFamily {
    let name: String
    let help: String
    let kind = "gauge"
    private let labelNames: [String]
    private let series = Mutex<[LabelSet: Double]>([:])

    init(name: String, help: String, labelNames: [String]) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
    }

    /// Sets the series named by `labels` to `value`.
    public func set(_ value: Double, _ labels: String...) {
        precondition(labels.count == labelNames.count, "\(name) takes \(labelNames.count) labels")
        series.withLock { $0[LabelSet(values: labels)] = value }
    }

    /// Adds `amount` (which may be negative) to the series named by `labels`.
    public func add(_ amount: Double, _ labels: String...) {
        precondition(labels.count == labelNames.count, "\(name) takes \(labelNames.count) labels")
        series.withLock { $0[LabelSet(values: labels), default: 0] += amount }
    }

    /// The current value of one series; 0 when it was never set.
    public func value(_ labels: String...) -> Double {
        series.withLock { $0[LabelSet(values: labels)] ?? 0 }
    }

    func renderSamples(into output: inout String) {
        let snapshot = series.withLock { $0 }
        for (labels, value) in snapshot.sorted(by: { $0.key < $1.key }) {
            output.append("\(name)\(labels.rendered(names: labelNames)) \(formatSample(value))\n")
        }
    }
}

/// A gauge read at scrape time through a closure.
final class SampledMetric: MetricFamily {
    let name: String
    let help: String
    let kind: String
    private let read: @Sendable () -> Double

    init(name: String, help: String, kind: String, read: @escaping @Sendable () -> Double) {
        self.name = name
        self.help = help
        self.kind = kind
        self.read = read
    }

    func renderSamples(into output: inout String) {
        output.append("\(name) \(formatSample(read()))\n")
    }
}
