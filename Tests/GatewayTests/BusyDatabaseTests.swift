import Foundation
import Storage
import Testing
import TestSupport

/// Another process holding the database's write lock (a second server on the same file, someone
/// in the `sqlite3` shell) while webhooks arrive: a short hold is waited out past the busy timeout
/// and the webhook acknowledged; a long one refuses it with 503 and `Retry-After` (Meta sends it
/// again), and nothing of it is written.
struct BusyDatabaseTests {
    private static func inboxRows(_ fixture: MessengerFixture, psid: String) async throws -> Int {
        try await fixture.gateway.database.read { @Sendable db in
            try db.queryFirst("SELECT count(*) FROM inbox WHERE sender = ?", psid) { $0.int(0) } ?? -1
        }
    }

    @Test func aWebhookIsAckedAfterAShortHoldAndRefusedDuringALongOne() async throws {
        // A 50 ms busy timeout, and the server's retries (pauses of ~25, 100 and 400 ms).
        let fixture = try await MessengerFixture(busyTimeoutMilliseconds: 50)
        let path = fixture.directory.path("messenger.sqlite")
        let client = fixture.client
        func post(_ psid: String) async throws -> RawHTTPResponse {
            let body = MessengerEndToEndTests.batch([(psid: psid, text: "gdzie jest moja paczka")])
            let headers = ["Content-Type": "application/json", "X-Hub-Signature-256": MessengerFixture.signature(body)]
            return try await blocking { try client.post("/webhooks/messenger", body: body, headers: headers) }
        }

        let short = try HeldWriteLock(on: path, for: 0.3)
        let acked = try await post("psid-busy-short")
        short.waitUntilReleased()
        let shortRows = try await Self.inboxRows(fixture, psid: "psid-busy-short")
        let retries = try await blocking { try client.get("/metrics").text }
            .split(separator: "\n").first { $0.hasPrefix("orderbot_database_busy_retries_total ") }

        let long = try HeldWriteLock(on: path, for: 4)
        let refused = try await post("psid-busy-long")
        let rowsWhileHeld = try await Self.inboxRows(fixture, psid: "psid-busy-long")
        long.waitUntilReleased()
        let resent = try await post("psid-busy-long")
        let rowsAfter = try await Self.inboxRows(fixture, psid: "psid-busy-long")
        await fixture.stop()

        #expect(acked.status == 200)
        #expect(shortRows == 1)
        #expect(retries.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0 >= 1)
        #expect(refused.status == 503)
        #expect(refused.errorCode == "storage_unavailable")
        #expect(refused.headers["retry-after"] != nil)
        #expect(rowsWhileHeld == 0)
        #expect(resent.status == 200)
        #expect(rowsAfter == 1)
    }
}
