import Commerce
import Foundation
import Gateway
import Storage
import TestSupport
import Testing
import Voice

/// `POST /webhooks/voice` and `POST /webhooks/voice/twilio` on a live gateway (port 0, a real
/// SQLite file): every fixture of shared/fixtures/voice, idempotency, and refusals that store
/// nothing.
@Suite(.serialized)
struct VoiceWebhookTests {
    static let token = "voice-token"
    /// Twilio's auth token of the gateways that accept Twilio callbacks here.
    static let twilioToken = "twilio-test-token"
    /// The URL the gateway rebuilds from the test client's `Host: 127.0.0.1`, which Twilio signs.
    static let twilioURL = "http://127.0.0.1" + "/webhooks/voice/twilio"

    /// A live gateway that accepts Twilio callbacks signed with `twilioToken`.
    private func twilioFixture() async throws -> MessengerFixture {
        try await MessengerFixture(voice: VoiceSettings(token: Self.token, twilioAuthToken: Self.twilioToken))
    }

    private func postNeutral(
        _ fixture: MessengerFixture, _ body: [UInt8], token: String? = VoiceWebhookTests.token,
        contentType: String = "application/json"
    ) async throws -> RawHTTPResponse {
        var headers = ["Content-Type": contentType]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        let client = fixture.client
        let fixed = headers
        return try await blocking { try client.post("/webhooks/voice", body: body, headers: fixed) }
    }

    /// Posts a Twilio callback with `signature`; by default signed as Twilio signs it with
    /// `twilioToken` (a body that is not a form is signed as if it had no parameters); nil
    /// sends none.
    private func postTwilio(
        _ fixture: MessengerFixture, _ body: [UInt8], query: String = "", signature: String?? = .none
    ) async throws -> RawHTTPResponse {
        var headers = ["Content-Type": "application/x-www-form-urlencoded"]
        switch signature {
        case .none:
            headers["X-Twilio-Signature"] = TwilioSignature.expected(
                url: Self.twilioURL + query, parameters: (try? TwilioForm.parameters(in: body)) ?? [:], authToken: Self.twilioToken)
        case .some(.some(let given)): headers["X-Twilio-Signature"] = given
        case .some(.none): break
        }
        let client = fixture.client
        let fixed = headers
        return try await blocking { try client.post("/webhooks/voice/twilio" + query, body: body, headers: fixed) }
    }

    private func reply(_ response: RawHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    private func actions(_ response: RawHTTPResponse) throws -> [[String: Any]] {
        try #require(try reply(response)["actions"] as? [[String: Any]])
    }

    private func storedRows(_ fixture: MessengerFixture) async throws -> (inbox: Int, messages: Int, customers: Int) {
        (try await fixture.count("SELECT count(*) FROM inbox"), try await fixture.count("SELECT count(*) FROM messages"),
         try await fixture.count("SELECT count(*) FROM customers"))
    }

    @Test("the neutral fixture gets a gw.voice.reply/v1: a speakable say, then listen; the caller is the voice identity")
    func neutralFixture() async throws {
        let fixture = try await MessengerFixture()
        let body = try VoiceFixtures.body("neutral_transcript_final.json")
        let response = try await postNeutral(fixture, body)
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("application/json") == true)
        let json = try reply(response)
        #expect(json["schema"] as? String == "gw.voice.reply/v1")
        #expect(json["call_id"] as? String == "call_01J03Q8W5T4F7M2K9R6B1X0YZA")
        #expect(json["in_reply_to_seq"] as? Int == 3)
        let actions = try actions(response)
        #expect(actions.first?["type"] as? String == "say")
        let text = try #require(actions.first?["text"] as? String)
        #expect(text.contains("Aero Run (trzysta czterdzieści dziewięć złotych)"), "running shoes offered, prices in words")
        #expect(text.range(of: #"\d,\d\d zł"#, options: .regularExpression) == nil && !text.contains("×"))
        #expect(!text.contains("Trail Pro"), "at most three options read out")
        #expect((actions.first?["ssml"] as? String)?.hasPrefix("<speak>") == true)
        #expect(actions.last?["type"] as? String == "listen")
        #expect(actions.last?["language"] as? String == "pl-PL")
        #expect(actions.last?["hints"] as? [String] == ["Aero Run", "Sprint Lite", "Tempo Max"])
        let customer = try await fixture.count(
            "SELECT customer_id FROM customer_identities WHERE channel = 'phone' AND external_id = ?", "+48601234567")
        #expect(customer > 0)
        let calls = try await fixture.count(
            "SELECT count(*) FROM conversations WHERE channel = 'voice' AND external_id = ?", "call_01J03Q8W5T4F7M2K9R6B1X0YZA")
        #expect(calls == 1)
        await fixture.stop()
    }

    @Test("replies have the shape of the reply fixtures: say + listen with hints, say + transfer to a queue with its context")
    func replyShapes() async throws {
        func keys(_ object: Any?) -> Set<String> { Set((object as? [String: Any])?.keys.map { $0 } ?? []) }
        let listenFixture = try #require(try JSONSerialization.jsonObject(
            with: Data(VoiceFixtures.body("neutral_reply_listen.json"))) as? [String: Any])
        let transferFixture = try #require(try JSONSerialization.jsonObject(
            with: Data(VoiceFixtures.body("neutral_reply_transfer.json"))) as? [String: Any])
        let decoded = try VoiceReply.decode(Data(VoiceFixtures.body("neutral_reply_listen.json")))
        #expect(decoded.actions.count == 2 && decoded.inReplyToSeq == 2)

        let fixture = try await MessengerFixture()
        let greeting = try await postNeutral(fixture, Array(#"""
            {"call_id":"call-shape","from":"+48601234567","seq":1,"is_final":true,"language":"pl-PL",
             "alternatives":[{"transcript":"chcę zamówić buty do biegania","confidence":0.9}]}
            """#.utf8))
        let person = try await postNeutral(fixture, Array(#"""
            {"call_id":"call-shape","from":"+48601234567","seq":2,"is_final":true,"language":"pl-PL",
             "alternatives":[{"transcript":"poproszę konsultanta","confidence":0.9}]}
            """#.utf8))
        let listenActions = try #require(listenFixture["actions"] as? [[String: Any]])
        let transferActions = try #require(transferFixture["actions"] as? [[String: Any]])
        let ours = try actions(greeting)
        let transferred = try actions(person)
        #expect(keys(try reply(greeting)) == keys(listenFixture))
        #expect(ours.map { $0["type"] as? String } == ["say", "listen"])
        #expect(keys(ours[1]) == keys(listenActions[1]))
        #expect(keys(ours[0]).isSuperset(of: keys(listenActions[0])))
        #expect(transferred.map { $0["type"] as? String } == ["say", "transfer"])
        #expect(keys(transferred[0]) == keys(transferActions[0]), "say with text, ssml, language, barge_in")
        #expect(transferred[0]["barge_in"] as? Bool == false)
        #expect(keys(transferred[1]["target"]) == keys(transferActions[1]["target"]))
        #expect(keys(transferred[1]["context"]).isSuperset(of: keys(transferActions[1]["context"])))
        #expect((transferred[1]["target"] as? [String: Any])?["name"] as? String == "support-pl")
        let open = try await fixture.count("SELECT count(*) FROM escalations WHERE status = 'open' AND reason = 'customer_request'")
        #expect(open == 1)
        await fixture.stop()
    }

    @Test("the same (call_id, seq) again returns the same reply and acts once, also when sent at once")
    func repeatedSequenceNumber() async throws {
        let fixture = try await MessengerFixture()
        let body = try VoiceFixtures.body("neutral_transcript_final.json")
        let first = try await postNeutral(fixture, body)
        let again = try await postNeutral(fixture, body)
        #expect(first.status == 200 && again.status == 200)
        #expect(first.body == again.body)
        let concurrent = try await withThrowingTaskGroup(of: RawHTTPResponse.self) { group in
            for _ in 0..<6 { group.addTask { try await postNeutral(fixture, body) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(concurrent.allSatisfy { $0.status == 200 && $0.body == first.body })
        let stored = try await storedRows(fixture)
        #expect(stored.inbox == 1)
        #expect(stored.messages == 2, "one caller utterance and one bot reply")
        await fixture.stop()
    }

    @Test("a withheld number is still served (as a caller of its own), and keys pressed stand in for speech")
    func withheldNumberAndKeys() async throws {
        let fixture = try await MessengerFixture()
        let body = #"""
            {"call_id":"call-anon","from":"anonymous","seq":1,"is_final":true,"alternatives":[],"dtmf":"491837","end_reason":"dtmf"}
            """#
        let response = try await postNeutral(fixture, Array(body.utf8))
        #expect(response.status == 200)
        let say = try #require(try actions(response).first)
        #expect((say["text"] as? String)?.isEmpty == false)
        let identity = try await fixture.count(
            "SELECT count(*) FROM customer_identities WHERE channel = 'phone' AND external_id = ?", "withheld:call-anon")
        #expect(identity == 1)
        let heard = try await fixture.count("SELECT count(*) FROM messages WHERE author = 'customer' AND text = ?", "491837")
        #expect(heard == 1)
        await fixture.stop()
    }

    @Test("a partial transcript is answered 204 and stores nothing")
    func partialTranscript() async throws {
        let fixture = try await MessengerFixture()
        var json = try #require(try JSONSerialization.jsonObject(with: Data(VoiceFixtures.body("neutral_transcript_final.json"))) as? [String: Any])
        json["is_final"] = false
        let response = try await postNeutral(fixture, Array(try JSONSerialization.data(withJSONObject: json)))
        #expect(response.status == 204)
        #expect(response.body.isEmpty)
        let stored = try await storedRows(fixture)
        #expect(stored.inbox == 0 && stored.messages == 0 && stored.customers == 0)
        await fixture.stop()
    }

    @Test("no token, a wrong token, or no token configured → 401, and nothing is stored")
    func unauthorized() async throws {
        let body = try VoiceFixtures.body("neutral_transcript_final.json")
        let fixture = try await MessengerFixture()
        for token in [nil, "wrong", "voice-token-but-longer"] as [String?] {
            let response = try await postNeutral(fixture, body, token: token)
            #expect(response.status == 401, "token \(token ?? "none")")
            #expect(String(decoding: response.body, as: UTF8.self).contains(#""code":"unauthorized""#))
        }
        #expect(try await storedRows(fixture) == (0, 0, 0))
        await fixture.stop()

        let unconfigured = try await MessengerFixture(voice: VoiceSettings())
        let refused = try await postNeutral(unconfigured, body)
        #expect(refused.status == 401)
        #expect(String(decoding: refused.body, as: UTF8.self).contains("ORDERBOT_VOICE_TOKEN"))
        #expect(try await storedRows(unconfigured) == (0, 0, 0))
        await unconfigured.stop()
    }

    @Test("malformed bodies → 400 naming what is wrong, a wrong content type → 415; nothing is stored", arguments: [
        (#"{not json"#, "not valid JSON"),
        (#"[1, 2]"#, "JSON object"),
        (#"{"schema":"gw.voice.transcript/v2","call_id":"c","from":"+48601234567","seq":1,"is_final":true,"alternatives":[]}"#, "schema"),
        (#"{"from":"+48601234567","seq":1,"is_final":true,"alternatives":[]}"#, "call_id"),
        (#"{"call_id":"c","from":"+48601234567","seq":"1","is_final":true,"alternatives":[]}"#, "seq"),
        (#"{"call_id":"c","from":"+48601234567","seq":1,"is_final":"yes","alternatives":[]}"#, "is_final"),
        (#"{"call_id":"c","from":"+48601234567","seq":1,"is_final":true}"#, "alternatives"),
        (#"{"call_id":"c","from":"+48601234567","seq":1,"is_final":true,"alternatives":[{"transcript":"tak","confidence":1.5}]}"#, "confidence"),
        (#"{"call_id":"c","from":"+48601234567","seq":1,"is_final":true,"alternatives":[{"confidence":0.5}]}"#, "transcript"),
        (#"{"call_id":"c","from":"+48601234567","seq":1,"is_final":true,"alternatives":[],"dtmf":"\#(String(repeating: "1", count: 65))"}"#, "dtmf"),
        (#"{"call_id":"c","from":"+48601234567","seq":1,"is_final":true,"alternatives":[],"provider":"\#(String(repeating: "p", count: 201))"}"#, "provider"),
        (#"{"call_id":"c","from":"+48601234567","seq":1,"is_final":true,"alternatives":[{"transcript":"\#(String(repeating: "a", count: 2_001))"}]}"#, "transcript"),
    ])
    func malformed(body: String, mentions: String) async throws {
        let fixture = try await MessengerFixture()
        let response = try await postNeutral(fixture, Array(body.utf8))
        #expect(response.status == 400)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.contains(#""code":"malformed_payload""#))
        #expect(text.contains(mentions), "\(text)")
        let wrongType = try await postNeutral(
            fixture, try VoiceFixtures.body("neutral_transcript_final.json"), contentType: "text/plain")
        #expect(wrongType.status == 415)
        #expect(try await storedRows(fixture) == (0, 0, 0))
        await fixture.stop()
    }

    @Test("the Google and Vonage payloads are not the neutral schema: 400 naming the missing call_id, nothing stored")
    func otherProvidersPayloads() async throws {
        let fixture = try await MessengerFixture()
        for name in ["google_stt_streaming_final_3_alternatives.json", "vonage_asr_event.json"] {
            let response = try await postNeutral(fixture, try VoiceFixtures.body(name))
            #expect(response.status == 400, "\(name)")
            #expect(String(decoding: response.body, as: UTF8.self).contains("call_id is required"), "\(name)")
        }
        #expect(try await storedRows(fixture) == (0, 0, 0))
        await fixture.stop()
    }

    @Test("Twilio: a confident result gets TwiML that speaks and gathers speech again with the next turn")
    func twilioConfident() async throws {
        let fixture = try await twilioFixture()
        let response = try await postTwilio(fixture, try VoiceFixtures.body("twilio_gather_speech_pl_confidence_091.txt"))
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("text/xml") == true)
        let twiml = String(decoding: response.body, as: UTF8.self)
        #expect(twiml.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?><Response>"#))
        #expect(twiml.contains(#"<Gather input="speech" language="pl-PL" action="?turn=2""#))
        #expect(twiml.contains("<Say language=\"pl-PL\">") && twiml.contains("Aero Run"))
        let conversations = try await fixture.count(
            "SELECT count(*) FROM conversations WHERE channel = 'voice' AND external_id = ?", "CA9e2b7d41c0f8a6356b1e4d92c7a03f58")
        #expect(conversations == 1)
        await fixture.stop()
    }

    @Test("Twilio: a result recognised with confidence 0.32 is not acted on: the caller is asked to repeat")
    func twilioLowConfidence() async throws {
        let fixture = try await twilioFixture()
        let response = try await postTwilio(fixture, try VoiceFixtures.body("twilio_gather_speech_pl_confidence_032.txt"))
        #expect(response.status == 200)
        let twiml = String(decoding: response.body, as: UTF8.self)
        #expect(twiml.contains("<Gather input=\"speech\""))
        #expect(twiml.contains("powtórzyć") || twiml.contains("powtórz"), "\(twiml)")
        let state = try await fixture.gateway.database.read { db in
            try db.queryFirst("SELECT state FROM conversations WHERE channel = 'voice'") { $0.string(0) }
        }
        #expect(state?.contains("changingOrder") != true && state?.contains("ordering") != true)
        await fixture.stop()
    }

    @Test("Twilio: a partial result is answered 204 and stores nothing")
    func twilioPartial() async throws {
        let fixture = try await twilioFixture()
        let response = try await postTwilio(fixture, try VoiceFixtures.body("twilio_partial_result_pl.txt"))
        #expect(response.status == 204)
        #expect(try await storedRows(fixture) == (0, 0, 0))
        await fixture.stop()
    }

    @Test("Twilio: the call's first request (no speech, no turn) is greeted, nothing stored")
    func twilioCallStart() async throws {
        let fixture = try await twilioFixture()
        let body = Array("CallSid=CA00000000000000000000000000000001&From=%2B48601234567&To=%2B48221234567&CallStatus=ringing".utf8)
        let response = try await postTwilio(fixture, body)
        #expect(response.status == 200)
        let twiml = String(decoding: response.body, as: UTF8.self)
        #expect(twiml.contains("W czym mogę pomóc?") && twiml.contains(#"action="?turn=1""#))
        #expect(try await storedRows(fixture) == (0, 0, 0))
        await fixture.stop()
    }

    @Test("Twilio with an auth token: the fixtures' signatures pass for the public URL; a missing or wrong one → 403, nothing stored")
    func twilioSignatures() async throws {
        let (url, signature) = try VoiceFixtures.twilioSignature(of: "twilio_gather_speech_pl_confidence_091.txt")
        let settings = VoiceSettings(token: Self.token, twilioAuthToken: VoiceFixtures.authToken, twilioWebhookURL: url)
        let fixture = try await MessengerFixture(voice: settings)
        let body = try VoiceFixtures.body("twilio_gather_speech_pl_confidence_091.txt")
        let missing = try await postTwilio(fixture, body, signature: .some(nil))
        #expect(missing.status == 403)
        #expect(String(decoding: missing.body, as: UTF8.self).contains("missing_signature"))
        let wrong = try await postTwilio(fixture, body, signature: "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        #expect(wrong.status == 403)
        #expect(String(decoding: wrong.body, as: UTF8.self).contains("invalid_signature"))
        var tampered = body
        tampered[tampered.count - 1] = UInt8(ascii: "9")
        let changed = try await postTwilio(fixture, tampered, signature: signature)
        #expect(changed.status == 403)
        let withQuery = try await postTwilio(fixture, body, query: "?turn=7", signature: signature)
        #expect(withQuery.status == 403, "the query is part of the signed URL")
        #expect(try await storedRows(fixture) == (0, 0, 0))
        let signed = try await postTwilio(fixture, body, signature: signature)
        #expect(signed.status == 200)
        #expect(String(decoding: signed.body, as: UTF8.self).contains(#"action="\#(url)?turn=2""#))
        await fixture.stop()
    }

    @Test("Twilio: malformed forms and a wrong content type are refused, nothing stored")
    func twilioMalformed() async throws {
        let fixture = try await twilioFixture()
        let badEscape = try await postTwilio(fixture, Array("CallSid=CA1&SpeechResult=%zz".utf8))
        #expect(badEscape.status == 400)
        let noCall = try await postTwilio(fixture, Array("SpeechResult=tak&Confidence=0.9".utf8))
        #expect(noCall.status == 400)
        #expect(String(decoding: noCall.body, as: UTF8.self).contains("CallSid"))
        let badTurn = try await postTwilio(fixture, Array("CallSid=CA1&SpeechResult=tak".utf8), query: "?turn=x")
        #expect(badTurn.status == 400)
        let client = fixture.client
        let json = try await blocking {
            try client.post("/webhooks/voice/twilio", body: Array("{}".utf8), headers: ["Content-Type": "application/json"])
        }
        #expect(json.status == 415)
        #expect(try await storedRows(fixture) == (0, 0, 0))
        await fixture.stop()
    }
}
