import Foundation
import Storage
import Testing
import TestSupport

/// One Messenger sender flooding the page: Meta's servers are one client for every customer, so
/// the flood is held back by sender inside the batches. The batch is acknowledged (Meta must not
/// send it again); the sender's events over the limit never reach the inbox; another sender's
/// event in the same batch does.
struct MessengerSenderLimitTests {
    @Test func aSendersFloodIsCutInsideTheBatchAndOthersGetThrough() async throws {
        let fixture = try await MessengerFixture()
        let flood = (0..<70).map { index in (psid: "psid-flood", text: "wiadomość \(index)") }
        let body = MessengerEndToEndTests.batch(flood + [(psid: "psid-calm", text: "gdzie jest moja paczka")])
        let headers = ["Content-Type": "application/json", "X-Hub-Signature-256": MessengerFixture.signature(body)]
        let client = fixture.client
        let response = try await blocking { try client.post("/webhooks/messenger", body: body, headers: headers) }
        let rows = try await fixture.gateway.database.read { @Sendable db in
            try db.query("SELECT sender, count(*) FROM inbox GROUP BY sender ORDER BY sender") { "\($0.string(0))=\($0.int(1))" }
        }
        let metrics = fixture.gateway.metrics.render()
        await fixture.stop()

        #expect(response.status == 200)
        // The default: 50 at once, then 3 a second (a few more may have come back meanwhile).
        #expect(rows.first == "psid-calm=1")
        let flooded = rows.last.flatMap { Int($0.split(separator: "=").last ?? "") } ?? 0
        #expect(rows.last?.hasPrefix("psid-flood=") == true)
        #expect((50...53).contains(flooded))
        #expect(metrics.contains(#"orderbot_rate_limited_total{limit="messenger_sender"} \#(70 - flooded)"#))
        #expect(metrics.contains(#"orderbot_messenger_events_total{kind="message",result="limited"} \#(70 - flooded)"#))
    }
}
