/// Numbers written as words, Polish and English, folded: "dwie" 2, "czterdziesci dwa" 42,
/// "forty-two" 42, "sto cztery" 104. Enough for quantities and sizes (up to 999).
enum NumberWords {
    static let units: [String: Int] = [
        "zero": 0,
        "jeden": 1, "jedna": 1, "jedno": 1, "jednego": 1, "jednej": 1, "jednym": 1,
        "dwa": 2, "dwie": 2, "dwoch": 2, "dwu": 2, "dwoma": 2, "dwiema": 2,
        "trzy": 3, "trzech": 3, "trzema": 3,
        "cztery": 4, "czterech": 4, "czterema": 4,
        "piec": 5, "pieciu": 5, "szesc": 6, "szesciu": 6, "siedem": 7, "siedmiu": 7,
        "osiem": 8, "osmiu": 8, "dziewiec": 9, "dziewieciu": 9,
        "dziesiec": 10, "dziesieciu": 10, "jedenascie": 11, "dwanascie": 12, "trzynascie": 13,
        "czternascie": 14, "pietnascie": 15, "szesnascie": 16, "siedemnascie": 17, "osiemnascie": 18,
        "dziewietnascie": 19,
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    ]

    static let tens: [String: Int] = [
        "dwadziescia": 20, "trzydziesci": 30, "czterdziesci": 40, "piecdziesiat": 50,
        "szescdziesiat": 60, "siedemdziesiat": 70, "osiemdziesiat": 80, "dziewiecdziesiat": 90,
        "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90,
    ]

    static let hundreds: [String: Int] = [
        "sto": 100, "dwiescie": 200, "trzysta": 300, "czterysta": 400, "piecset": 500, "szescset": 600, "siedemset": 700,
        "osiemset": 800, "dziewiecset": 900,
    ]

    /// Units and tens in one table, so a word is looked up once: tens are stored negated.
    private static let words: [String: Int] = units.merging(tens.mapValues { -$0 }) { unit, _ in unit }

    /// The number spelled by the word tokens starting at `index` ("czterdziesci dwa", "forty-two"),
    /// with how many tokens it used; nil when `tokens[index]` is not a number word.
    static func parse(_ text: AnalyzedText, at index: Int) -> (value: Int, tokenCount: Int)? {
        let tokens = text.tokens
        guard tokens[index].kind == .word else { return nil }
        // "sto", "sto cztery", "dwieście dwadzieścia dwa": hundreds, then what is under a hundred.
        if let hundred = hundreds[text.words[index]] {
            guard index + 1 < tokens.count, let rest = belowHundred(text, at: index + 1) else { return (hundred, 1) }
            return (hundred + rest.value, 1 + rest.tokenCount)
        }
        return belowHundred(text, at: index)
    }

    /// A number under a hundred spelled from `index`.
    private static func belowHundred(_ text: AnalyzedText, at index: Int) -> (value: Int, tokenCount: Int)? {
        let tokens = text.tokens
        guard tokens[index].kind == .word else { return nil }
        guard let found = words[text.words[index]] else { return nil }
        if found >= 0 { return (found, 1) }
        let ten = -found
        var next = index + 1
        if next < tokens.count, tokens[next].kind == .symbol, text.words[next] == "-" { next += 1 }
        if next < tokens.count, tokens[next].kind == .word, let unit = units[text.words[next]], (1...9).contains(unit) {
            return (ten + unit, next - index + 1)
        }
        return (ten, 1)
    }
}
