/// One labelled utterance: from Intents/, or taught at run time (an agent's correction).
public struct TrainingExample: Sendable, Hashable, Codable {
    public let text: String
    public let intent: Intent
    public let language: Language

    public init(text: String, intent: Intent, language: Language) {
        self.text = text
        self.intent = intent
        self.language = language
    }
}
