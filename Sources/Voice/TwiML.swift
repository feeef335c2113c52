import ShopValues

/// Renders a neutral `VoiceReply` as the TwiML document Twilio executes, in the reply's order:
///
/// - `say` → `<Say language=… voice=…>`, its content the SSML body (without `<speak>`) when
///   there is SSML, else the text;
/// - `listen` → `<Gather input="speech" …>` posting to `gatherAction`, with the barge-in says
///   just before it nested inside so the caller may interrupt them; a say that may not be
///   interrupted, and every say before it, stays outside, before the gather;
/// - `transfer` → `<Enqueue>queue</Enqueue>` (`<Dial>` for the phone and SIP kinds);
/// - `hangup` → `<Hangup/>`;
/// - a reply that ends with a say (or is empty) listens afterwards, with default settings.
public enum TwiML {
    /// The whole document, UTF-8 text for a `text/xml` response. `voice` ("Polly.Ewa") names the
    /// synthesiser voice for every say; nil leaves Twilio's default for the language.
    public static func document(for reply: VoiceReply, gatherAction: String, voice: String? = nil) -> String {
        var output = #"<?xml version="1.0" encoding="UTF-8"?><Response>"#
        var pending: [VoiceAction.Say] = []
        for action in actionsEndingInTurn(reply.actions) {
            switch action {
            case .say(let say):
                pending.append(say)
                continue
            case .listen(let listen):
                let nested = pending.reversed().prefix { $0.bargeIn }.count
                output += elements(pending.dropLast(nested), voice: voice)
                output += gather(listen, action: gatherAction, nesting: pending.suffix(nested), voice: voice)
            case .transfer(let transfer):
                output += elements(pending[...], voice: voice) + element(transfer.target)
            case .hangup:
                output += elements(pending[...], voice: voice) + "<Hangup/>"
            }
            pending = []
        }
        return output + elements(pending[...], voice: voice) + "</Response>"
    }

    /// `actions`, with a listen in the language of the last say appended when they end in a say
    /// or are empty: the turn goes back to the caller.
    static func actionsEndingInTurn(_ actions: [VoiceAction]) -> [VoiceAction] {
        switch actions.last {
        case .listen, .transfer, .hangup: return actions
        case .say(let say): return actions + [.listen(VoiceAction.Listen(hints: [], language: say.language))]
        case nil: return [.listen(VoiceAction.Listen(hints: [], language: defaultLanguage))]
        }
    }

    /// The language of a gather in a reply that names none.
    static let defaultLanguage = "pl-PL"

    private static func elements(_ says: ArraySlice<VoiceAction.Say>, voice: String?) -> String {
        says.map { element($0, voice: voice) }.joined()
    }

    private static func element(_ say: VoiceAction.Say, voice: String?) -> String {
        var attributes = [("language", say.language)]
        if let voice { attributes.append(("voice", voice)) }
        let content = say.ssml.flatMap(SSMLBody.init).map(\.markup) ?? XMLText.escaped(say.text)
        return "<Say\(XMLText.attributes(attributes))>\(content)</Say>"
    }

    private static func gather(
        _ listen: VoiceAction.Listen, action: String, nesting says: ArraySlice<VoiceAction.Say>, voice: String?
    ) -> String {
        var attributes = [
            ("input", "speech"), ("language", listen.language), ("action", action), ("method", "POST"),
            ("speechTimeout", "auto"), ("timeout", String(listen.timeoutSeconds)),
        ]
        let hints = listen.hints.map { String($0.map { $0 == "," ? " " : $0 }).trimmingWhitespace }.filter { !$0.isEmpty }
        if !hints.isEmpty { attributes.append(("hints", hints.joined(separator: ", "))) }
        attributes.append(("actionOnEmptyResult", "true"))
        return "<Gather\(XMLText.attributes(attributes))>\(elements(says, voice: voice))</Gather>"
    }

    private static func element(_ target: VoiceAction.Transfer.Target) -> String {
        let name = XMLText.escaped(target.name)
        switch target.kind {
        case "phone": return "<Dial><Number>\(name)</Number></Dial>"
        case "sip": return "<Dial><Sip>\(name)</Sip></Dial>"
        default: return "<Enqueue>\(name)</Enqueue>"
        }
    }
}
