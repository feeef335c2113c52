import Commerce
import NLU
import ShopValues

/// A piece of a bot reply: the bot's own words, or a value that each medium renders its own
/// way (a chat writes "349,00 zł" and "nr 491837"; a phone says the amount in words and the
/// number in pairs).
public enum ReplyPart: Sendable, Hashable, Codable {
    /// The bot's own words, written and said as they are.
    case words(String)
    /// Text someone else wrote (the shop's facts, the customer's own words): shown as it is,
    /// read on the phone with whatever numbers are in it made speakable.
    case quoted(String)
    case money(Money)
    case orderNumber(OrderNumber)
    case postcode(String)
    case lockerCode(String)
    /// A phone number, E.164 ("+48600123456").
    case phone(String)
    case email(String)

    /// How the part is written in a chat or a message, in `language`.
    public func written(in language: Language) -> String {
        switch self {
        case .words(let text), .quoted(let text), .postcode(let text), .lockerCode(let text), .email(let text): text
        case .money(let amount): language == .polish ? amount.polish : amount.english
        case .orderNumber(let number): number.digits
        case .phone(let e164): Self.grouped(phone: e164)
        }
    }

    /// A Polish number as people write it, "600 123 456"; any other as given.
    private static func grouped(phone e164: String) -> String {
        guard e164.hasPrefix("+48"), e164.count == 12 else { return e164 }
        let digits = Array(e164.dropFirst(3))
        return stride(from: 0, to: 9, by: 3).map { String(digits[$0..<($0 + 3)]) }.joined(separator: " ")
    }
}

/// A sentence or more of a reply, kept as typed parts until a medium renders it. Written as a
/// string literal: an interpolated `Money`, `OrderNumber`, `Postcode` or `LockerCode` stays a
/// typed part; `\(phone:)` and `\(email:)` mark contacts; any other text is words.
public struct Phrase: Sendable, Hashable, Codable, ExpressibleByStringInterpolation {
    public private(set) var parts: [ReplyPart]

    public init(parts: [ReplyPart]) {
        var merged: [ReplyPart] = []
        for part in parts where part != .words("") {
            if case .words(let after) = part, case .words(let before) = merged.last {
                merged[merged.count - 1] = .words(before + after)
            } else {
                merged.append(part)
            }
        }
        self.parts = merged
    }

    /// The bot's own words.
    public init(_ words: String) { self.init(parts: [.words(words)]) }

    public init(stringLiteral value: String) { self.init(value) }

    public init(stringInterpolation: Interpolation) { self.init(parts: stringInterpolation.parts) }

    public static let empty = Phrase(parts: [])

    public var isEmpty: Bool { parts.isEmpty }

    /// The phrase as a chat or a message shows it.
    public func written(in language: Language) -> String {
        parts.map { $0.written(in: language) }.joined()
    }

    public static func + (lhs: Phrase, rhs: Phrase) -> Phrase { Phrase(parts: lhs.parts + rhs.parts) }

    public static func += (lhs: inout Phrase, rhs: Phrase) { lhs = lhs + rhs }

    /// Builds a phrase from literal words and interpolated values.
    public struct Interpolation: StringInterpolationProtocol {
        fileprivate var parts: [ReplyPart] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            parts.reserveCapacity(interpolationCount * 2 + 1)
        }

        public mutating func appendLiteral(_ literal: String) { appendWords(literal) }

        public mutating func appendInterpolation(_ words: String) { appendWords(words) }

        public mutating func appendInterpolation(_ number: Int) { appendWords(String(number)) }

        /// Any other value (a count, a NIP, an id) in its written form, as words.
        public mutating func appendInterpolation(_ value: some CustomStringConvertible) { appendWords(value.description) }

        public mutating func appendInterpolation(_ phone: PhoneNumber) { parts.append(.phone(phone.e164)) }

        public mutating func appendInterpolation(_ phrase: Phrase) {
            for part in phrase.parts {
                if case .words(let words) = part { appendWords(words) } else { parts.append(part) }
            }
        }

        public mutating func appendInterpolation(_ amount: Money) { parts.append(.money(amount)) }

        public mutating func appendInterpolation(_ number: OrderNumber) { parts.append(.orderNumber(number)) }

        public mutating func appendInterpolation(_ postcode: Postcode) { parts.append(.postcode(postcode.value)) }

        public mutating func appendInterpolation(_ code: LockerCode) { parts.append(.lockerCode(code.value)) }

        /// Text the shop or the customer wrote.
        public mutating func appendInterpolation(quoted text: String) { parts.append(.quoted(text)) }

        public mutating func appendInterpolation(postcode: String) { parts.append(.postcode(postcode)) }

        public mutating func appendInterpolation(locker code: String) { parts.append(.lockerCode(code)) }

        public mutating func appendInterpolation(phone e164: String) { parts.append(.phone(e164)) }

        public mutating func appendInterpolation(email: String) { parts.append(.email(email)) }

        /// Adjacent words are one part, so a medium sees whole sentences.
        private mutating func appendWords(_ words: String) {
            guard !words.isEmpty else { return }
            if case .words(let before) = parts.last {
                parts[parts.count - 1] = .words(before + words)
            } else {
                parts.append(.words(words))
            }
        }
    }
}

extension Sequence<Phrase> {
    /// The phrases one after another, `separator` between them.
    func joined(separator: Phrase) -> Phrase {
        var result = Phrase.empty
        for (index, phrase) in enumerated() {
            if index > 0 { result += separator }
            result += phrase
        }
        return result
    }
}

extension DefaultStringInterpolation {
    /// A phrase interpolated into a plain string would lose its typed parts (and print as a
    /// struct): the compiler warns wherever this is chosen.
    @available(*, deprecated, message: "a Phrase goes into a Phrase, not a String: its typed parts would be lost")
    mutating func appendInterpolation(_ phrase: Phrase) {
        appendLiteral(phrase.written(in: .polish))
    }

    /// An amount in a plain string is written in no language ("349.00 PLN"): replies put it in a
    /// `Phrase`; text for agents and logs names the form it wants (`amount.polish`).
    @available(*, deprecated, message: "put Money into a Phrase, or write amount.polish / amount.english")
    mutating func appendInterpolation(_ amount: Money) {
        appendLiteral(amount.polish)
    }

    /// A postcode in a plain string is not said as one on the phone.
    @available(*, deprecated, message: "put a Postcode into a Phrase, or write postcode.value")
    mutating func appendInterpolation(_ postcode: Postcode) {
        appendLiteral(postcode.value)
    }

    /// A locker code in a plain string is not spelt out on the phone.
    @available(*, deprecated, message: "put a LockerCode into a Phrase, or write code.value")
    mutating func appendInterpolation(_ code: LockerCode) {
        appendLiteral(code.value)
    }

    /// A phone number in a plain string is not said in groups on the phone.
    @available(*, deprecated, message: "put a PhoneNumber into a Phrase, or write phone.e164")
    mutating func appendInterpolation(_ phone: PhoneNumber) {
        appendLiteral(phone.e164)
    }

    /// An order number in a plain string is not said as one on the phone: replies put it in a
    /// `Phrase`; text for agents and logs writes `number.digits`.
    @available(*, deprecated, message: "put an OrderNumber into a Phrase, or write number.digits")
    mutating func appendInterpolation(_ number: OrderNumber) {
        appendLiteral(number.digits)
    }
}
