import NLU

/// A stretch of a written reply that is said differently from how it is written: an amount, a
/// phone number, a postcode, an order number, a parcel-locker code.
struct SpokenItem: Sendable, Equatable {
    /// Where the stretch ends (exclusive) in the scanned characters.
    let end: Int
    /// What the synthesiser reads without SSML.
    let text: String
    /// The SSML for it, already XML.
    let markup: String

    /// The item starting at `index`, if one does; the caller asks only where a word may start.
    static func recognised(in scan: CharacterScan, at index: Int, language: Language) -> SpokenItem? {
        guard let character = scan[index] else { return nil }
        if scan.isDigit(index) {
            return money(in: scan, at: index, language: language) ?? phoneNumber(in: scan, at: index)
                ?? postcode(in: scan, at: index)
        }
        switch character {
        case "+", "(": return phoneNumber(in: scan, at: index)
        case "#": return orderNumber(in: scan, at: index + 1, keyword: nil)
        case "P": return money(in: scan, at: index, language: language) ?? lockerCode(in: scan, at: index)
        default:
            guard character.isLetter else { return nil }
            return orderNumberAfterKeyword(in: scan, at: index) ?? lockerCode(in: scan, at: index)
        }
    }

    /// Whether a number may start at `index`: a digit or sign with no letter, digit, decimal
    /// separator or sign just before it.
    static func startsNumber(in scan: CharacterScan, at index: Int) -> Bool {
        guard let before = scan[index - 1] else { return true }
        return !(before.isLetter || before.isNumber || before == "," || before == "." || before == "+")
    }

    /// The number the `count` ASCII digits at `index` spell.
    static func value(in scan: CharacterScan, from index: Int, count: Int) -> Int64 {
        scan.characters[index..<index + count].reduce(0) { $0 * 10 + Int64($1.wholeNumberValue ?? 0) }
    }

    /// `digits` cut into groups of `size`, the last one shorter when it must be.
    static func groups(of digits: String, size: Int) -> [String] {
        let characters = Array(digits)
        return stride(from: 0, to: characters.count, by: size).map {
            String(characters[$0..<min($0 + size, characters.count)])
        }
    }
}
