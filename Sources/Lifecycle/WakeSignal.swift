import Synchronization

/// Wakes a worker's loop: `fire()` from anywhere, any number of times; the loop's next (or
/// current) `wait(upTo:)` returns once for all of them. One waiter at a time. Cancelling the
/// waiting task ends its wait too.
public final class WakeSignal: Sendable {
    private struct State {
        var fired = false
        var waiter: CheckedContinuation<Void, Never>?
        /// Tells a sleeper that woke late from one that may end the current wait.
        var generation = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Ends the current wait, or the next one at once.
    public func fire() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.fired = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Suspends until `fire()`, until `timeout` has passed, or until the task is cancelled,
    /// whichever comes first.
    public func wait(upTo timeout: Duration) async {
        await withTaskCancellationHandler {
            await waitForFireOrTimeout(timeout)
        } onCancel: {
            fire()
        }
    }

    private func waitForFireOrTimeout(_ timeout: Duration) async {
        // The sleeper is the wait's own timer: cancelled as soon as the wait ends.
        var sleeper: Task<Void, Never>?
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let generation = state.withLock { state -> Int? in
                if state.fired {
                    state.fired = false
                    return nil
                }
                state.generation += 1
                state.waiter = continuation
                return state.generation
            }
            guard let generation else { return continuation.resume() }
            sleeper = Task { [self] in
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                self.timeOut(generation)
            }
        }
        sleeper?.cancel()
    }

    private func timeOut(_ generation: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.generation == generation, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }
}
