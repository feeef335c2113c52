import NLU

/// What a message says for grouping, reduced to the set of its words: folded, stemmed, without
/// the small words that carry no request (greetings, pronouns, prepositions) and without numbers,
/// so "Gdzie jest moja PACZKA 482173?" and "gdzie paczka" have the same signature.
///
/// A message with no word left (digits, emoji, punctuation) is its own folded text with every
/// run of digits written as one `0`, marked by a leading `#`, so order numbers alone still meet.
struct MissSignature: Hashable, Sendable {
    /// The words, sorted, each once.
    let words: [String]

    init(_ text: String) {
        let stems = Set(WordStems.of(text)).subtracting(Self.stopStems)
        words = stems.isEmpty ? [Self.fallback(text)] : stems.sorted()
    }

    /// Words that say nothing about what the customer wants, Polish and English.
    private static let stopWords = """
        a aby albo ale bo by co czy do dla i ich ja jak jej jest juz mi mnie moj moja moje mojego mojej moim mu na nam nas o \
        od po pod prosze przez sa sie ta tak te tego ten to tu u w we z za ze \
        dzien dobry witam hej czesc halo pozdrawiam dziekuje \
        an and are be can could do does i is it me my of on or please the to would you your hi hello hey thanks
        """
    private static let stopStems = Set(stopWords.split(separator: " ").flatMap { WordStems.of(String($0)) })

    private static func fallback(_ text: String) -> String {
        var folded = "#"
        var afterDigit = false
        for character in text.lowercased() where !character.isWhitespace {
            if character.isNumber {
                if !afterDigit { folded.append("0") }
                afterDigit = true
            } else {
                folded.append(character)
                afterDigit = false
            }
        }
        return folded
    }
}
