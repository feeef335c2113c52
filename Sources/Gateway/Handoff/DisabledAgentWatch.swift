import Synchronization

/// Runs a check every `interval` on the cooperative pool (never on the libwebsockets thread)
/// until `stop()`: the hub's look at which connected agents were disabled meanwhile, by
/// `orderbot agent disable` in another process, which cannot tell the gateway otherwise.
final class DisabledAgentWatch: Sendable {
    private let interval: Duration
    private let loop = Mutex<Task<Void, Never>?>(nil)

    init(interval: Duration) {
        self.interval = interval
    }

    /// Starts running `check` every interval; a second start does nothing.
    func start(_ check: @escaping @Sendable () async -> Void) {
        loop.withLock { loop in
            guard loop == nil else { return }
            loop = Task { [interval] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard !Task.isCancelled else { return }
                    await check()
                }
            }
        }
    }

    /// Stops, and returns once a check under way has finished (so it never reads a closed
    /// database).
    func stop() async {
        let running = loop.withLock { loop in
            defer { loop = nil }
            loop?.cancel()
            return loop
        }
        await running?.value
    }
}
