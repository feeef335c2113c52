import Synchronization

/// The life of a background worker: its loop started once, woken from anywhere, paused between
/// rounds until a wake-up or a timeout, and stopped by waiting for the loop to finish its round.
final class WorkerLoop: Sendable {
    private struct State {
        var loop: Task<Void, Never>?
        var stopping = false
    }

    private let signal = MessengerDeliverySignal()
    private let state = Mutex(State())

    /// Runs `body` as the loop (once; later calls, or calls after `stop()`, do nothing). The body
    /// checks `isStopping` between rounds and calls `pause(upTo:)` to wait for work.
    func start(_ body: @escaping @Sendable () async -> Void) {
        state.withLock { state in
            guard state.loop == nil, !state.stopping else { return }
            state.loop = Task { await body() }
        }
    }

    /// Ends the current pause, or the next one at once. Calls close together cost one round.
    func wake() {
        signal.fire()
    }

    /// Suspends until `wake()` or until `timeout` has passed.
    func pause(upTo timeout: Duration) async {
        await signal.wait(upTo: timeout)
    }

    /// Whether `stop()` was called.
    var isStopping: Bool { state.withLock { $0.stopping } }

    /// Asks the loop to stop and waits until its round in progress is done.
    func stop() async {
        let loop = state.withLock { state in
            state.stopping = true
            return state.loop
        }
        signal.fire()
        await loop?.value
    }
}
