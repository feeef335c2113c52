import Testing
@testable import NLU

/// Reading Intents/: the layout, comments, word lists, and clear errors for mistakes.
struct CorpusTests {
    /// The built-in corpus has every intent in both languages, at least 40 examples each.
    @Test func embeddedCorpusCoversEveryIntentAndLanguage() throws {
        let corpus = try IntentCorpus.embedded()
        for intent in Intent.allCases {
            for language in Language.allCases {
                let count = corpus.examples.filter { $0.intent == intent && $0.language == language }.count
                #expect(count >= 40, "\(intent.rawValue)/\(language.rawValue) has \(count)")
            }
        }
        #expect(corpus.lexicons["color"] != nil)
    }

    /// Comments and blank lines are skipped; examples are trimmed.
    @Test func commentsAndBlankLinesAreSkipped() throws {
        let files = Intent.allCases.map { ("\($0.rawValue)/pl.txt", "# header\n\n  przykład \($0.rawValue)  \n# note\n") }
        let corpus = try IntentCorpus(files: files)
        #expect(corpus.examples.count == Intent.allCases.count)
        #expect(corpus.examples.first?.text == "przykład greet")
    }

    /// A folder that is not an intent, a file that is not pl/en, or a bad word-list line is an
    /// error that names the place.
    @Test func mistakesAreNamed() {
        let base = Intent.allCases.map { ("\($0.rawValue)/pl.txt", "x") }
        #expect(throws: IntentCorpus.Failure.unknownIntent(folder: "orders")) {
            try IntentCorpus(files: base + [("orders/pl.txt", "x")])
        }
        #expect(throws: IntentCorpus.Failure.unknownLanguage(file: "greet/de.txt")) {
            try IntentCorpus(files: base + [("greet/de.txt", "hallo")])
        }
        #expect(throws: IntentCorpus.Failure.badLexiconLine(file: "entities/color.txt", line: 2)) {
            try IntentCorpus(files: base + [("entities/color.txt", "black: czarn*\nno colon here")])
        }
        #expect(throws: IntentCorpus.Failure.missingIntents([.outOfScope])) {
            try IntentCorpus(files: Array(base.dropLast()))
        }
    }

    /// Folding removes Polish (and other Latin) diacritics, including combining marks.
    @Test func folding() {
        #expect(TextFolding.fold("Zażółć GĘŚLĄ jaźń") == "zazolc gesla jazn")
        #expect(TextFolding.fold("Łódź") == "lodz")
        #expect(TextFolding.fold("e\u{301}") == "e")
        #expect(TextFolding.fold("Müller Straße") == "muller strase")
    }
}
