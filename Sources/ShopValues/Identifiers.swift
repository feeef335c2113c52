/// A Polish tax identification number (NIP): ten digits whose checksum holds.
public struct NIP: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The ten digits.
    public let digits: String

    /// A NIP from text with or without dashes, spaces and a "PL" prefix; nil when it is not
    /// ten digits or the checksum fails.
    public init?(_ text: some StringProtocol) {
        var candidate = text.trimmingWhitespace.uppercased()
        if candidate.hasPrefix("PL") { candidate.removeFirst(2) }
        let digits = candidate.filter { $0 != "-" && $0 != " " }
        guard digits.count == 10, digits.allSatisfy(\.isASCIIDigit), Self.checksumHolds(digits) else { return nil }
        self.digits = digits
    }

    /// The checksum: weights 6 5 7 2 3 4 5 6 7 over the first nine digits, modulo 11, equals
    /// the tenth (and is never 10).
    public static func checksumHolds(_ digits: String) -> Bool {
        let values = digits.compactMap(\.wholeNumberValue)
        guard values.count == 10 else { return false }
        let sum = zip(values, [6, 5, 7, 2, 3, 4, 5, 6, 7]).reduce(0) { $0 + $1.0 * $1.1 }
        return sum % 11 != 10 && sum % 11 == values[9]
    }

    /// "526-025-09-95", as invoices print it.
    public var description: String {
        let d = Array(digits)
        return "\(String(d[0..<3]))-\(String(d[3..<6]))-\(String(d[6..<8]))-\(String(d[8..<10]))"
    }
}

/// A phone number in E.164 form ("+48600123456"). Polish numbers may be written with or
/// without +48 / 0048, in groups; other countries need their "+" prefix.
public struct PhoneNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    public let e164: String

    public init?(_ text: some StringProtocol) {
        let trimmed = text.trimmingWhitespace
        let international = trimmed.hasPrefix("+") || trimmed.hasPrefix("00")
        let digits = trimmed.filter(\.isASCIIDigit)
        guard trimmed.allSatisfy({ $0.isASCIIDigit || " -().+/".contains($0) }) else { return nil }
        var national = String(digits)
        if trimmed.hasPrefix("00") { national.removeFirst(2) }
        if international {
            guard (8...15).contains(national.count) else { return nil }
            e164 = "+" + national
        } else if national.count == 9 {
            e164 = "+48" + national
        } else if national.count == 11, national.hasPrefix("48") {
            e164 = "+" + national
        } else {
            return nil
        }
        if e164.hasPrefix("+48"), e164.count != 12 { return nil }
    }

    public var description: String { e164 }
}

/// A Polish postcode, "NN-NNN".
public struct Postcode: Sendable, Hashable, Codable, CustomStringConvertible {
    public let value: String

    /// Accepts "50-123" and "50123"; a dash anywhere else ("501-23") is a typo, not a postcode.
    public init?(_ text: some StringProtocol) {
        let characters = Array(text.trimmingWhitespace)
        let digits = characters.count == 6 && characters[2] == "-" ? Array(characters[..<2] + characters[3...]) : characters
        guard digits.count == 5, digits.allSatisfy(\.isASCIIDigit) else { return nil }
        value = "\(String(digits[..<2]))-\(String(digits[2...]))"
    }

    public var description: String { value }
}

/// A parcel-locker code such as "WRO01M" or "KRA123A": three letters, two or three digits, up
/// to two letters.
public struct LockerCode: Sendable, Hashable, Codable, CustomStringConvertible {
    public let value: String

    public init?(_ text: some StringProtocol) {
        let code = text.trimmingWhitespace.uppercased()
        let characters = Array(code)
        let letters = characters.prefix { $0.isASCII && $0.isLetter }.count
        let digits = characters.dropFirst(letters).prefix { $0.isASCIIDigit }.count
        let tail = characters.count - letters - digits
        guard letters == 3, (2...3).contains(digits), (0...2).contains(tail),
              characters.suffix(tail).allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        value = code
    }

    public var description: String { value }
}

/// An e-mail address, lowercased; only its shape is checked (a local part, an @, a dotted domain).
public struct EmailAddress: Sendable, Hashable, Codable, CustomStringConvertible {
    public let value: String

    /// Reads the address by Unicode scalars, not characters: an "@" or "." followed by a combining
    /// mark or an emoji modifier is one character with it, and would hide from a split.
    public init?(_ text: some StringProtocol) {
        let address = text.trimmingWhitespace.lowercased()
        let scalars = address.unicodeScalars
        let parts = scalars.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), parts[1].first != ".", parts[1].last != ".",
              scalars.allSatisfy(Self.mayAppear), address.count <= 254 else { return nil }
        value = address
    }

    /// No whitespace and no control characters anywhere in an address.
    private static func mayAppear(_ scalar: Unicode.Scalar) -> Bool {
        !scalar.properties.isWhitespace && scalar.value >= 0x20 && !(0x7F...0x9F).contains(scalar.value)
    }

    public var description: String { value }
}
