import NLU
import ShopValues

extension SpokenItem {
    /// "349,00 zł", "1 234,50 zł", "PLN 349.00", "PLN 1,234.50", "349 PLN": the amount in words.
    static func money(in scan: CharacterScan, at index: Int, language: Language) -> SpokenItem? {
        guard let amount = pricedAmount(in: scan, at: index) else { return nil }
        let words = SpokenMoney.words(Money(minorUnits: amount.minorUnits, currency: "PLN"), language: language)
        return SpokenItem(end: amount.end, text: words, markup: XMLText.escaped(words))
    }

    /// An amount with "PLN" before it, or "zł" or "PLN" after it; `end` is after the unit.
    private static func pricedAmount(in scan: CharacterScan, at index: Int) -> (minorUnits: Int64, end: Int)? {
        if scan.hasWord("PLN", at: index) { return amount(in: scan, at: scan.skippingSpaces(from: index + 3)) }
        guard let found = amount(in: scan, at: index) else { return nil }
        let unit = scan.skippingSpaces(from: found.end)
        for code in ["zł", "PLN"] where scan.hasWord(code, at: unit) {
            return (found.minorUnits, unit + code.count)
        }
        return nil
    }

    /// A decimal amount at `index`: digits, optionally grouped by thousands with a space, comma or
    /// dot, then optionally one or two decimals after whichever of comma and dot did not group.
    static func amount(in scan: CharacterScan, at index: Int) -> (minorUnits: Int64, end: Int)? {
        guard startsNumber(in: scan, at: index) else { return nil }
        let leading = scan.digitRun(from: index)
        guard (1...12).contains(leading) else { return nil }
        var whole = value(in: scan, from: index, count: leading)
        var end = index + leading
        var grouping: Character?
        var groups = 0
        while leading <= 3, groups < 4, let separator = scan[end], groupSeparators.contains(separator),
              grouping == nil || grouping == separator, scan.digitRun(from: end + 1) == 3 {
            grouping = separator
            whole = whole * 1000 + value(in: scan, from: end + 1, count: 3)
            end += 4
            groups += 1
        }
        var fraction: Int64 = 0
        if let separator = scan[end], separator == "," || separator == ".", separator != grouping {
            let decimals = scan.digitRun(from: end + 1)
            if decimals == 1 || decimals == 2 {
                fraction = value(in: scan, from: end + 1, count: decimals) * (decimals == 1 ? 10 : 1)
                end += 1 + decimals
            }
        }
        return (whole * 100 + fraction, end)
    }

    private static let groupSeparators: Set<Character> = [" ", "\u{00A0}", "\u{202F}", "\u{2009}", ",", "."]
}
