/// The endings a Polish adjective or noun takes after its stem (folded, without diacritics), so a
/// colour's stem matches its forms and nothing that merely begins the same way: "czarn" matches
/// "czarne" and "czarnym" but not "Czarnecki", "bial" matches "białą" but not "Białystok",
/// "zielon" (one letter off) not "Zieliński". Also "ow" forms of a noun stem ("granat" →
/// "granatowa") and an English plural "s".
enum Inflection {
    /// The wildcard of a stem pattern: "czarn~" matches "czarn" followed by one of `endings`.
    static let marker: Character = "~"

    private static let adjective: [String] = [
        "", "y", "a", "e", "i", "o", "ego", "emu", "ej", "ym", "ymi", "ych", "im", "imi", "ich", "ie", "iego", "iemu", "iej",
    ]

    static let endings: Set<String> = Set(adjective + adjective.map { "ow" + $0 } + ["om", "ach", "ami", "u", "em", "s"])

    /// Whether `rest`, what follows a stem in a word, is an inflectional ending.
    static func isEnding(_ rest: Substring) -> Bool {
        rest.count <= 6 && endings.contains(String(rest))
    }

    /// Whether `word` matches `pattern`: a stem pattern ("czarn~") its stem and an ending, a
    /// prefix pattern ("kurier*") any word it begins, any other pattern only itself.
    static func matches(_ pattern: String, _ word: String) -> Bool {
        guard let last = pattern.last else { return word.isEmpty }
        switch last {
        case marker:
            let stem = pattern.dropLast()
            return word.hasPrefix(stem) && isEnding(word.dropFirst(stem.count))
        case "*": return word.hasPrefix(pattern.dropLast())
        default: return word == pattern
        }
    }

    /// A word list's prefix pattern ("czarn*") as a stem pattern ("czarn~"); other words as they are.
    static func stemmed(_ pattern: String) -> String {
        pattern.hasSuffix("*") ? pattern.dropLast() + String(marker) : pattern
    }
}

extension Lexicon {
    /// The lexicon with its prefix patterns as stem patterns ("czarn*" → "czarn~").
    var stemmed: Lexicon {
        Lexicon(phrases: phrases.map { Phrase(value: $0.value, words: $0.words.map(Inflection.stemmed)) })
    }
}
