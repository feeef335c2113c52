import Foundation

/// The parsers fuzzed, by the name the script passes. Every target turns a run's bytes into
/// what the server would hand the parser, calls it, and checks what must hold whatever the input
/// (a round trip, offsets inside the text). A failed check traps, and libFuzzer keeps the input
/// as a crash.
enum FuzzTarget: String, CaseIterable, Sendable {
    case messengerPayload = "messenger-payload"
    case voiceJSON = "voice-json"
    case twilioForm = "twilio-form"
    case catalogCSV = "catalog-csv"
    case chatFrame = "chat-frame"
    case agentFrame = "agent-frame"
    case entities = "entities"
    case httpHead = "http-head"

    static let selected = ProcessInfo.processInfo.environment["ORDERBOT_FUZZ_TARGET"].flatMap(FuzzTarget.init(rawValue:))

    /// Builds what a target needs once (the extractor's lexicons, a running gateway).
    func prepare() {
        switch self {
        case .entities: _ = EntitiesTarget.extractor
        case .httpHead: _ = HTTPHeadTarget.gateway
        default: break
        }
    }

    func run(_ data: Data) {
        switch self {
        case .messengerPayload: MessengerPayloadTarget.run(data)
        case .voiceJSON: VoiceTargets.runTranscript(data)
        case .twilioForm: VoiceTargets.runTwilioForm(data)
        case .catalogCSV: CatalogCSVTarget.run(data)
        case .chatFrame: FrameTargets.runChat(data)
        case .agentFrame: FrameTargets.runAgent(data)
        case .entities: EntitiesTarget.run(data)
        case .httpHead: HTTPHeadTarget.run(data)
        }
    }
}

/// A check that must hold for every input: a trap libFuzzer reports with the input that broke it.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz invariant broken: \(message())") }
}
