import Gateway
import Testing

/// A gateway serving in a test as `orderbot serve` runs it: bound by `start()`, then `run()`
/// until `stop()` shuts it down and waits for every part to stop.
final class RunningGateway: Sendable {
    let gateway: Gateway
    private let running: Task<Void, any Error>

    init(_ gateway: Gateway) throws {
        try gateway.start()
        self.gateway = gateway
        running = Task { try await gateway.run() }
    }

    var port: Int { gateway.port }

    /// Shuts the gateway down; a part that failed is recorded as an issue of the test.
    func stop() async {
        gateway.shutdown()
        do {
            try await running.value
        } catch {
            Issue.record(error, "the gateway stopped with an error")
        }
    }
}
