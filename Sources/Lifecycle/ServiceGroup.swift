import Synchronization
import Telemetry

/// Runs services together: starts them in the order given, and when one of them ends or fails,
/// when `stop()` is called, or when the task running the group is cancelled, cancels them in
/// reverse order, each after the one started after it has returned. The parts that feed others
/// (the web server, started last) thus stop first, and those they feed (workers, the health
/// monitor) drain after them.
public final class ServiceGroup: Sendable {
    private struct State {
        var stopRequested = false
        var exits: AsyncStream<Int>.Continuation?
    }

    private let services: [any Service]
    private let logger: Logger
    private let state = Mutex(State())

    public init(_ services: [any Service], logger: Logger) {
        self.services = services
        self.logger = logger
    }

    /// Asks a running group to stop (or one not started yet to stop at once). Safe from any
    /// thread, a signal handler's included.
    public func stop() {
        let exits = state.withLock { state in
            state.stopRequested = true
            return state.exits
        }
        exits?.yield(-1)
    }

    /// Runs every service until the group stops; throws `ServiceFailure` for the first service
    /// that failed.
    public func run() async throws(ServiceFailure) {
        let (exits, exit) = AsyncStream.makeStream(of: Int.self)
        let stopAtOnce = state.withLock { state in
            state.exits = exit
            return state.stopRequested
        }
        if stopAtOnce { exit.yield(-1) }
        // One task per service, each awaited below: children the group must cancel one by one.
        var running: [Task<Void, any Error>] = []
        for (index, service) in services.enumerated() {
            running.append(Task {
                defer { exit.yield(index) }
                try await service.run()
            })
            logger.debug("service started", ["service": .string(service.name)])
        }
        var iterator = exits.makeAsyncIterator()
        if let first = await iterator.next(), first >= 0, !Task.isCancelled {
            logger.warning("a service ended: stopping the others", ["service": .string(services[first].name)])
        }
        var failure: ServiceFailure?
        for (index, task) in running.enumerated().reversed() {
            task.cancel()
            do {
                try await task.value
            } catch is CancellationError {
            } catch {
                let name = services[index].name
                logger.error("service failed", ["service": .string(name), "error": .string(String(describing: error))])
                failure = failure ?? ServiceFailure(service: name, error: error)
            }
            logger.debug("service stopped", ["service": .string(services[index].name)])
        }
        exit.finish()
        state.withLock { $0.exits = nil }
        if let failure { throw failure }
    }
}

/// A service of a group failed.
public struct ServiceFailure: Error, CustomStringConvertible {
    /// The service's name.
    public let service: String
    /// What it threw.
    public let error: any Error

    public var description: String { "\(service) failed: \(error)" }
}
