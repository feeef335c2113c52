import Foundation
import Glibc
import Testing
import TestSupport

/// A full disk, as `orderbot serve` meets it: the file-size limit of the running server lowered
/// with `prlimit` until no byte more can be written. Webhooks are then refused with 503 and
/// `Retry-After` (Meta sends them again) rather than acknowledged and lost, the server stays up,
/// and once space returns the same webhook is taken and answered.
@Suite(.serialized)
struct DiskFullTests {
    /// Sets the soft file-size limit of `pid` (`0:`, `unlimited:`), leaving the hard one.
    private static func prlimit(_ pid: Int32, _ size: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        process.arguments = ["--pid", String(pid), "--fsize=\(size)"]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw DiskFullTestError.prlimitFailed }
    }

    @Test func acksAreRefusedWhileTheDiskIsFullAndNothingIsLost() async throws {
        let directory = TemporaryDirectory()
        let database = directory.path("full.sqlite")
        let outcome = try await blocking { () -> (full: [RawHTTPResponse], health: Int, after: Int, handled: Int) in
            let server = try ServerProcess(
                ["serve", "--port", "0", "--db", database],
                environment: ["ORDERBOT_MESSENGER_APP_SECRET": MessengerFixture.appSecret, "ORDERBOT_RATE_LIMITS": "off"])
            defer {
                server.send(signal: SIGTERM)
                _ = server.waitForExit()
            }
            let client = HTTPTestClient(port: try server.waitForPort())
            let body = MessengerEndToEndTests.batch([(psid: "psid-full-disk", text: "gdzie jest moja paczka")])
            let headers = ["Content-Type": "application/json", "X-Hub-Signature-256": MessengerFixture.signature(body)]

            try Self.prlimit(server.process.processIdentifier, "0:")
            let full = try (0..<3).map { _ in try client.post("/webhooks/messenger", body: body, headers: headers) }
            let health = try client.get("/healthz").status

            try Self.prlimit(server.process.processIdentifier, "unlimited:")
            let after = try client.post("/webhooks/messenger", body: body, headers: headers).status
            // The turn of the event acknowledged after the disk came back.
            var handled = 0
            let deadline = Date().addingTimeInterval(20)
            while handled == 0, Date() < deadline {
                Thread.sleep(forTimeInterval: 0.1)
                let text = try client.get("/metrics").text
                handled = text.split(separator: "\n").first { $0.hasPrefix("orderbot_engine_turns_total") }
                    .flatMap { Double($0.split(separator: " ").last ?? "") }.map(Int.init) ?? 0
            }
            return (full, health, after, handled)
        }
        #expect(outcome.full.map(\.status) == [503, 503, 503])
        #expect(outcome.full.allSatisfy { $0.errorCode == "storage_unavailable" && $0.headers["retry-after"] == "5" })
        #expect(outcome.health == 200, "reads still work: the server is up")
        #expect(outcome.after == 200)
        #expect(outcome.handled >= 1)
    }
}

enum DiskFullTestError: Error {
    case prlimitFailed
}
