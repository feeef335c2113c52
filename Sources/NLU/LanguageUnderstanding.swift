import Foundation
import Synchronization

/// Settings of the understanding, with the defaults the gateway runs with.
public struct UnderstandingConfiguration: Sendable {
    /// Below this probability the best intent is not trusted and the answer is `out_of_scope`.
    public var outOfScopeThreshold: Double
    /// Seeds the training order, so the same data always gives the same model.
    public var seed: UInt64

    public init(outOfScopeThreshold: Double = 0.35, seed: UInt64 = 0x5eed) {
        self.outOfScopeThreshold = outOfScopeThreshold
        self.seed = seed
    }
}

/// The intent classifier, language detector and entity extractor behind one call, trained from
/// Intents/ at start-up and able to learn a corrected example at once.
///
/// Reads run on an immutable snapshot; `learn(_:)` trains a new snapshot (well under a second)
/// and swaps it in, so concurrent callers never wait for training.
public final class LanguageUnderstanding: Sendable {
    private struct State {
        var models: TrainedModels
        var learned: [TrainingExample]
    }

    private let corpus: IntentCorpus
    private let configuration: UnderstandingConfiguration
    private let state: Mutex<State>

    /// Trains on `corpus` (and on `learned`, examples taught earlier and stored by the caller).
    public init(
        corpus: IntentCorpus, products: [ProductName] = [], learned: [TrainingExample] = [],
        configuration: UnderstandingConfiguration = UnderstandingConfiguration()
    ) {
        self.corpus = corpus
        self.configuration = configuration
        let extractor = EntityExtractor(lexicons: corpus.lexicons, products: products)
        let models = TrainedModels(
            examples: corpus.examples + learned, learned: learned, extractor: extractor, configuration: configuration)
        state = Mutex(State(models: models, learned: learned))
    }

    /// Understands one message.
    public func understand(_ text: String) -> Understanding {
        state.withLock { $0.models }.understand(text)
    }

    /// Teaches one example (an agent's correction) and retrains; the next `understand` of the
    /// same message, or one like it, already reflects it. Storing the example is the caller's job.
    public func learn(_ example: TrainingExample) {
        learn(contentsOf: [example])
    }

    /// Teaches several examples with one retraining (a group of messages the shop owner accepted
    /// as one intent); nothing happens for none.
    public func learn(contentsOf examples: [TrainingExample]) {
        guard !examples.isEmpty else { return }
        let (learned, extractor) = state.withLock { state in
            state.learned.append(contentsOf: examples)
            return (state.learned, state.models.extractor)
        }
        let retrained = TrainedModels(
            examples: corpus.examples + learned, learned: learned, extractor: extractor, configuration: configuration)
        state.withLock { state in
            // A newer learn may have trained on more examples meanwhile; keep the fuller model.
            if retrained.exampleCount >= state.models.exampleCount { state.models = retrained }
        }
    }

    /// Recognises the shop's products, colours and sizes in `catalog` from now on.
    public func updateCatalog(_ catalog: CatalogTerms) {
        state.withLock { state in state.models = state.models.with(extractor: state.models.extractor.with(catalog: catalog)) }
    }

    /// Every training example: Intents/ first, then those learned, in order.
    public var examples: [TrainingExample] {
        corpus.examples + state.withLock { $0.learned }
    }

    /// How long the current model took to train.
    public var trainingDuration: Duration { state.withLock { $0.models.trainingDuration } }
}

/// One trained intent model and language model, with the entity extractor, immutable.
final class TrainedModels: Sendable {
    let intents: LinearModel
    let languages: LinearModel
    let extractor: EntityExtractor
    /// Learned corrections by their folded words: a repeat of a corrected message gets the
    /// taught intent, whatever the statistics say.
    let memory: [String: Intent]
    /// The words of the in-scope examples: a message with none of them is out of scope.
    let vocabulary: InScopeVocabulary
    let configuration: UnderstandingConfiguration
    let exampleCount: Int
    let trainingDuration: Duration

    convenience init(
        examples: [TrainingExample], learned: [TrainingExample] = [], extractor: EntityExtractor,
        configuration: UnderstandingConfiguration
    ) {
        let clock = ContinuousClock()
        let start = clock.now
        var settings = LinearModel.Settings()
        settings.seed = configuration.seed
        var intentExamples: [(features: [UInt64], label: Int)] = []
        var languageExamples: [(features: [UInt64], label: Int)] = []
        var analyzed: [(text: AnalyzedText, intent: Intent)] = []
        intentExamples.reserveCapacity(examples.count)
        analyzed.reserveCapacity(examples.count)
        for example in examples {
            let text = AnalyzedText(example.text)
            let features = FeatureExtractor.features(extractor.scan(text))
            intentExamples.append((features.intent, example.intent.index))
            languageExamples.append((features.language, example.language == .polish ? 0 : 1))
            analyzed.append((text, example.intent))
        }
        let vocabulary = InScopeVocabulary(analyzed)
        let intents = LinearModel(examples: intentExamples, classCount: Intent.allCases.count, settings: settings)
        var languageSettings = settings
        languageSettings.epochs = max(4, settings.epochs / 4)
        let languages = LinearModel(examples: languageExamples, classCount: 2, settings: languageSettings)
        let memory = Dictionary(learned.map { (Self.memoryKey(AnalyzedText($0.text)), $0.intent) }) { _, latest in latest }
        self.init(
            intents: intents, languages: languages, extractor: extractor, memory: memory, vocabulary: vocabulary,
            configuration: configuration, exampleCount: examples.count, trainingDuration: clock.now - start)
    }

    init(
        intents: LinearModel, languages: LinearModel, extractor: EntityExtractor, memory: [String: Intent],
        vocabulary: InScopeVocabulary, configuration: UnderstandingConfiguration, exampleCount: Int, trainingDuration: Duration
    ) {
        self.intents = intents
        self.languages = languages
        self.extractor = extractor
        self.memory = memory
        self.vocabulary = vocabulary
        self.configuration = configuration
        self.exampleCount = exampleCount
        self.trainingDuration = trainingDuration
    }

    func with(extractor: EntityExtractor) -> TrainedModels {
        TrainedModels(
            intents: intents, languages: languages, extractor: extractor, memory: memory, vocabulary: vocabulary,
            configuration: configuration, exampleCount: exampleCount, trainingDuration: trainingDuration)
    }

    /// Every intent's probability for `text`, in `Intent.allCases` order (for calibration).
    func intentProbabilities(_ text: String) -> [Double] {
        intents.probabilities(FeatureExtractor.features(extractor.scan(AnalyzedText(text))).intent)
    }

    func understand(_ text: String) -> Understanding {
        let analyzed = AnalyzedText(text)
        let scan = extractor.scan(analyzed)
        let entities = scan.entities.sorted { $0.start < $1.start }
        guard analyzed.tokens.contains(where: { $0.kind != .symbol }) || analyzed.tokens.contains(where: { isEmoji($0, analyzed) })
        else {
            return Understanding(
                text: text, intent: .outOfScope, confidence: 1, language: .polish, entities: entities,
                alternatives: [.init(intent: .outOfScope, probability: 1)])
        }
        let features = FeatureExtractor.features(scan)
        let probabilities = intents.probabilities(features.intent)
        let ranked = probabilities.enumerated().sorted { $0.element > $1.element }
            .prefix(3)
            .map { Understanding.ScoredIntent(intent: Intent.allCases[$0.offset], probability: $0.element) }
        let best = ranked[0]
        let known = vocabulary.knowsAWord(of: analyzed) { scan.coveredBy[$0] != nil }
        var intent = best.probability >= configuration.outOfScopeThreshold && known ? best.intent : .outOfScope
        var confidence = intent == best.intent ? best.probability : 1 - best.probability
        if !memory.isEmpty, let taught = memory[Self.memoryKey(analyzed)], taught != intent {
            intent = taught
            confidence = probabilities[taught.index]
        }
        let language = languages.probabilities(features.language)
        return Understanding(
            text: text, intent: intent, confidence: confidence, language: language[0] >= language[1] ? .polish : .english,
            entities: entities, alternatives: ranked, languageConfidence: max(language[0], language[1]))
    }

    /// The folded words of a message, symbols left out: "Zamówić, proszę!" and "zamowic prosze"
    /// are the same message.
    static func memoryKey(_ text: AnalyzedText) -> String {
        zip(text.tokens, text.words).filter { $0.0.kind != .symbol }.map(\.1).joined(separator: " ")
    }

    private func isEmoji(_ token: Token, _ text: AnalyzedText) -> Bool {
        token.kind == .symbol && text.folded[token.range.lowerBound].properties.isEmojiPresentation
    }
}
