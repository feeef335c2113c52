/// What the bot understood of one message.
public struct Understanding: Sendable, Equatable {
    /// The message as received.
    public let text: String
    /// The most likely intent; `out_of_scope` when nothing fits well enough.
    public let intent: Intent
    /// How sure the classifier is of `intent`, in [0, 1].
    public let confidence: Double
    /// The language the message is written in.
    public let language: Language
    /// How sure the language detector is of `language`, in [0.5, 1]: gibberish, names and
    /// one-word answers say little about it.
    public let languageConfidence: Double
    /// Concrete things named in the message, in text order.
    public let entities: [Entity]
    /// The best intents with their probabilities, best first (at most three), for offering
    /// choices when the bot is unsure.
    public let alternatives: [ScoredIntent]

    public init(
        text: String, intent: Intent, confidence: Double, language: Language, entities: [Entity],
        alternatives: [ScoredIntent], languageConfidence: Double = 1
    ) {
        self.text = text
        self.intent = intent
        self.confidence = confidence
        self.language = language
        self.languageConfidence = languageConfidence
        self.entities = entities
        self.alternatives = alternatives
    }

    /// An intent with the classifier's probability for it.
    public struct ScoredIntent: Sendable, Equatable {
        public let intent: Intent
        public let probability: Double

        public init(intent: Intent, probability: Double) {
            self.intent = intent
            self.probability = probability
        }
    }

    /// The entities of one kind.
    public func entities(_ kind: Entity.Kind) -> [Entity] { entities.filter { $0.kind == kind } }
}
