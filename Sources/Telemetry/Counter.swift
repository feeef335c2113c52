import Synchronization

/// A value that only goes up, one series per combination of label values.
public final class Counter: MetricFamily {
    let name: String
    let help: String
    let kind = "counter"
    private let labelNames: [String]
    private let series = Mutex<[LabelSet: CounterSeries]>([:])

    init(name: String, help: String, labelNames: [String]) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
    }

    /// Adds `amount` (default 1) to the series named by `labels`, given in the order they were declared.
    public func increment(_ labels: String..., by amount: Double = 1) {
        series(labels).increment(by: amount)
    }

    /// The series named by `labels`, created on first use. Hot paths keep the handle instead of
    /// naming the labels on every update.
    public func series(_ labels: [String]) -> CounterSeries {
        precondition(labels.count == labelNames.count, "\(name) takes \(labelNames.count) labels")
        return series.withLock { all in
            let key = LabelSet(values: labels)
            if let existing = all[key] { return existing }
            let created = CounterSeries()
            all[key] = created
            return created
        }
    }

    /// The current value of one series; 0 when it has never been incremented.
    public func value(_ labels: String...) -> Double {
        series.withLock { $0[LabelSet(values: labels)]?.value ?? 0 }
    }

    func renderSamples(into output: inout String) {
        let snapshot = series.withLock { $0 }
        for (labels, series) in snapshot.sorted(by: { $0.key < $1.key }) {
            output.append("\(name)\(labels.rendered(names: labelNames)) \(formatSample(series.value))\n")
        }
    }
}

/// One series of a counter.
public final class CounterSeries: Sendable {
    private let total = Mutex<Double>(0)

    init() {}

    /// Adds `amount` (default 1), which must not be negative.
    public func increment(by amount: Double = 1) {
        precondition(amount >= 0, "a counter never goes down")
        total.withLock { $0 += amount }
    }

    /// The current value.
    public var value: Double { total.withLock { $0 } }
}
