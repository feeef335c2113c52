import Commerce
import Foundation
import Gateway
import Storage
import Testing
import TestSupport

/// Across channels, through the live endpoints: an order placed on Messenger with a phone number
/// typed, then a phone call from that number. The typed number is a claim, so the call does not
/// open the order (a caller ID proves the number, but not that the Messenger customer owns it);
/// the caller is offered a one-time code or a person instead.
struct VoiceCrossChannelTests {
    @Test("a caller from a number only typed on Messenger is not told about that order")
    func callerNotRecognisedFromATypedNumber() async throws {
        let fixture = try await MessengerFixture()
        let order = ["chcę zamówić Urban Walk rozmiar 42 czarne", "1", "nie", "Paczkomat InPost", "GDA02B", "Kamil Wrzos",
                     "mój numer 600 123 456", "BLIK", "Tak"].map { (psid: "psid-kamil", text: $0) }
        let accepted = try await fixture.post(MessengerEndToEndTests.batch(order))
        #expect(accepted.status == 200)
        #expect(try await fixture.waitUntilHandled())
        let number = try #require(try await fixture.gateway.database.read { db in
            try db.queryFirst("SELECT number FROM orders") { $0.string(0) }
        })

        let call = #"""
            {"schema":"gw.voice.transcript/v1","call_id":"call-kamil","from":"+48600123456","to":"+48221234567","seq":1,
             "is_final":true,"language":"pl-PL","alternatives":[{"transcript":"dzień dobry gdzie jest moje zamówienie","confidence":0.9}]}
            """#
        let client = fixture.client
        let response = try await blocking {
            try client.post("/webhooks/voice", body: Array(call.utf8), headers: [
                "Content-Type": "application/json", "Authorization": "Bearer voice-token",
            ])
        }
        #expect(response.status == 200)
        let reply = try #require(response.json)
        let say = try #require((reply["actions"] as? [[String: Any]])?.first)
        let spoken = (say["ssml"] as? String ?? "") + (say["text"] as? String ?? "")
        #expect(!spoken.contains(number) && !spoken.contains("G D A 0 2 B") && !spoken.contains("GDA02B"))
        #expect(spoken.contains("Nie widzę zamówień"))
        let customers = try await fixture.count(
            "SELECT count(DISTINCT customer_id) FROM conversations WHERE external_id IN ('psid-kamil', 'call-kamil')")
        #expect(customers == 2)
        await fixture.stop()
    }
}
