import Analytics
import Foundation
import Gateway
import NLU

/// `orderbot eval-intents`: cross-validation over Intents/ (and optionally a held-out file).
enum EvalIntentsCommand {
    static let description = CommandDescription(
        name: "eval-intents", summary: "cross-validate the intent classifier over Intents/", help: help, run: run)

    static let help = """
        Usage: orderbot eval-intents [--folds K] [--test-file FILE] [--show-errors] [--intents DIR] [--threshold P] [FILE…]

        k-fold cross-validation over the training data: every example is classified by a model
        trained without it. Then each held-out FILE (and --test-file) is classified by a model
        trained on all of the training data. For each: accuracy, macro-F1, out_of_scope
        precision and recall, per-intent precision/recall/F1, the confusion matrix, and how well
        the confidence is calibrated (expected calibration error and the reliability table).
        A held-out file has text<TAB>intent<TAB>language lines (a header line is skipped).
        Benchmarks/intents.sh compares these numbers with a plain baseline on the same folds.

        Options:
          --folds K        number of folds, 2 or more (default 5)
          --test-file FILE a held-out file, as a positional FILE
          --show-errors    list every wrongly classified example: expected, predicted,
                           confidence, language, text (tab-separated)
        \(IntentsSource.help)
        """

    static func run(_ arguments: [String], _ environment: [String: String]) async throws -> Int32 {
        let parsed = try ParsedArguments(
            arguments, valued: ["folds", "test-file", "intents", "threshold"], flags: ["help", "show-errors"])
        if parsed.has("help") {
            print(help)
            return 0
        }
        let settings = Settings(arguments: parsed, environment: environment)
        let folds = try settings.integer(flag: "folds", variable: nil, in: 2...50, default: 5)
        let corpus = try IntentsSource.corpus(settings)
        let configuration = try IntentsSource.configuration(settings)
        let report = Evaluation.crossValidate(corpus, folds: folds, configuration: configuration)
        print(report.rendered(title: "\(folds)-fold cross-validation over \(corpus.examples.count) examples"))
        if parsed.has("show-errors") { print("errors (expected, predicted, confidence, language, text)\n" + report.renderedErrors() + "\n") }
        let files = (settings.string(flag: "test-file", variable: nil).map { [$0] } ?? []) + parsed.positionals
        guard !files.isEmpty else { return 0 }
        let understanding = LanguageUnderstanding(corpus: corpus, configuration: configuration)
        for file in files {
            let examples = try Evaluation.loadLabelled(URL(fileURLWithPath: file))
            let heldOut = Evaluation.evaluate(understanding, on: examples)
            print(heldOut.rendered(title: "held-out file \(file)"))
            if parsed.has("show-errors") { print("errors (expected, predicted, confidence, language, text)\n" + heldOut.renderedErrors() + "\n") }
        }
        return 0
    }
}

/// `orderbot export-intents`: every training example as a JSON line, the agents' labels last.
enum ExportIntentsCommand {
    static let description = CommandDescription(
        name: "export-intents", summary: "print every training example as a JSON line", help: help, run: run)

    static let help = """
        Usage: orderbot export-intents [--intents DIR] [--db PATH] [--folds K]

        Prints every training example of Intents/, then every example agents taught the
        classifier (their intent labels in the database, oldest first), as one JSON object a line:
          {"text":…,"intent":…,"language":"pl"|"en"}
        When the database file does not exist, only Intents/ is printed; the file is only read.
        With --folds K each line also has "fold": the fold eval-intents --folds K puts the
        example in (Intents/ only; the database is not read), so a baseline can use the same folds.

        Options:
          --db PATH        ORDERBOT_DB      SQLite database file              (default ./orderbot.sqlite)
          --folds K        add each example's cross-validation fold (2 or more)
        \(IntentsSource.help)
        """

    static func run(_ arguments: [String], _ environment: [String: String]) async throws -> Int32 {
        let parsed = try ParsedArguments(arguments, valued: ["intents", "db", "folds"], flags: ["help"])
        if parsed.has("help") {
            print(help)
            return 0
        }
        guard parsed.positionals.isEmpty else {
            throw UsageError("export-intents takes no arguments (got \(parsed.positionals))")
        }
        let settings = Settings(arguments: parsed, environment: environment)
        let corpus = try IntentsSource.corpus(settings)
        let output = StandardOutput()
        if parsed.options["folds"] != nil {
            let folds = try settings.integer(flag: "folds", variable: nil, in: 2...50, default: 5)
            let seed = UnderstandingConfiguration().seed
            let assignment = Evaluation.foldAssignment(of: corpus.examples, folds: folds, seed: seed)
            for (example, fold) in zip(corpus.examples, assignment) { output.writeLine(ExampleLines.line(example, fold: fold)) }
            return 0
        }
        let learned = try LearnedExamples.load(databaseAt: settings.string(flag: "db", variable: "ORDERBOT_DB") ?? "./orderbot.sqlite")
        for example in corpus.examples + learned { output.writeLine(ExampleLines.line(example)) }
        return 0
    }
}
