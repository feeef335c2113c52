import Lifecycle
import Synchronization
import Telemetry

/// Knows whether the gateway can serve, from a probe (a database read) run in the background
/// every `interval`, so `/healthz` can answer at once without touching the database per request.
///
/// A probe that fails makes the gateway unhealthy; so does a probe that has not succeeded for
/// `staleAfter` (a stuck database or a saturated handler pool), which an answer from memory
/// would otherwise hide.
final class HealthMonitor: Service {
    /// What `/healthz` reports.
    enum Status: Equatable, Sendable {
        case healthy
        /// Why not, for logs; never sent to clients.
        case unhealthy(String)
    }

    /// Runs one check; returns nil when all is well, else what is wrong.
    typealias Probe = @Sendable () async -> String?

    private struct State {
        var lastSuccess: ContinuousClock.Instant
        var problem: String?
    }

    private let interval: Duration
    private let staleAfter: Duration
    private let probe: Probe
    private let logger: Logger
    private let state: Mutex<State>

    /// A monitor that starts out healthy (the caller has just opened the database).
    init(interval: Duration = .seconds(1), staleAfter: Duration = .seconds(5), logger: Logger, probe: @escaping Probe) {
        self.interval = interval
        self.staleAfter = staleAfter
        self.probe = probe
        self.logger = logger
        state = Mutex(State(lastSuccess: .now, problem: nil))
    }

    /// The current verdict: the last probe's, or unhealthy when no probe has succeeded lately.
    var status: Status {
        state.withLock { state in
            if let problem = state.problem { return .unhealthy(problem) }
            if ContinuousClock.now - state.lastSuccess > staleAfter { return .unhealthy("health probe is stale") }
            return .healthy
        }
    }

    var name: String { "health-monitor" }

    /// Probes every `interval` until cancelled.
    func run() async {
        while !Task.isCancelled {
            guard (try? await Task.sleep(for: interval)) != nil else { return }
            await checkNow()
        }
    }

    /// Runs the probe once and records its verdict, logging when health changes.
    func checkNow() async {
        let problem = await probe()
        let previous = state.withLock { state -> String? in
            defer {
                state.problem = problem
                if problem == nil { state.lastSuccess = .now }
            }
            return state.problem
        }
        switch (previous, problem) {
        case (nil, let problem?): logger.error("health check failed", ["problem": .string(problem)])
        case (_?, nil): logger.info("health check recovered")
        default: break
        }
    }
}
