/// The words of the shop's business: every word (and its stem) of the training examples that are
/// not `out_of_scope`, their character trigrams, and the short words with a letter dropped. A
/// message none of whose words is one of them, or close to one (a typo: a short word one letter
/// off, "okj", "tqk"; a longer one with most of its trigrams known), is about something else, however
/// confidently the classifier maps it to an intent. Key-mashing ("kdkdkd"), a word the shop never
/// uses ("pogoda") or another language's: the linear model has nothing but the message's length
/// to go on there, and length leans towards the short intents (yes, no, hello).
struct InScopeVocabulary: Sendable {
    private var words: Set<String> = []
    private var grams: Set<UInt64> = []
    /// Short known words and each of them with one letter dropped ("tak" → "ak", "tk", "ta").
    private var shortForms: Set<String> = []

    /// Up to this many letters a word's typos are found by dropped letters, beyond it by trigrams.
    private static let shortWord = 8

    init(_ examples: some Sequence<(text: AnalyzedText, intent: Intent)>) {
        for example in examples where example.intent != .outOfScope {
            for (token, word) in zip(example.text.tokens, example.text.words) where Self.isWord(token) {
                guard words.insert(word).inserted else { continue }
                words.insert(Stemmer.stem(word))
                for gram in Self.trigrams(of: word) { grams.insert(gram) }
                if word.count <= Self.shortWord {
                    shortForms.insert(word)
                    shortForms.formUnion(Self.withOneLetterDropped(word))
                }
            }
        }
    }

    /// Whether `text` has a word of the shop's business, or one typo away from it, outside
    /// `covered` (the tokens an entity took, which speak for themselves).
    func knowsAWord(of text: AnalyzedText, covered: (Int) -> Bool) -> Bool {
        var sawWord = false
        for (index, (token, word)) in zip(text.tokens, text.words).enumerated() where Self.isWord(token) && !covered(index) {
            sawWord = true
            if knows(word) || knows(Self.squeezed(word)) { return true }
        }
        return !sawWord
    }

    /// Whether `word` is a word of the shop's business or a typo of one.
    private func knows(_ word: String) -> Bool {
        if words.contains(word) || words.contains(Stemmer.stem(word)) { return true }
        if word.count <= Self.shortWord,
           shortForms.contains(word) || Self.withOneLetterDropped(word).contains(where: shortForms.contains) {
            return true
        }
        let trigrams = Self.trigrams(of: word)
        return trigrams.count >= 4 && trigrams.filter { grams.contains($0) }.count * 4 >= trigrams.count * 3
    }

    /// A word with its drawn-out letters said once: "witaaam" → "witam", "heeej" → "hej".
    private static func squeezed(_ word: String) -> String {
        var result = ""
        for character in word where character != result.last { result.append(character) }
        return result
    }

    private static func isWord(_ token: Token) -> Bool { token.kind == .word || token.kind == .mixed }

    private static func withOneLetterDropped(_ word: String) -> [String] {
        let letters = Array(word)
        guard letters.count > 1 else { return [] }
        return letters.indices.map { dropped in String(letters[..<dropped] + letters[(dropped + 1)...]) }
    }

    /// The character trigrams of `^word$`, hashed.
    private static func trigrams(of word: String) -> [UInt64] {
        let scalars = [UInt32(0x5e)] + word.unicodeScalars.map(\.value) + [UInt32(0x24)]
        guard scalars.count >= 3 else { return [] }
        return (0...(scalars.count - 3)).map { start in
            (UInt64(scalars[start]) << 42) | (UInt64(scalars[start + 1]) << 21) | UInt64(scalars[start + 2])
        }
    }
}
