import Synchronization

/// A value that only goes up, one series per combination of label values.
public final class Counter: MetricFamily {
    let name: String
    let help: String
    let kind = "counter"
    private let labelNames: [String]
    private let series = Mutex<[LabelSet: Double]>([:])

    init(name: String, help: String, labelNames: [String]) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
    }

    /// Adds `amount` (default 1) to the series named by `labels`, given in the order they were declared.
    public func increment(_ labels: String..., by amount: Double = 1) {
        precondition(labels.count == labelNames.count, "\(name) takes \(labelNames.count) labels")
        precondition(amount >= 0, "a counter never goes down")
        series.withLock { $0[LabelSet(values: labels), default: 0] += amount }
    }

    /// The current value of one series; 0 when it has never been incremented.
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
