import Lifecycle

/// A service running in a test, as the gateway's `ServiceGroup` runs it: started on creation,
/// cancelled and awaited by `stop()`.
public final class RunningService: Sendable {
    private let task: Task<Void, any Error>

    public init(_ service: some Service) {
        task = Task { try await service.run() }
    }

    /// Cancels the service and waits until its `run()` has returned; rethrows what it threw.
    public func stop() async throws {
        task.cancel()
        try await task.value
    }
}
