import Foundation
import FoundationXML
import Gateway
import Testing
import Voice

/// Rendering neutral voice replies as TwiML.
struct TwiMLTests {
    private static let action = "https://gateway.example-shop.pl/voice/twilio/gather?turn=3&call=c1"

    private func document(_ actions: [VoiceAction], voice: String? = nil) -> String {
        TwiML.document(for: VoiceReply(callID: "call_1", inReplyToSeq: 2, actions: actions), gatherAction: Self.action, voice: voice)
    }

    private func say(_ text: String, ssml: String? = nil, language: String = "pl-PL", bargeIn: Bool = true) -> VoiceAction {
        .say(VoiceAction.Say(text: text, ssml: ssml, language: language, bargeIn: bargeIn))
    }

    /// The listen fixture: the re-prompt nested in a speech Gather with every attribute set.
    @Test func listenFixture() throws {
        let data = try Data(contentsOf: VoiceFixtures.directory.appendingPathComponent("neutral_reply_listen.json"))
        let reply = try VoiceReply.decode(data)
        let text = TwiML.document(for: reply, gatherAction: Self.action, voice: "Polly.Ewa")
        #expect(text.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?><Response>"#))
        let root = try #require(XMLCheck.root(of: text))
        #expect(root.name == "Response")
        #expect(XMLCheck.childNames(root) == ["Gather"])
        let gather = try #require(XMLCheck.children(root).first)
        let attributes = Dictionary(uniqueKeysWithValues: (gather.attributes ?? []).map { ($0.name ?? "", $0.stringValue ?? "") })
        #expect(attributes == [
            "input": "speech", "language": "pl-PL", "action": Self.action, "method": "POST", "speechTimeout": "auto",
            "timeout": "5", "hints": "rozmiar, czterdzieści dwa, czterdzieści jeden", "actionOnEmptyResult": "true",
        ])
        let said = try #require(XMLCheck.children(gather).first)
        #expect(said.name == "Say")
        #expect(said.attribute(forName: "language")?.stringValue == "pl-PL")
        #expect(said.attribute(forName: "voice")?.stringValue == "Polly.Ewa")
        #expect(said.stringValue == "Przepraszam, nie zrozumiałam. Jaki rozmiar butów Pana interesuje?")
    }

    /// The transfer fixture: an uninterruptible SSML say (without `<speak>`), then Enqueue.
    @Test func transferWithSSML() throws {
        let reply = VoiceReply(callID: "c", inReplyToSeq: 3, actions: [
            say("Łączę z konsultantem, proszę chwilę poczekać.",
                ssml: #"<speak>Łączę z konsultantem, <break time="300ms"/> proszę chwilę poczekać.</speak>"#, bargeIn: false),
            .transfer(VoiceAction.Transfer(
                target: .init(queue: "support-pl"), context: .init(reason: "user_requested_agent", conversationID: 7, escalationID: nil))),
        ])
        let text = TwiML.document(for: reply, gatherAction: Self.action, voice: nil)
        #expect(text == #"<?xml version="1.0" encoding="UTF-8"?><Response><Say language="pl-PL">Łączę z konsultantem, <break time="300ms"/> proszę chwilę poczekać.</Say><Enqueue>support-pl</Enqueue></Response>"#)
        let root = try #require(XMLCheck.root(of: text))
        #expect(XMLCheck.childNames(root) == ["Say", "Enqueue"])
        let said = try #require(XMLCheck.children(root).first)
        #expect(XMLCheck.childNames(said) == ["break"])
    }

    /// A goodbye then Hangup; nothing listens afterwards.
    @Test func hangup() throws {
        let text = document([say("Dziękujemy, do widzenia.", bargeIn: false), .hangup(reason: "completed")])
        let root = try #require(XMLCheck.root(of: text))
        #expect(XMLCheck.childNames(root) == ["Say", "Hangup"])
        #expect(text.hasSuffix("<Hangup/></Response>"))
    }

    /// A reply of says alone listens afterwards with defaults in the says' language, the says nested.
    @Test func saysAloneListenWithDefaults() throws {
        let text = document([say("Hello.", language: "en-US"), say("What size?", language: "en-US")])
        let root = try #require(XMLCheck.root(of: text))
        #expect(XMLCheck.childNames(root) == ["Gather"])
        let gather = try #require(XMLCheck.children(root).first)
        #expect(gather.attribute(forName: "language")?.stringValue == "en-US")
        #expect(gather.attribute(forName: "timeout")?.stringValue == "5")
        #expect(gather.attribute(forName: "hints") == nil)
        #expect(XMLCheck.children(gather).map(\.stringValue) == ["Hello.", "What size?"])
    }

    /// An empty reply still hands the turn back: a Gather and nothing else.
    @Test func emptyReplyListens() throws {
        let root = try #require(XMLCheck.root(of: document([])))
        #expect(XMLCheck.childNames(root) == ["Gather"])
    }

    /// Says that may not be interrupted stay before the Gather, in order; only the barge-in says
    /// after the last of them are nested.
    @Test func bargeInDecidesNesting() throws {
        let text = document([
            say("A", bargeIn: true), say("B", bargeIn: false), say("C", bargeIn: true),
            .listen(VoiceAction.Listen(hints: [], language: "pl-PL")),
        ])
        let root = try #require(XMLCheck.root(of: text))
        #expect(XMLCheck.childNames(root) == ["Say", "Say", "Gather"])
        #expect(XMLCheck.children(root).prefix(2).map(\.stringValue) == ["A", "B"])
        #expect(XMLCheck.children(XMLCheck.children(root)[2]).map(\.stringValue) == ["C"])
        let allOutside = document([say("A", bargeIn: false), .listen(VoiceAction.Listen(hints: [], language: "pl-PL"))])
        #expect(allOutside.contains(#"<Say language="pl-PL">A</Say><Gather"#))
        #expect(allOutside.contains("></Gather>"))
    }

    /// `&`, `<`, `>` and `"` are escaped in text, hints, the action URL and the voice; commas
    /// inside a hint do not split it.
    @Test func escaping() throws {
        let text = TwiML.document(
            for: VoiceReply(callID: "c", inReplyToSeq: 1, actions: [
                say(#"Buty "Aero" <42> & więcej"#),
                .listen(VoiceAction.Listen(timeoutSeconds: 7, hints: ["R&D", "a, b", "<x>"], language: "pl-PL")),
            ]),
            gatherAction: "https://gw.example/g?a=1&b=\"2\"", voice: "Polly.\"Ewa\"")
        #expect(text.contains(#"Buty &quot;Aero&quot; &lt;42&gt; &amp; więcej"#))
        #expect(text.contains(#"action="https://gw.example/g?a=1&amp;b=&quot;2&quot;""#))
        #expect(text.contains(#"hints="R&amp;D, a  b, &lt;x&gt;""#))
        let root = try #require(XMLCheck.root(of: text))
        let gather = try #require(XMLCheck.children(root).first)
        #expect(gather.attribute(forName: "action")?.stringValue == #"https://gw.example/g?a=1&b="2""#)
        #expect(gather.attribute(forName: "timeout")?.stringValue == "7")
        #expect(gather.attribute(forName: "hints")?.stringValue == "R&D, a  b, <x>")
        let said = try #require(XMLCheck.children(gather).first)
        #expect(said.stringValue == #"Buty "Aero" <42> & więcej"#)
        #expect(said.attribute(forName: "voice")?.stringValue == #"Polly."Ewa""#)
    }

    /// SSML that is not a `<speak>` document falls back to the escaped text; a speak element
    /// with attributes or an XML declaration is unwrapped.
    @Test func ssmlUnwrapping() throws {
        let fallback = document([say("Tak & nie", ssml: "Tak <b>", bargeIn: false), .hangup(reason: nil)])
        #expect(fallback.contains("<Say language=\"pl-PL\">Tak &amp; nie</Say>"))
        let declared = document([
            say("x", ssml: #"<?xml version="1.0"?> <speak xml:lang="pl-PL"><say-as interpret-as="digits">491837</say-as></speak>"#,
                bargeIn: false),
            .hangup(reason: nil),
        ])
        #expect(declared.contains(#"<Say language="pl-PL"><say-as interpret-as="digits">491837</say-as></Say>"#))
        _ = XMLCheck.root(of: declared)
    }

    /// Phone and SIP targets are dialled; a queue is joined.
    @Test func transferKinds() throws {
        let context = VoiceAction.Transfer.Context(reason: "r", conversationID: 1, escalationID: 2)
        let json = #"{"schema":"gw.voice.reply/v1","call_id":"c","in_reply_to_seq":1,"actions":["#
            + #"{"type":"transfer","target":{"kind":"phone","name":"+48221234567"},"context":{"reason":"r","conversation_id":1}},"#
            + #"{"type":"transfer","target":{"kind":"sip","name":"sip:desk@pbx.example"},"context":{"reason":"r","conversation_id":1}}]}"#
        let reply = try VoiceReply.decode(Data(json.utf8))
        let text = TwiML.document(for: reply, gatherAction: Self.action)
        #expect(text.contains("<Dial><Number>+48221234567</Number></Dial><Dial><Sip>sip:desk@pbx.example</Sip></Dial>"))
        #expect(document([.transfer(.init(target: .init(queue: "support-en"), context: context))]).contains("<Enqueue>support-en</Enqueue>"))
    }

    /// The checker these tests rely on refuses XML that is not well-formed.
    @Test func checkerRefusesMalformedXML() {
        #expect(!XMLCheck.isWellFormed("<Response><Say></Response>"))
        #expect(!XMLCheck.isWellFormed("<speak>a & b</speak>"))
        #expect(XMLCheck.isWellFormed("<speak>a &amp; b</speak>"))
    }

    /// Rendered SpokenText replies stay well-formed inside a Say.
    @Test func spokenTextInsideSay() throws {
        let spoken = SpokenText.render("Zamówienie nr 491837: 2 × 349,00 zł = 698,00 zł <teraz> & już 👍", language: .polish)
        let text = document([say(spoken.text, ssml: spoken.ssml)])
        let root = try #require(XMLCheck.root(of: text))
        let gather = try #require(XMLCheck.children(root).first)
        let said = try #require(XMLCheck.children(gather).first)
        #expect(XMLCheck.childNames(said) == ["say-as"])
    }
}
