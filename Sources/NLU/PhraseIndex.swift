/// The phrases of several word lists, each tagged with the entity kind it names, indexed by the
/// first letters of their first word, so a token is looked up once for all lists.
struct PhraseIndex: Sendable {
    struct Entry: Sendable {
        let kind: Entity.Kind
        let value: String
        let words: [String]
    }

    private let entries: [UInt64: [Entry]]

    init(_ lexicons: [(lexicon: Lexicon, kind: Entity.Kind)]) {
        var entries: [UInt64: [Entry]] = [:]
        for (lexicon, kind) in lexicons {
            for phrase in lexicon.phrases where !phrase.words.isEmpty {
                entries[Self.key(phrase.words[0]), default: []].append(Entry(kind: kind, value: phrase.value, words: phrase.words))
            }
        }
        self.entries = entries
    }

    var isEmpty: Bool { entries.isEmpty }

    /// The entries whose first word could match `word`.
    func candidates(startingWith word: String) -> [Entry] {
        entries[Self.key(word)] ?? []
    }

    /// The first three letters of a word (or the word, when shorter), ignoring a trailing `*` or
    /// `~`, packed into a number. Prefix and stem patterns are at least three letters long, so a
    /// match always shares this key.
    static func key(_ word: String) -> UInt64 {
        let isPattern = word.hasSuffix("*") || word.last == Inflection.marker
        return LetterKey.of(isPattern ? word.dropLast() : Substring(word), letters: 3)
    }
}
