import Synchronization

/// A worker's rounds that failed in a row (its database unreadable, the disk full), and the pause
/// they earn before the next round: longer with each failure, not cut short by wake-ups (every
/// new reply would otherwise start another round bound to fail, and log it), back to the
/// worker's normal pace after the first round that works.
public struct FailureStreak: Sendable {
    /// The pauses: the first failure's ceiling, doubling up to the maximum.
    public let backoff: Backoff
    /// Rounds failed since the last one that worked.
    public private(set) var failures = 0

    public init(backoff: Backoff = Backoff(baseDelay: .milliseconds(250), maxDelay: .seconds(30))) {
        self.backoff = backoff
    }

    /// Records how a round went; the pause to take before the next one when it failed, nil when
    /// it worked. The pause is the ceiling itself: a worker has no crowd to spread out from.
    public mutating func record(failed: Bool) -> Duration? {
        guard failed else {
            failures = 0
            return nil
        }
        failures += 1
        return backoff.delay(afterAttempt: failures, random: { $0.upperBound })
    }
}

/// Sleeps for `duration`, or until `isStopping` says the worker is asked to stop (looked at every
/// 100 ms): for workers stopped by a flag rather than by cancelling their task.
public func pause(for duration: Duration, unless isStopping: () -> Bool) async {
    let end = ContinuousClock.now + duration
    while !isStopping(), ContinuousClock.now < end {
        try? await Task.sleep(for: min(.milliseconds(100), end - ContinuousClock.now))
    }
}

/// The loop of a worker that sends an outbox: a round at once, then whenever woken and at the
/// latest every poll interval; a round that fails earns a pause (`FailureStreak`) no wake-up
/// cuts short. Asked to stop, the round in progress finishes (the send in flight is not cut).
public final class OutboxLoop: Sendable {
    private let signal = WakeSignal()
    private let stopping = Mutex(false)

    public init() {}

    /// Something was queued: the next round starts now rather than at the next poll.
    public func wake() {
        signal.fire()
    }

    /// Whether the loop was asked to stop: a round checks it between sends.
    public var isStopping: Bool { stopping.withLock { $0 } }

    /// Runs `round` (true when it failed) until the service is stopped.
    public func run(every pollInterval: Duration, _ round: @escaping @Sendable () async -> Bool) async {
        await withGracefulStop({ [self] in
            var failures = FailureStreak()
            while !isStopping {
                let failed = await round()
                if let backoff = failures.record(failed: failed) { await pause(for: backoff) { isStopping } }
                await signal.wait(upTo: pollInterval)
            }
        }, stop: { [self] in
            stopping.withLock { $0 = true }
            signal.fire()
        })
    }
}
