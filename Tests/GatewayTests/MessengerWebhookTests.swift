import Commerce
import Foundation
import Gateway
import Storage
import Testing
import TestSupport

/// The Messenger webhook against a live gateway: verification, signatures, every fixture of
/// shared/fixtures/messenger with its effect, and redeliveries handled once.
struct MessengerWebhookTests {
    static let userA = "3000000000000001"
    static let userB = "3000000000000002"

    /// The verification request of the fixture gets its challenge back, as plain text; a wrong
    /// or missing token, or another mode, gets 403.
    @Test func verification() async throws {
        let fixture = try await MessengerFixture()
        let request = String(decoding: try MessengerFixture.body("webhook_verification_get.txt"), as: UTF8.self)
        let target = try #require(request.split(separator: " ").dropFirst().first.map(String.init))
        #expect(target.contains("hub.verify_token=shop-gw-verify-2024"))
        let client = fixture.client
        let (good, wrong, missing, otherMode) = try await blocking {
            (try client.get(target),
             try client.get("/webhooks/messenger?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1"),
             try client.get("/webhooks/messenger?hub.mode=subscribe&hub.challenge=1"),
             try client.get("/webhooks/messenger?hub.mode=unsubscribe&hub.verify_token=shop-gw-verify-2024&hub.challenge=1"))
        }
        await fixture.stop()
        #expect(good.status == 200)
        #expect(good.text == "1158201444")
        #expect(good.headers["content-type"]?.hasPrefix("text/plain") == true)
        for refused in [wrong, missing, otherMode] {
            #expect(refused.status == 403)
            #expect(refused.errorCode == "verification_failed")
        }
    }

    /// Without a verify token configured, verification is refused.
    @Test func verificationRefusedWithoutToken() async throws {
        let fixture = try await MessengerFixture { $0.verifyToken = nil }
        let client = fixture.client
        let response = try await blocking {
            try client.get("/webhooks/messenger?hub.mode=subscribe&hub.verify_token=&hub.challenge=1")
        }
        await fixture.stop()
        #expect(response.status == 403)
    }

    /// No signature, a wrong one, one made with another secret, the signature of a different
    /// body (the same event re-serialised), a legacy sha1 header alone: 403, and nothing is
    /// stored. Without an app secret every POST is refused.
    @Test func badSignaturesStoreNothing() async throws {
        let fixture = try await MessengerFixture()
        let wire = try MessengerFixture.body("polish_text_message.json")
        let reserialised = try MessengerFixture.body("polish_text_message_utf8.json")
        let attempts: [(String?, String)] = [
            (nil, "missing_signature"),
            ("sha256=" + String(repeating: "0", count: 64), "invalid_signature"),
            (MessengerFixture.signature(wire, secret: "another-secret"), "invalid_signature"),
            (MessengerFixture.signature(reserialised), "invalid_signature"),
            ("sha256=not-hex", "invalid_signature"),
            ("sha1=41488e5173c235d6a366ab1e722980819a796208", "invalid_signature"),
        ]
        for (signature, code) in attempts {
            let response = try await fixture.post(wire, signature: .some(signature))
            #expect(response.status == 403, "\(signature ?? "none")")
            #expect(response.errorCode == code, "\(signature ?? "none")")
        }
        let stored = try await fixture.count("SELECT (SELECT count(*) FROM inbox) + (SELECT count(*) FROM customers) + (SELECT count(*) FROM messages)")
        await fixture.stop()
        #expect(stored == 0)

        let unconfigured = try await MessengerFixture { $0.appSecret = nil }
        let refused = try await unconfigured.post(wire)
        let storedThere = try await unconfigured.count("SELECT count(*) FROM inbox")
        await unconfigured.stop()
        #expect(refused.status == 403)
        #expect(refused.errorCode == "messenger_not_configured")
        #expect(storedThere == 0)
    }

    /// A signed body that is not JSON, or not a webhook payload, is a 400 with nothing stored;
    /// a payload for another object (Instagram) is acknowledged and ignored; a signed body in
    /// another content type is a 415.
    @Test func malformedSignedBodies() async throws {
        let fixture = try await MessengerFixture()
        let notJSON = try await fixture.post(Array("{\"object\":\"page\",\"entry\":[".utf8))
        let wrongShape = try await fixture.post(Array("{\"object\":\"page\",\"entry\":{\"id\":1}}".utf8))
        let array = try await fixture.post(Array("[1,2,3]".utf8))
        let wrongTimestamp = try await fixture.post(Array(#"{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":"2"},"timestamp":"soon","message":{"mid":"m_x","text":"hej"}}]}]}"#.utf8))
        let fractionalTime = try await fixture.post(Array(#"{"object":"page","entry":[{"id":"1","time":1.5,"messaging":[]}]}"#.utf8))
        let instagram = try await fixture.post(Array("{\"object\":\"instagram\",\"entry\":[]}".utf8))
        let body = try MessengerFixture.body("text_message.json")
        let client = fixture.client
        let plain = try await blocking {
            try client.post("/webhooks/messenger", body: body, headers: [
                "Content-Type": "text/plain", "X-Hub-Signature-256": MessengerFixture.signature(body),
            ])
        }
        let stored = try await fixture.count("SELECT count(*) FROM inbox")
        await fixture.stop()
        #expect(wrongTimestamp.text.contains("entry[0].messaging[0].timestamp"))
        for response in [notJSON, wrongShape, array, wrongTimestamp, fractionalTime] {
            #expect(response.status == 400)
            #expect(response.errorCode == "malformed_payload")
        }
        #expect(instagram.status == 200)
        #expect(plain.status == 415)
        #expect(stored == 0)
    }

    /// Every inbound fixture, posted with its signature, gets 200 `EVENT_RECEIVED` and the
    /// effect its kind calls for: messages and postbacks answered, receipts, reactions and
    /// handovers recorded, echoes ignored, standby messages kept without an answer.
    @Test func everyFixtureHasItsEffect() async throws {
        let fixture = try await MessengerFixture()
        func post(_ name: String) async throws {
            let response = try await fixture.post(fixture: name)
            #expect(response.status == 200, "\(name)")
            #expect(response.text == "EVENT_RECEIVED", "\(name)")
            #expect(try await fixture.waitUntilHandled(), "\(name)")
        }
        func outcome(_ mid: String) async throws -> String? {
            try await fixture.inbox().first { $0.dedupKey == "mid:\(mid)" }?.outcome
        }

        try await post("text_message.json")
        #expect(try await fixture.transcript(Self.userA).first == "customer: Hi! Has my order #10452 shipped yet?")
        #expect(try await fixture.transcript(Self.userA).dropFirst().first?.hasPrefix("bot: ") == true)

        try await post("quick_reply.json")
        try await post("postback_get_started.json")
        #expect(try await fixture.transcript(Self.userB).last?.hasPrefix("bot: ") == true)

        try await post("image_attachment.json")
        #expect(try await fixture.transcript(Self.userA).contains { $0.contains("scontent.xx.fbcdn.net") })

        try await post("sticker_like.json")
        #expect(try await fixture.transcript(Self.userA).contains("customer: 👍"))

        let before = try await fixture.count("SELECT count(*) FROM messages")
        for name in ["echo_message.json", "delivery_receipt.json", "read_receipt.json", "reaction.json"] {
            try await post(name)
        }
        #expect(try await fixture.count("SELECT count(*) FROM messages") == before)
        let kinds = try await fixture.inbox().suffix(4).map { "\($0.kind) \($0.status.rawValue) \($0.outcome ?? "")" }
        #expect(kinds.count == 4)
        #expect(kinds[0].hasPrefix("echo done ignored"))
        #expect(kinds[1].hasPrefix("delivery done recorded"))
        #expect(kinds[2].hasPrefix("read done recorded"))
        #expect(kinds[3].hasPrefix("reaction done recorded"))

        try await post("handover_take_thread_control.json")
        #expect(try await fixture.mode(Self.userA) == .human)
        try await post("standby_message.json")
        #expect(try await fixture.transcript(Self.userA).last == "customer: Is anyone there? I still need help with the return.")
        try await post("handover_request_thread_control.json")
        try await post("handover_pass_thread_control.json")
        #expect(try await fixture.mode(Self.userA) == .bot)

        try await post("polish_text_message.json")
        try await post("polish_text_message_utf8.json")
        let polish = try await fixture.transcript(Self.userB).filter { $0.hasPrefix("customer: Chcę zamówić") }
        #expect(polish == ["customer: Chcę zamówić dwie pary butów do biegania, rozmiar 42"])

        try await post("batched_two_entries.json")
        #expect(try await fixture.transcript(Self.userA).contains("customer: Do you have the Pegasus 41 in size 42?"))
        #expect(try await fixture.transcript(Self.userB).contains("customer: What are your opening hours on Saturday?"))

        let answered = try await fixture.count("SELECT count(*) FROM inbox WHERE outcome = 'answered'")
        let failed = try await fixture.count("SELECT count(*) FROM inbox WHERE status != 'done'")
        #expect(try await outcome("m_E35YMtm5lngHxGTgiZTeqfzRIHkr87cT358X208lSeFylvT1ng8ASaMJRyeBSP7rtGNub_0vtUOnakfh3DNphX") == "answered")
        await fixture.stop()
        // text, quick reply, postback, image, sticker, Polish (once), two in the batch.
        #expect(answered == 8)
        #expect(failed == 0)
    }

    /// The same batch posted three times one after another and three times at once: each
    /// message is stored and answered once.
    @Test func redeliveriesAreHandledOnce() async throws {
        let fixture = try await MessengerFixture()
        let batch = try MessengerFixture.body("batched_two_entries.json")
        for _ in 0..<3 {
            #expect(try await fixture.post(batch).status == 200)
        }
        let concurrent = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<3 { group.addTask { try await fixture.post(batch).status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(concurrent == [200, 200, 200])
        #expect(try await fixture.waitUntilHandled())
        let rows = try await fixture.count("SELECT count(*) FROM inbox")
        let customerMessages = try await fixture.count("SELECT count(*) FROM messages WHERE author = 'customer'")
        let botMessages = try await fixture.count("SELECT count(*) FROM messages WHERE author = 'bot'")
        let queued = try await fixture.count("SELECT count(*) FROM outbox")
        let perRecipient = try await fixture.count("SELECT count(DISTINCT recipient) FROM outbox")
        await fixture.stop()
        #expect(rows == 3)
        #expect(customerMessages == 2)
        #expect(botMessages >= 2)
        #expect(queued == botMessages)
        #expect(perRecipient == 2)
    }
}
