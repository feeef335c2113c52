import Synchronization

/// Wakes the delivery loop: `fire()` from anywhere, any number of times; the loop's next (or
/// current) `wait(upTo:)` returns once for all of them. One waiter at a time.
final class MessengerDeliverySignal: Sendable {
    private struct State {
        var fired = false
        var waiter: CheckedContinuation<Void, Never>?
        /// Tells a sleeper that woke late from one that may end the current wait.
        var generation = 0
    }

    private let state = Mutex(State())

    /// Ends the current wait, or the next one at once.
    func fire() {
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

    /// Suspends until `fire()` or until `timeout` has passed, whichever comes first.
    func wait(upTo timeout: Duration) async {
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
