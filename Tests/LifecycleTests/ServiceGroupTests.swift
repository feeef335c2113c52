import Lifecycle
import Synchronization
import Telemetry
import Testing

/// The order a group's services started and stopped in, as they tell it.
private final class Journal: Sendable {
    private let entries = Mutex<[String]>([])

    func write(_ entry: String) { entries.withLock { $0.append(entry) } }

    var all: [String] { entries.withLock { $0 } }
}

/// A service that runs until cancelled, noting its start and its stop; with `failAfter`, it
/// throws instead after that long.
private struct NotingService: Service {
    let name: String
    let journal: Journal
    var failAfter: Duration?

    struct Broke: Error {}

    func run() async throws {
        journal.write("start \(name)")
        defer { journal.write("stop \(name)") }
        if let failAfter {
            try await Task.sleep(for: failAfter)
            throw Broke()
        }
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(60)) }
    }
}

struct ServiceGroupTests {
    private static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
    }

    /// `stop()` cancels the services in reverse order, each after the later one has returned.
    @Test func stopCancelsInReverseOrder() async throws {
        let journal = Journal()
        let group = ServiceGroup(
            ["health", "workers", "server"].map { NotingService(name: $0, journal: journal) }, logger: .disabled)
        let running = Task { try await group.run() }
        try await Self.waitUntil { journal.all.count == 3 }
        group.stop()
        try await running.value
        #expect(Set(journal.all.prefix(3)) == ["start health", "start workers", "start server"])
        #expect(Array(journal.all.dropFirst(3)) == ["stop server", "stop workers", "stop health"])
    }

    /// Cancelling the task that runs the group stops it the same way.
    @Test func cancellingTheRunningTaskStopsTheGroup() async throws {
        let journal = Journal()
        let group = ServiceGroup(["first", "second"].map { NotingService(name: $0, journal: journal) }, logger: .disabled)
        let running = Task { try await group.run() }
        try await Self.waitUntil { journal.all.count == 2 }
        running.cancel()
        try await running.value
        #expect(Array(journal.all.dropFirst(2)) == ["stop second", "stop first"])
    }

    /// A service that fails stops the others (in reverse order) and `run()` throws its failure,
    /// named; the log says which.
    @Test func aFailedServiceStopsTheOthersAndIsReported() async throws {
        let journal = Journal()
        let logs = MemoryLogSink()
        let group = ServiceGroup(
            [
                NotingService(name: "monitor", journal: journal),
                NotingService(name: "delivery", journal: journal, failAfter: .milliseconds(50)),
                NotingService(name: "server", journal: journal),
            ],
            logger: Logger(level: .info, sink: logs))
        let failure = await #expect(throws: ServiceFailure.self) { try await group.run() }
        #expect(failure?.service == "delivery")
        #expect(failure?.error is NotingService.Broke)
        #expect(Array(journal.all.dropFirst(3)) == ["stop delivery", "stop server", "stop monitor"])
        #expect(logs.lines.contains { $0.contains("service failed") && $0.contains("service=delivery") })
    }

    /// A stop asked for before the group runs (a SIGTERM during start-up) stops it at once.
    @Test func aStopBeforeRunEndsTheRunAtOnce() async throws {
        let journal = Journal()
        let group = ServiceGroup([NotingService(name: "only", journal: journal)], logger: .disabled)
        group.stop()
        try await group.run()
        #expect(journal.all.last == "stop only")
    }
}

struct WakeSignalTests {
    /// A fire before the wait ends the next wait at once; a wait with nothing fired lasts until
    /// its timeout.
    @Test func aFireEndsTheNextWait() async {
        let signal = WakeSignal()
        signal.fire()
        let started = ContinuousClock.now
        await signal.wait(upTo: .seconds(30))
        #expect(ContinuousClock.now - started < .seconds(10))
        let timed = ContinuousClock.now
        await signal.wait(upTo: .milliseconds(50))
        #expect(ContinuousClock.now - timed >= .milliseconds(50))
    }

    /// Cancelling the waiting task ends its wait (a service's loop stops at once).
    @Test func cancellationEndsTheWait() async throws {
        let signal = WakeSignal()
        let started = ContinuousClock.now
        let waiting = Task { await signal.wait(upTo: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(20))
        waiting.cancel()
        await waiting.value
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}
