import Gateway
import Testing
import Voice

/// Reading Twilio's speech callbacks: the gather's answer, nothing heard, and partial results.
struct TwilioSpeechResultTests {
    private static let callSID = "CA9e2b7d41c0f8a6356b1e4d92c7a03f58"

    private func result(fixture name: String) throws -> TwilioSpeechResult {
        try TwilioSpeechResult(parameters: TwilioForm.parameters(in: VoiceFixtures.body(name)))
    }

    /// The confident gather callback is final, with transcript, confidence, language and numbers.
    @Test func confidentGather() throws {
        let result = try result(fixture: "twilio_gather_speech_pl_confidence_091.txt")
        #expect(result.callSID == Self.callSID)
        #expect(result.from == "+48601234567")
        #expect(result.to == "+48221234567")
        #expect(result.language == "pl-PL")
        #expect(result.isFinal)
        #expect(result.kind == .final(.init(
            transcript: "Chcę zamówić dwie pary butów do biegania, rozmiar 42.", confidence: 0.91, digits: nil)))
    }

    /// The poorly recognised callback carries its low confidence.
    @Test func lowConfidenceGather() throws {
        let result = try result(fixture: "twilio_gather_speech_pl_confidence_032.txt")
        guard case .final(let utterance) = result.kind else { Issue.record("not final: \(result)"); return }
        #expect(utterance.transcript == "chce wymienić to na większą numer")
        #expect(utterance.confidence == 0.32)
        #expect(!utterance.isEmpty)
    }

    /// The partial-result callback is recognised as partial, with its sequence number and text.
    @Test func partialResult() throws {
        let result = try result(fixture: "twilio_partial_result_pl.txt")
        #expect(!result.isFinal)
        #expect(result.callSID == Self.callSID)
        guard case .partial(let partial) = result.kind else { Issue.record("not partial: \(result)"); return }
        #expect(partial.sequenceNumber == 3)
        #expect(partial.stable == "Chcę zamówić dwie pary")
        #expect(partial.unstable == " butów do bie")
        #expect(partial.text == "Chcę zamówić dwie pary butów do bie")
    }

    /// An absent, empty or blank SpeechResult means nothing was heard; Confidence and Language
    /// may be absent; Digits are kept.
    @Test(arguments: [["CallSid": "CA1"], ["CallSid": "CA1", "SpeechResult": ""], ["CallSid": "CA1", "SpeechResult": "  "]])
    func nothingHeard(_ parameters: [String: String]) throws {
        let result = try TwilioSpeechResult(parameters: parameters)
        #expect(result.kind == .final(.init(transcript: nil, confidence: nil, digits: nil)))
        #expect(result.language == nil)
        #expect(result.from == nil)
        guard case .final(let utterance) = result.kind else { return }
        #expect(utterance.isEmpty)
    }

    /// Pressed keys come through as Digits.
    @Test func digits() throws {
        let result = try TwilioSpeechResult(parameters: ["CallSid": "CA1", "Digits": "0", "SpeechResult": ""])
        #expect(result.kind == .final(.init(transcript: nil, confidence: nil, digits: "0")))
    }

    /// A callback without CallSid, or with an empty one, is refused.
    @Test(arguments: [[:], ["CallSid": ""], ["SpeechResult": "Tak", "Confidence": "0.9"]])
    func missingCallSID(_ parameters: [String: String]) {
        #expect(throws: TwilioSpeechResultError.missingParameter("CallSid")) { try TwilioSpeechResult(parameters: parameters) }
    }

    /// Twilio's fields are held to the neutral JSON's limits: a transcript of 2,000 characters at
    /// most, 64 keys pressed, short ids.
    @Test(arguments: [
        ("SpeechResult", 2_000), ("UnstableSpeechResult", 2_000), ("Digits", 64), ("CallSid", 200), ("From", 64),
    ])
    func overlongParametersAreRefused(_ name: String, _ maximum: Int) throws {
        var parameters = ["CallSid": "CA1", "SpeechResult": "Tak"]
        parameters[name] = String(repeating: "1", count: maximum + 1)
        #expect(throws: TwilioSpeechResultError.tooLong(name, maximum: maximum)) { try TwilioSpeechResult(parameters: parameters) }
        parameters[name] = String(repeating: "1", count: maximum)
        #expect(throws: Never.self) { try TwilioSpeechResult(parameters: parameters) }
    }

    /// A Confidence that is not a decimal from 0 to 1 is refused; an empty one is absent.
    @Test(arguments: ["high", "1.5", "-0.1", "nan"])
    func invalidConfidence(_ confidence: String) {
        #expect(throws: TwilioSpeechResultError.invalidConfidence(confidence)) {
            try TwilioSpeechResult(parameters: ["CallSid": "CA1", "SpeechResult": "Tak", "Confidence": confidence])
        }
    }

    /// Confidence at the ends of its range, and empty, are accepted.
    @Test func confidenceBounds() throws {
        for (text, value) in [("0", 0.0), ("1", 1.0), ("1.0", 1.0), ("", nil)] as [(String, Double?)] {
            let result = try TwilioSpeechResult(parameters: ["CallSid": "CA1", "SpeechResult": "Tak", "Confidence": text])
            #expect(result.kind == .final(.init(transcript: "Tak", confidence: value, digits: nil)))
        }
    }

    /// A partial needs an integer SequenceNumber; a partial-looking field beside SpeechResult is final.
    @Test func partialNeedsSequenceNumber() throws {
        #expect(throws: TwilioSpeechResultError.missingParameter("SequenceNumber")) {
            try TwilioSpeechResult(parameters: ["CallSid": "CA1", "UnstableSpeechResult": "tak"])
        }
        #expect(throws: TwilioSpeechResultError.invalidSequenceNumber("x")) {
            try TwilioSpeechResult(parameters: ["CallSid": "CA1", "SequenceNumber": "x"])
        }
        let result = try TwilioSpeechResult(parameters: ["CallSid": "CA1", "SequenceNumber": "0"])
        #expect(result.kind == .partial(.init(sequenceNumber: 0, stable: "", unstable: "")))
        #expect(try TwilioSpeechResult(parameters: ["CallSid": "CA1", "SpeechResult": "Tak", "StableSpeechResult": "Ta"]).isFinal)
    }
}
