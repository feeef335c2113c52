@testable import NLU
import Testing

/// A message with no word of the shop's business is out of scope, whatever the classifier says;
/// a typo of such a word still counts as one.
struct InScopeVocabularyTests {
    private let vocabulary = InScopeVocabulary([
        ("tak, poproszę", Intent.affirm), ("ok", .affirm), ("witam", .greet), ("chcę złożyć reklamację", .complaint),
        ("goodbye", .goodbye), ("ustaw budzik", .outOfScope),
    ].map { (text: AnalyzedText($0.0), intent: $0.1) })

    private func knows(_ text: String) -> Bool {
        vocabulary.knowsAWord(of: AnalyzedText(text)) { _ in false }
    }

    @Test func wordsAndTheirTyposAreKnown() {
        for text in ["tak", "okj", "okk", "witaaam", "reklamacjw", "goodbay", "to reklamacja", "poprosze"] {
            #expect(knows(text), "\(text)")
        }
    }

    @Test func wordsOnlyOutOfScopeExamplesUseAreNot() {
        for text in ["budzik", "ustaw budzik", "kdkdkd", "qwxz", "asdfghjkl", "pogoda na jutro"] {
            #expect(!knows(text), "\(text)")
        }
    }

    /// Numbers, symbols and words an entity took say nothing either way.
    @Test func messagesWithoutWordsAreNotJudged() {
        #expect(knows("123456"))
        #expect(knows("👍"))
        #expect(vocabulary.knowsAWord(of: AnalyzedText("budzik 42")) { $0 == 0 })
    }

    /// Through the whole understanding: key-mashing is out of scope, the shop's words are not.
    @Test func keyMashingIsOutOfScope() throws {
        let understanding = LanguageUnderstanding(corpus: try IntentCorpus.embedded())
        for text in ["kdkdkd", "hfjdks", "fghfgh", "poiuyt"] {
            #expect(understanding.understand(text).intent == .outOfScope, "\(text)")
        }
        #expect(understanding.understand("reklamcja").intent == .complaint)
        #expect(understanding.understand("okj").intent == .affirm)
    }
}
