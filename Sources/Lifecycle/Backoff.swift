/// Exponential backoff with full jitter: the wait after a failure is a random share of a ceiling
/// that doubles with every attempt up to a maximum, so many sends that failed together do not
/// come back together.
public struct Backoff: Sendable, Equatable {
    /// The ceiling of the first retry's wait.
    public let baseDelay: Duration
    /// No wait is longer.
    public let maxDelay: Duration

    public init(baseDelay: Duration, maxDelay: Duration) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait after the `attempt`-th failure (1-based). A `slower` failure (a rate limit) backs
    /// off `slowerFactor` times longer and waits at least half its ceiling. `random` draws from 0...1.
    public func delay(
        afterAttempt attempt: Int, slower: Bool = false, slowerFactor: Int = 1,
        random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }
    ) -> Duration {
        let base = baseDelay.seconds * (slower ? Double(slowerFactor) : 1)
        let ceiling = min(maxDelay.seconds, base * Double(1 << min(max(attempt - 1, 0), 30)))
        let share = slower ? 0.5 + random(0...1) / 2 : random(0...1)
        return .seconds(ceiling * share)
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
