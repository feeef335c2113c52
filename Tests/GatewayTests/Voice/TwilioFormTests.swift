import Gateway
import Testing
import Voice

/// Reading Twilio's `application/x-www-form-urlencoded` bodies and query strings.
struct TwilioFormTests {
    private func parameters(_ text: String) throws -> [String: String] {
        try TwilioForm.parameters(in: Array(text.utf8))
    }

    /// The fixture callback decodes: `%2B` to "+", `+` to a space, Polish letters from UTF-8
    /// escapes, and empty geo fields kept as empty values.
    @Test func fixtureBodyDecodes() throws {
        let form = try TwilioForm.parameters(in: VoiceFixtures.body("twilio_gather_speech_pl_confidence_091.txt"))
        #expect(form["CallSid"] == "CA9e2b7d41c0f8a6356b1e4d92c7a03f58")
        #expect(form["From"] == "+48601234567")
        #expect(form["To"] == "+48221234567")
        #expect(form["SpeechResult"] == "Chcę zamówić dwie pary butów do biegania, rozmiar 42.")
        #expect(form["Confidence"] == "0.91")
        #expect(form["CalledCity"] == "")
        #expect(form["ToZip"] == "")
        #expect(form.count == 28)
    }

    /// A trailing newline is part of the last value, which is why fixture bodies have none.
    @Test func trailingNewlineBelongsToLastValue() throws {
        let body = try VoiceFixtures.body("twilio_gather_speech_pl_confidence_091.txt") + Array("\n".utf8)
        #expect(try TwilioForm.parameters(in: body)["ToZip"] == "\n")
    }

    /// `+` is a space and `%2B` a plus; a literal `=` in a value stays; the name ends at the first `=`.
    @Test func plusPercentAndEquals() throws {
        let form = try parameters("Text=a+b%2Bc&Sum=1%2B1=2&Empty=&Bare")
        #expect(form == ["Text": "a b+c", "Sum": "1+1=2", "Empty": "", "Bare": ""])
    }

    /// A repeated name keeps its first value; empty pairs are skipped; an empty body has no parameters.
    @Test func repeatsAndEmptyPairs() throws {
        #expect(try parameters("A=1&&A=2&B=3&") == ["A": "1", "B": "3"])
        #expect(try parameters("") == [:])
        #expect(try parameters("&&") == [:])
    }

    /// Escapes decode case-insensitively into UTF-8, four-byte emoji included.
    @Test func utf8Escapes() throws {
        #expect(try parameters("T=%c5%82%C3%B3d%C5%BA+%F0%9F%91%8D") == ["T": "łódź 👍"])
    }

    /// A `%` without two hex digits is an error naming its byte offset, wherever it stands.
    @Test(arguments: [("A=1&B=%zz", 6), ("A=%4", 2), ("A=50%", 4), ("%G1=x", 0)])
    func invalidPercentEscape(_ body: String, offset: Int) {
        #expect(throws: TwilioFormError.invalidPercentEscape(offset: offset)) { try parameters(body) }
    }

    /// Escapes that decode to bytes which are not UTF-8 are errors naming the parameter and offset.
    @Test func invalidUTF8() {
        #expect(throws: TwilioFormError.invalidUTF8InValue(name: "SpeechResult", offset: 17)) {
            try parameters("A=1&SpeechResult=zam%C3w")
        }
        #expect(throws: TwilioFormError.invalidUTF8InName(offset: 4)) { try parameters("A=1&%FF=2") }
        #expect(throws: TwilioFormError.invalidUTF8InValue(name: "A", offset: 2)) { try TwilioForm.parameters(in: [0x41, 0x3D, 0xC4]) }
    }

    /// Errors describe what and where without echoing the value.
    @Test func errorDescriptions() {
        let description = TwilioFormError.invalidUTF8InValue(name: "SpeechResult", offset: 17).description
        #expect(description.contains("SpeechResult"))
        #expect(description.contains("17"))
        #expect(TwilioFormError.invalidPercentEscape(offset: 6).description.contains("byte 6"))
    }

    /// A query string parses the same way, with or without its `?`; offsets count the `?`.
    @Test func queryString() throws {
        #expect(try TwilioForm.parameters(inQuery: "?turn=3&lang=pl-PL&call=a%2Fb") == ["turn": "3", "lang": "pl-PL", "call": "a/b"])
        #expect(try TwilioForm.parameters(inQuery: "turn=3") == ["turn": "3"])
        #expect(try TwilioForm.parameters(inQuery: "") == [:])
        #expect(throws: TwilioFormError.invalidPercentEscape(offset: 6)) { try TwilioForm.parameters(inQuery: "?turn=%") }
    }
}
