import Foundation
@testable import Gateway
import Synchronization
import Telemetry
import TestSupport
import Testing

/// The health verdict behind `/healthz`: probe results, staleness, recovery.
struct HealthMonitorTests {
    /// A probe whose answer the test sets, standing in for a database that breaks and heals.
    final class Switchable: Sendable {
        private let problem = Mutex<String?>(nil)
        func set(_ value: String?) { problem.withLock { $0 = value } }
        var probe: HealthMonitor.Probe { { [self] in problem.withLock { $0 } } }
    }

    /// A failing probe makes the status unhealthy at once, and a passing one heals it; both
    /// changes are logged.
    @Test func failureAndRecovery() async {
        let sink = MemoryLogSink()
        let database = Switchable()
        let monitor = HealthMonitor(logger: Logger(level: .info, sink: sink), probe: database.probe)
        #expect(monitor.status == .healthy)
        database.set("database: disk I/O error")
        await monitor.checkNow()
        #expect(monitor.status == .unhealthy("database: disk I/O error"))
        database.set(nil)
        await monitor.checkNow()
        #expect(monitor.status == .healthy)
        #expect(sink.lines.contains { $0.contains("health check failed") && $0.contains("disk I/O error") })
        #expect(sink.lines.contains { $0.contains("health check recovered") })
    }

    /// Without a successful probe for longer than `staleAfter`, the gateway is unhealthy even
    /// if the last probe passed (a stuck database or a saturated pool).
    @Test func staleProbeIsUnhealthy() async throws {
        let monitor = HealthMonitor(
            interval: .seconds(60), staleAfter: .milliseconds(200), logger: .disabled, probe: { nil })
        #expect(monitor.status == .healthy)
        try await Task.sleep(for: .milliseconds(400))
        #expect(monitor.status == .unhealthy("health probe is stale"))
        await monitor.checkNow()
        #expect(monitor.status == .healthy)
    }

    /// Once started, the monitor probes on its own. The deadline is generous because the
    /// monitor's task shares Swift's cooperative pool with the rest of a parallel suite; the
    /// loop ends as soon as three probes have run.
    @Test func probesInTheBackground() async throws {
        let count = Atomic<Int>(0)
        let monitor = HealthMonitor(interval: .milliseconds(50), logger: .disabled) {
            count.add(1, ordering: .relaxed)
            return nil
        }
        let running = RunningService(monitor)
        let deadline = ContinuousClock.now + .seconds(60)
        while count.load(ordering: .relaxed) < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try await running.stop()
        #expect(count.load(ordering: .relaxed) >= 3)
    }
}
