/// An amount of money in minor units (grosze), so sums are exact: never a floating-point value.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The amount in the currency's minor unit (1/100).
    public let minorUnits: Int64
    /// ISO 4217 code, such as "PLN".
    public let currency: String

    public init(minorUnits: Int64, currency: String = "PLN") {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Zero in `currency`.
    public static func zero(_ currency: String = "PLN") -> Money { Money(minorUnits: 0, currency: currency) }

    /// Parses a decimal amount with at most two decimals and a dot or comma: "349.00", "349,5",
    /// "12". Nil for anything else (signs, thousands separators, three decimals, letters).
    public init?(decimal text: some StringProtocol, currency: String = "PLN") {
        let trimmed = text.trimmingWhitespace
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var seenSeparator = false
        var digits = 0
        for character in trimmed.utf8 {
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let value = Int64(character - UInt8(ascii: "0"))
                if seenSeparator {
                    guard fractionDigits < 2 else { return nil }
                    fraction = fraction * 10 + value
                    fractionDigits += 1
                } else {
                    guard digits < 15 else { return nil }
                    whole = whole * 10 + value
                    digits += 1
                }
            case UInt8(ascii: "."), UInt8(ascii: ","):
                guard !seenSeparator, digits > 0 else { return nil }
                seenSeparator = true
            default:
                return nil
            }
        }
        guard digits > 0, !seenSeparator || fractionDigits > 0 else { return nil }
        if fractionDigits == 1 { fraction *= 10 }
        self.init(minorUnits: whole * 100 + fraction, currency: currency)
    }

    /// "349.00": the amount with a dot and two decimals.
    public var decimalString: String {
        let sign = minorUnits < 0 ? "-" : ""
        let absolute = minorUnits.magnitude
        let cents = absolute % 100
        return "\(sign)\(absolute / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// The amount as Polish shoppers read it: "349,00 zł" (or "349,00 EUR").
    public var polish: String {
        decimalString.replacingOccurrences(of: ".", with: ",") + (currency == "PLN" ? " zł" : " \(currency)")
    }

    /// The amount as English shoppers read it: "PLN 349.00".
    public var english: String { "\(currency) \(decimalString)" }

    public var description: String { english }

    public static func + (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "adding \(lhs.currency) to \(rhs.currency)")
        return Money(minorUnits: lhs.minorUnits + rhs.minorUnits, currency: lhs.currency)
    }

    public static func * (lhs: Money, rhs: Int) -> Money {
        Money(minorUnits: lhs.minorUnits * Int64(rhs), currency: lhs.currency)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool {
        precondition(lhs.currency == rhs.currency, "comparing \(lhs.currency) with \(rhs.currency)")
        return lhs.minorUnits < rhs.minorUnits
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    public var trimmingWhitespace: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return Substring(self[first...last])
    }

    func replacingOccurrences(of target: Character, with replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}
