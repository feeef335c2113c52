/// What the bot knows of colour words in general (Intents/entities/color.txt): which group a
/// word names ("czarne", "black" → `black`), and each group's name in Polish and English. A
/// shop's own colour words are matched by `CatalogMatcher`; this names them in the other
/// language when the group is known, and leaves a word it does not know as the shop wrote it.
public struct ColourNames: Sendable {
    private let groups: [Lexicon.Phrase]

    /// The colour groups of `lexicon` (`black: czarn*, black`); none without one.
    public init(lexicon: Lexicon?) {
        groups = lexicon?.phrases ?? []
    }

    /// The groups of the built-in word list.
    public static let embedded = ColourNames(lexicon: try? IntentCorpus.embedded().lexicons["color"])

    /// Colour words Polish and English share: a shop's "ecru" stays "ecru" in both.
    static let sharedWords: Set<String> = ["ecru", "khaki"]

    /// The Polish base (masculine) form of each group.
    static let polish: [String: String] = [
        "black": "czarny", "white": "biały", "red": "czerwony", "blue": "niebieski", "navy": "granatowy",
        "green": "zielony", "yellow": "żółty", "grey": "szary", "brown": "brązowy", "beige": "beżowy",
        "pink": "różowy", "purple": "fioletowy", "orange": "pomarańczowy", "silver": "srebrny", "gold": "złoty",
        "cream": "kremowy", "multicolor": "wielokolorowy", "burgundy": "bordowy", "olive": "oliwkowy", "amber": "bursztynowy",
        "turquoise": "turkusowy", "coral": "koralowy", "mustard": "musztardowy", "mint": "miętowy", "fuchsia": "fuksjowy",
        "lilac": "liliowy",
    ]

    /// The group a colour word or phrase names as a whole ("Różowy", "light blue"), if any.
    public func group(of colour: String) -> String? {
        match(colour)?.value
    }

    /// The phrase of the word list that names `colour` as a whole.
    private func match(_ colour: String) -> Lexicon.Phrase? {
        let words = TextFolding.fold(colour).split(separator: " ").map(String.init)
        guard !words.isEmpty else { return nil }
        return groups.first { PhrasePattern.matches($0.words, words) }
    }

    /// The phrases that name `group` (its Polish stems and English words).
    func phrases(of group: String) -> [Lexicon.Phrase] {
        groups.filter { $0.value == group }
    }

    /// `colour` as said in `language`. A word the list knows is said in that language: the
    /// Polish stems of the list (`czarn*`) match Polish words, its whole words (`black`) the
    /// English ones. A word it does not know is said as the shop wrote it.
    public func name(_ colour: String, in language: Language) -> String {
        guard let phrase = match(colour) else { return colour }
        let writtenInPolish = phrase.words.contains { $0.hasSuffix("*") } || Self.sharedWords.contains(TextFolding.fold(colour))
        switch language {
        case .polish: return writtenInPolish ? colour : Self.polish[phrase.value] ?? colour
        case .english: return writtenInPolish && !Self.sharedWords.contains(TextFolding.fold(colour)) ? phrase.value : colour
        }
    }
}

/// Word patterns of the word lists: a word ending in `*` matches any word it begins.
enum PhrasePattern {
    static func matches(_ pattern: [String], _ words: [String]) -> Bool {
        guard pattern.count == words.count else { return false }
        return zip(pattern, words).allSatisfy { Inflection.matches($0, $1) }
    }
}
