import Synchronization

/// Counts observations into cumulative buckets, one series per combination of label values.
public final class Histogram: MetricFamily {
    /// Buckets for request latencies in seconds, from 50 µs to 10 s.
    public static let latencyBuckets: [Double] = [
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10,
    ]

    let name: String
    let help: String
    let kind = "histogram"
    private let labelNames: [String]
    private let upperBounds: [Double]
    private let series = Mutex<[LabelSet: HistogramSeries]>([:])

    init(name: String, help: String, labelNames: [String], buckets: [Double]) {
        precondition(!labelNames.contains("le"), "le is reserved for histogram buckets")
        self.name = name
        self.help = help
        self.labelNames = labelNames
        self.upperBounds = buckets.sorted()
    }

    /// Records one observation in the series named by `labels`.
    public func observe(_ value: Double, _ labels: String...) {
        series(labels).observe(value)
    }

    /// The series named by `labels`, created on first use (see `Counter.series(_:)`).
    public func series(_ labels: [String]) -> HistogramSeries {
        precondition(labels.count == labelNames.count, "\(name) takes \(labelNames.count) labels")
        return series.withLock { all in
            let key = LabelSet(values: labels)
            if let existing = all[key] { return existing }
            let created = HistogramSeries(upperBounds: upperBounds)
            all[key] = created
            return created
        }
    }

    /// How many observations the series named by `labels` has.
    public func count(_ labels: String...) -> UInt64 {
        series.withLock { $0[LabelSet(values: labels)] }?.snapshot.count ?? 0
    }

    func renderSamples(into output: inout String) {
        let snapshot = series.withLock { $0 }
        for (labels, series) in snapshot.sorted(by: { $0.key < $1.key }) {
            let entry = series.snapshot
            var cumulative: UInt64 = 0
            for (index, bound) in (upperBounds + [.infinity]).enumerated() {
                cumulative += entry.bucketCounts[index]
                let rendered = labels.rendered(names: labelNames, extra: ("le", formatSample(bound)))
                output.append("\(name)_bucket\(rendered) \(cumulative)\n")
            }
            output.append("\(name)_sum\(labels.rendered(names: labelNames)) \(formatSample(entry.sum))\n")
            output.append("\(name)_count\(labels.rendered(names: labelNames)) \(entry.count)\n")
        }
    }
}

/// One series of a histogram.
public final class HistogramSeries: Sendable {
    struct Counts: Sendable {
        var bucketCounts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0
    }

    private let upperBounds: [Double]
    private let counts: Mutex<Counts>

    init(upperBounds: [Double]) {
        self.upperBounds = upperBounds
        counts = Mutex(Counts(bucketCounts: Array(repeating: 0, count: upperBounds.count + 1)))
    }

    /// Records one observation.
    public func observe(_ value: Double) {
        let bucket = upperBounds.firstIndex { value <= $0 } ?? upperBounds.count
        counts.withLock { counts in
            counts.bucketCounts[bucket] += 1
            counts.sum += value
            counts.count += 1
        }
    }

    var snapshot: Counts { counts.withLock { $0 } }
}
