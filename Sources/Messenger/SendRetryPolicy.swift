import Lifecycle

/// Decides whether a failed send is tried again, and after how long: exponential backoff with
/// full jitter (a random wait between 0 and the attempt's ceiling, so many replies that failed
/// together do not come back together).
struct SendRetryPolicy: Sendable, Equatable {
    /// The ceiling of the first retry's wait.
    let baseDelay: Duration
    /// No wait is longer.
    let maxDelay: Duration
    /// Failed attempts after which a reply is given up.
    let maxAttempts: Int

    /// Rate limits back off this many times longer than other failures, and wait at least half
    /// their ceiling: Meta counts calls over minutes, not milliseconds.
    static let rateLimitFactor = 10

    /// What to do after a failed attempt.
    enum Decision: Sendable, Equatable {
        case retry(after: Duration)
        /// Give the reply up; the reason is what the outbox keeps.
        case giveUp(reason: String)
    }

    /// The decision after `failure`, when `previousAttempts` attempts had already failed, the
    /// last of them with `previousError` (as the outbox recorded it). `random` draws from 0...1.
    func decide(
        _ failure: SendFailure, previousAttempts: Int, previousError: String?,
        random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }
    ) -> Decision {
        let attempts = previousAttempts + 1
        switch failure.kind {
        case .permanent:
            return .giveUp(reason: failure.record)
        case .ambiguous where SendFailure.isAmbiguous(record: previousError):
            return .giveUp(reason: failure.record)
        case .temporary, .rateLimited, .ambiguous:
            guard attempts < maxAttempts else { return .giveUp(reason: "\(failure.record) (gave up after \(attempts) attempts)") }
            return .retry(after: delay(afterAttempt: attempts, rateLimited: failure.kind == .rateLimited, random: random))
        }
    }

    /// The wait after the `attempt`-th failure (1-based).
    func delay(afterAttempt attempt: Int, rateLimited: Bool, random: (ClosedRange<Double>) -> Double) -> Duration {
        Backoff(baseDelay: baseDelay, maxDelay: maxDelay)
            .delay(afterAttempt: attempt, slower: rateLimited, slowerFactor: Self.rateLimitFactor, random: random)
    }
}
