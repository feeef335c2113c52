import Foundation

/// How well the understanding does on labelled examples: accuracy, per-intent precision,
/// recall and F1, macro-F1, the confusion matrix and how calibrated the confidence is.
public struct EvaluationReport: Sendable {
    /// Scores of one intent.
    public struct IntentScores: Sendable {
        public let intent: Intent
        public let precision: Double
        public let recall: Double
        public let f1: Double
        public let support: Int
    }

    /// `confusion[actual][predicted]`, indexed by `Intent.allCases`.
    public let confusion: [[Int]]
    /// Expected calibration error over ten confidence bins: 0 is perfectly calibrated.
    public let calibrationError: Double
    /// The reliability table behind `calibrationError`: per tenth of confidence, how many
    /// answers fell in it, their mean confidence and the share that was right.
    public let reliability: [ReliabilityBin]

    /// One tenth of the confidence range.
    public struct ReliabilityBin: Sendable {
        public let lower: Double
        public let count: Int
        public let meanConfidence: Double
        public let accuracy: Double
    }
    /// Mean training time per model in this evaluation.
    public let trainingTime: Duration
    /// The share of examples whose language was recognised.
    public let languageAccuracy: Double
    /// Every example classified wrongly, in data order.
    public internal(set) var errors: [Error] = []
    /// The softmax temperature that fits the cross-validated probabilities best (least log-loss),
    /// with the log-loss at 1 and at it: 1 means the confidence needs no scaling. Nil for a
    /// held-out file.
    public internal(set) var temperature: TemperatureFit?

    /// A temperature fitted to cross-validated probabilities.
    public struct TemperatureFit: Sendable {
        public let temperature: Double
        public let logLossUnscaled: Double
        public let logLossScaled: Double
    }

    /// An example the classifier got wrong.
    public struct Error: Sendable {
        public let example: TrainingExample
        public let predicted: Intent
        public let confidence: Double
    }

    init(predictions: [(actual: Intent, predicted: Intent, confidence: Double)], languageHits: Int, trainingTime: Duration) {
        languageAccuracy = Double(languageHits) / Double(max(1, predictions.count))
        var confusion = Array(repeating: Array(repeating: 0, count: Intent.allCases.count), count: Intent.allCases.count)
        for prediction in predictions { confusion[prediction.actual.index][prediction.predicted.index] += 1 }
        self.confusion = confusion
        self.trainingTime = trainingTime
        var bins = Array(repeating: (count: 0, correct: 0, confidence: 0.0), count: 10)
        for prediction in predictions {
            let bin = min(9, Int(prediction.confidence * 10))
            bins[bin].count += 1
            bins[bin].confidence += prediction.confidence
            if prediction.actual == prediction.predicted { bins[bin].correct += 1 }
        }
        calibrationError = bins.reduce(0) { total, bin in
            guard bin.count > 0 else { return total }
            let gap = abs(Double(bin.correct) / Double(bin.count) - bin.confidence / Double(bin.count))
            return total + gap * Double(bin.count) / Double(max(1, predictions.count))
        }
        reliability = bins.enumerated().map { index, bin in
            ReliabilityBin(
                lower: Double(index) / 10, count: bin.count, meanConfidence: bin.count == 0 ? 0 : bin.confidence / Double(bin.count),
                accuracy: bin.count == 0 ? 0 : Double(bin.correct) / Double(bin.count))
        }
    }

    public var total: Int { confusion.joined().reduce(0, +) }

    public var accuracy: Double {
        Double(Intent.allCases.indices.reduce(0) { $0 + confusion[$1][$1] }) / Double(max(1, total))
    }

    public var perIntent: [IntentScores] {
        Intent.allCases.map { intent in
            let row = confusion[intent.index]
            let truePositives = row[intent.index]
            let predicted = confusion.reduce(0) { $0 + $1[intent.index] }
            let support = row.reduce(0, +)
            let precision = predicted == 0 ? 0 : Double(truePositives) / Double(predicted)
            let recall = support == 0 ? 0 : Double(truePositives) / Double(support)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            return IntentScores(intent: intent, precision: precision, recall: recall, f1: f1, support: support)
        }
    }

    /// The mean F1 over intents that have examples.
    public var macroF1: Double {
        let scored = perIntent.filter { $0.support > 0 }
        return scored.reduce(0) { $0 + $1.f1 } / Double(max(1, scored.count))
    }

    /// Recall of one intent.
    public func recall(of intent: Intent) -> Double { perIntent[intent.index].recall }

    /// Precision of `out_of_scope`: of the messages set aside as not shop business, the share
    /// that were not (the rest were requests thrown away).
    public var outOfScopePrecision: Double { perIntent[Intent.outOfScope.index].precision }

    /// Recall of `out_of_scope`: of the messages that were not shop business, the share set aside.
    public var outOfScopeRecall: Double { perIntent[Intent.outOfScope.index].recall }

    /// The report as text: summary, per-intent table, confusion matrix, reliability table.
    public func rendered(title: String) -> String {
        var text = "\(title)\n"
        text += "examples \(total)   accuracy \(format(accuracy))   macro-F1 \(format(macroF1))   "
            + "calibration error \(format(calibrationError))   language accuracy \(format(languageAccuracy))   "
            + "training \(milliseconds(trainingTime)) ms per model\n"
        text += "out_of_scope   precision \(format(outOfScopePrecision))   recall \(format(outOfScopeRecall))   "
            + "support \(perIntent[Intent.outOfScope.index].support)\n"
        if let temperature {
            text += "temperature    \(String(format: "%.2f", temperature.temperature)) fits best "
                + "(log-loss \(format(temperature.logLossUnscaled)) unscaled, \(format(temperature.logLossScaled)) scaled)\n"
        }
        text += "\n"
        text += "intent".padding(toLength: 16, withPad: " ", startingAt: 0) + "precision  recall      F1  support\n"
        for score in perIntent {
            text += score.intent.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)
                + pad(format(score.precision), 9) + pad(format(score.recall), 8) + pad(format(score.f1), 8)
                + pad(String(score.support), 9) + "\n"
        }
        text += "\nconfusion matrix (rows: actual, columns: predicted)\n"
        let codes = Intent.allCases.map(Self.code)
        text += "     " + codes.map { pad($0, 4) }.joined() + "\n"
        for intent in Intent.allCases {
            text += pad(Self.code(intent), 4) + " "
                + confusion[intent.index].map { pad($0 == 0 ? "." : String($0), 4) }.joined() + "\n"
        }
        text += "\n" + Intent.allCases.map { "\(Self.code($0))=\($0.rawValue)" }.joined(separator: " ") + "\n"
        text += "\nreliability (confidence bin: answers, mean confidence, accuracy)\n"
        for bin in reliability where bin.count > 0 {
            text += String(format: "  %.1f–%.1f %7d   %@   %@\n", bin.lower, bin.lower + 0.1, bin.count,
                           format(bin.meanConfidence), format(bin.accuracy))
        }
        return text
    }

    /// The wrongly classified examples, one a line: expected, predicted, confidence, text.
    public func renderedErrors() -> String {
        errors.map { error in
            "\(error.example.intent.rawValue)\t\(error.predicted.rawValue)\t\(format(error.confidence))\t"
                + "\(error.example.language.rawValue)\t\(error.example.text)"
        }.joined(separator: "\n")
    }

    /// A three-letter code for matrix headers.
    static func code(_ intent: Intent) -> String {
        switch intent {
        case .greet: "gre"
        case .goodbye: "bye"
        case .thanks: "thx"
        case .affirm: "yes"
        case .deny: "no"
        case .orderProduct: "ord"
        case .productInfo: "pro"
        case .orderStatus: "sta"
        case .cancelOrder: "can"
        case .changeOrder: "chg"
        case .returnRequest: "ret"
        case .complaint: "cmp"
        case .deliveryInfo: "del"
        case .paymentInfo: "pay"
        case .storeInfo: "sto"
        case .humanAgent: "hum"
        case .invoice: "inv"
        case .account: "acc"
        case .outOfScope: "oos"
        }
    }

    private func format(_ value: Double) -> String { String(format: "%.3f", value) }
    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
    private func milliseconds(_ duration: Duration) -> String {
        String(format: "%.0f", Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)
    }
}

/// Ways to measure the understanding.
public enum Evaluation {
    /// Stratified k-fold cross-validation over `corpus`: each example is predicted by a model
    /// trained without it. Folds keep each intent's and language's share.
    public static func crossValidate(
        _ corpus: IntentCorpus, folds: Int, configuration: UnderstandingConfiguration = UnderstandingConfiguration()
    ) -> EvaluationReport {
        let assignment = foldAssignment(of: corpus.examples, folds: folds, seed: configuration.seed)
        var predictions: [(actual: Intent, predicted: Intent, confidence: Double)] = []
        var languageHits = 0
        var errors: [EvaluationReport.Error] = []
        var training = Duration.zero
        var probabilities: [(distribution: [Double], actual: Int)] = []
        for fold in 0..<folds {
            let trainingExamples = corpus.examples.indices.filter { assignment[$0] != fold }.map { corpus.examples[$0] }
            let extractor = EntityExtractor(lexicons: corpus.lexicons)
            let models = TrainedModels(examples: trainingExamples, extractor: extractor, configuration: configuration)
            training += models.trainingDuration
            for index in corpus.examples.indices where assignment[index] == fold {
                let understanding = models.understand(corpus.examples[index].text)
                if understanding.intent != corpus.examples[index].intent {
                    errors.append(.init(example: corpus.examples[index], predicted: understanding.intent,
                                        confidence: understanding.confidence))
                }
                predictions.append((corpus.examples[index].intent, understanding.intent, understanding.confidence))
                probabilities.append((models.intentProbabilities(corpus.examples[index].text), corpus.examples[index].intent.index))
                if understanding.language == corpus.examples[index].language { languageHits += 1 }
            }
        }
        var report = EvaluationReport(predictions: predictions, languageHits: languageHits, trainingTime: training / max(1, folds))
        report.errors = errors
        report.temperature = fitTemperature(probabilities)
        return report
    }

    /// The temperature T (0.5–3, in steps of 0.05) for which the probabilities raised to 1/T and
    /// renormalised give the least mean log-loss of the actual intents.
    static func fitTemperature(_ examples: [(distribution: [Double], actual: Int)]) -> EvaluationReport.TemperatureFit {
        func logLoss(_ temperature: Double) -> Double {
            let total = examples.reduce(0.0) { sum, example in
                let scaled = example.distribution.map { pow(max($0, 1e-12), 1 / temperature) }
                return sum - log(max(scaled[example.actual] / scaled.reduce(0, +), 1e-12))
            }
            return total / Double(max(1, examples.count))
        }
        let candidates = stride(from: 0.5, through: 3.0, by: 0.05).map { ($0, logLoss($0)) }
        let best = candidates.min { $0.1 < $1.1 } ?? (1, logLoss(1))
        return .init(temperature: best.0, logLossUnscaled: logLoss(1), logLossScaled: best.1)
    }

    /// The fold (0..<folds) of each example in stratified k-fold cross-validation: each intent's
    /// and language's examples dealt round the folds in a seeded shuffle. `export-intents
    /// --folds` prints the same assignment, so a baseline can be trained on the same folds.
    public static func foldAssignment(of examples: [TrainingExample], folds: Int, seed: UInt64) -> [Int] {
        var random = SplitMix64(seed: seed ^ 0xf01d)
        var assignment = Array(repeating: 0, count: examples.count)
        let groups = Dictionary(grouping: examples.indices) { "\(examples[$0].intent.rawValue)/\(examples[$0].language.rawValue)" }
        var offset = 0
        for key in groups.keys.sorted() {
            guard let members = groups[key] else { continue }
            for (position, index) in members.shuffled(using: &random).enumerated() {
                assignment[index] = (position + offset) % folds
            }
            offset += members.count
        }
        return assignment
    }

    /// The understanding's answers on labelled `examples` it was not trained on.
    public static func evaluate(_ understanding: LanguageUnderstanding, on examples: [TrainingExample]) -> EvaluationReport {
        var languageHits = 0
        var errors: [EvaluationReport.Error] = []
        let predictions = examples.map { example in
            let result = understanding.understand(example.text)
            if result.language == example.language { languageHits += 1 }
            if result.intent != example.intent {
                errors.append(.init(example: example, predicted: result.intent, confidence: result.confidence))
            }
            return (actual: example.intent, predicted: result.intent, confidence: result.confidence)
        }
        var report = EvaluationReport(predictions: predictions, languageHits: languageHits, trainingTime: understanding.trainingDuration)
        report.errors = errors
        return report
    }

    /// Reads a tab-separated file of `text<TAB>intent<TAB>language` lines (a header line is skipped).
    public static func loadLabelled(_ url: URL) throws -> [TrainingExample] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var examples: [TrainingExample] = []
        for (number, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if number == 0, fields.first == "text" { continue }
            guard fields.count == 3, let intent = Intent(rawValue: fields[1]), let language = Language(rawValue: fields[2]) else {
                throw LabelledFileError(path: url.path, line: number + 1)
            }
            examples.append(TrainingExample(text: fields[0], intent: intent, language: language))
        }
        return examples
    }
}

/// A labelled file has a line that is not `text<TAB>intent<TAB>language`.
public struct LabelledFileError: Error, CustomStringConvertible {
    public let path: String
    public let line: Int

    public var description: String { "\(path) line \(line): expected text<TAB>intent<TAB>language" }
}
