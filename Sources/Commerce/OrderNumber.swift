import ShopValues

/// The number a customer reads aloud or types to name an order: six digits, never starting with
/// 0, the last a Luhn check digit, so one misheard or mistyped digit (and most swaps of two
/// neighbours) is caught before the wrong order is looked up.
public struct OrderNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    public let digits: String

    /// A number from what the customer said or typed ("123 456", "123-456"); nil unless it is
    /// six digits whose check digit holds.
    public init?(_ text: some StringProtocol) {
        let digits = String(text.filter { $0 != " " && $0 != "-" })
        guard digits.count == 6, digits.allSatisfy(\.isASCIIDigit), digits.first != "0" else { return nil }
        guard Self.checkDigit(of: digits.dropLast()) == digits.last else { return nil }
        self.digits = digits
    }

    /// A fresh number from five random digits (the first not 0) and their check digit.
    public static func random<Generator: RandomNumberGenerator>(using generator: inout Generator) -> OrderNumber {
        let body = String(Int.random(in: 10_000...99_999, using: &generator))
        return OrderNumber(checked: body + String(checkDigit(of: Substring(body))))
    }

    public static func random() -> OrderNumber {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    public var description: String { digits }

    /// A number read back from the database, where only valid numbers are ever written.
    init(checked digits: String) {
        self.digits = digits
    }

    /// The Luhn digit that makes `body` followed by it a valid Luhn number.
    private static func checkDigit(of body: Substring) -> Character {
        Character(String(Luhn.checkDigit(of: body.compactMap(\.wholeNumberValue))))
    }
}
