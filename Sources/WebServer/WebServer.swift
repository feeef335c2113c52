import Foundation
import Synchronization
import Telemetry

/// An HTTP/1.1 and WebSocket server on libwebsockets that knows nothing about what it serves.
///
/// One I/O thread runs libwebsockets and does I/O only; handlers run on Swift's cooperative
/// pool and answer whenever they are done. `shutdown()` drains: new connections are refused,
/// in-flight requests finish, WebSockets are closed with 1001, then the I/O thread ends.
///
/// ```swift
/// var router = Router()
/// router.get("/healthz") { _ in .text("ok") }
/// let server = WebServer(configuration: ServerConfiguration(port: 0), router: router)
/// let port = try server.start()
/// ```
public final class WebServer: Sendable {
    private enum Lifecycle {
        case created
        case running(port: Int)
        case stopped
    }

    private let loop: ServiceLoop
    private let lifecycle = Mutex(Lifecycle.created)
    private let stopWaiters = Mutex<[CheckedContinuation<Void, Never>]>([])
    private let stoppedSignal = DispatchSemaphore(value: 0)

    /// A server for `router`'s routes and the WebSocket endpoints in `webSockets`; call `start()`.
    public init(
        configuration: ServerConfiguration, router: Router, webSockets: [WebSocketRoute] = [],
        logger: Logger = Logger(), metrics: MetricsRegistry = MetricsRegistry()
    ) {
        loop = ServiceLoop(
            configuration: configuration, router: router, webSocketRoutes: webSockets,
            logger: logger.with(["component": "webserver"]), metrics: ServerMetrics(registry: metrics))
    }

    /// Listens and starts the I/O thread; returns the bound port (useful with port 0).
    @discardableResult
    public func start() throws(WebServerError) -> Int {
        let alreadyStarted = lifecycle.withLock { state -> Bool in
            guard case .created = state else { return true }
            state = .stopped
            return false
        }
        guard !alreadyStarted else { throw .alreadyStarted }

        let outcome = Mutex<Result<Int, WebServerError>?>(nil)
        let started = DispatchSemaphore(value: 0)
        let thread = Thread { [loop, self] in
            loop.run { result in
                outcome.withLock { $0 = result }
                if case .success(let port) = result {
                    self.lifecycle.withLock { $0 = .running(port: port) }
                }
                started.signal()
            }
            self.markStopped()
        }
        thread.name = "orderbot-io"
        thread.start()
        started.wait()
        return try outcome.withLock { $0! }.get()
    }

    /// The port the server listens on; 0 before `start()` and after it stopped.
    public var port: Int {
        lifecycle.withLock { state in
            if case .running(let port) = state { return port }
            return 0
        }
    }

    /// Whether the server is between a successful `start()` and the end of its shutdown.
    public var isRunning: Bool { port != 0 }

    /// Begins a graceful shutdown and returns at once; `waitUntilStopped()` or `stopped()` waits.
    public func shutdown() {
        loop.mailbox.post(.beginShutdown)
    }

    /// Blocks until the I/O thread has ended (returns at once if it never started).
    public func waitUntilStopped() {
        guard lifecycle.withLock({ if case .running = $0 { true } else { false } }) else { return }
        stoppedSignal.wait()
        stoppedSignal.signal()
    }

    /// Suspends until the I/O thread has ended.
    public func stopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = lifecycle.withLock { state -> Bool in
                guard case .running = state else { return true }
                stopWaiters.withLock { $0.append(continuation) }
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    private func markStopped() {
        let waiters = lifecycle.withLock { state in
            state = .stopped
            return stopWaiters.withLock { waiters in
                defer { waiters.removeAll() }
                return waiters
            }
        }
        stoppedSignal.signal()
        waiters.forEach { $0.resume() }
    }
}
