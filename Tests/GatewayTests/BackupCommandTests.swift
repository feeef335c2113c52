import Foundation
import Glibc
import Storage
import Testing
import TestSupport

/// `orderbot backup PATH` as an operator runs it: against the file of a running server that is
/// taking webhooks, a sound self-contained copy with what was acknowledged before it; a PATH that
/// exists is refused and left alone.
@Suite(.serialized)
struct BackupCommandTests {
    @Test func aBackupOfARunningServerUnderLoadIsSoundAndComplete() async throws {
        let directory = TemporaryDirectory()
        let database = directory.path("live.sqlite")
        let copy = directory.path("copy.sqlite")
        let outcome = try await blocking { () -> (acked: Int, backup: (status: Int32, output: String, error: String), again: Int32) in
            let server = try ServerProcess(
                ["serve", "--port", "0", "--db", database],
                environment: ["ORDERBOT_MESSENGER_APP_SECRET": MessengerFixture.appSecret, "ORDERBOT_RATE_LIMITS": "off"])
            defer {
                server.send(signal: SIGTERM)
                _ = server.waitForExit()
            }
            let client = HTTPTestClient(port: try server.waitForPort())
            @Sendable func post(_ index: Int) throws -> Int {
                let body = MessengerEndToEndTests.batch(
                    [(psid: "psid-backup-\(index % 7)", text: "gdzie jest moja paczka \(index)")], firstTimestamp: 1_718_040_000_000 + Int64(index))
                return try client.post(
                    "/webhooks/messenger", body: body,
                    headers: ["Content-Type": "application/json", "X-Hub-Signature-256": MessengerFixture.signature(body)]).status
            }
            var acked = 0
            for index in 0..<100 where try post(index) == 200 { acked += 1 }
            // Webhooks keep coming while the copy is taken.
            let load = Thread { for index in 100..<300 { _ = try? post(index) } }
            load.start()
            let backup = try ServerProcess.run(["backup", copy, "--db", database])
            while !load.isFinished { Thread.sleep(forTimeInterval: 0.01) }
            let again = try ServerProcess.run(["backup", copy, "--db", database]).status
            return (acked, backup, again)
        }
        #expect(outcome.backup.status == 0, "\(outcome.backup.error)")
        #expect(outcome.backup.output.contains("pages"))
        #expect(!FileManager.default.fileExists(atPath: copy + "-wal"))
        let restored = try Database(path: copy, readOnly: true)
        #expect(try restored.queryFirst("PRAGMA integrity_check") { $0.string(0) } == "ok")
        let events = try restored.queryFirst("SELECT count(*) FROM inbox") { $0.int(0) } ?? -1
        #expect(outcome.acked == 100)
        #expect((100...300).contains(events), "every event acknowledged before the copy is in it")
        #expect(outcome.again == 1, "a PATH that exists is not overwritten")
    }
}
