import Foundation

/// Lowercasing and diacritics folding, one Unicode scalar at a time, with fast tables for ASCII
/// and the Latin letters Polish and its neighbours use (ą→a, ł→l, ż→z, é→e, ü→u, …).
enum TextFolding {
    /// The lowercase form of `scalar` (itself when it has none, or several).
    static func lowercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let value = scalar.value
        if value < 0x80 {
            return value >= 0x41 && value <= 0x5a ? Unicode.Scalar(value + 0x20)! : scalar
        }
        if value < 0x250 { return latinLower[Int(value)] }
        let mapping = scalar.properties.lowercaseMapping.unicodeScalars
        return mapping.count == 1 ? mapping.first! : scalar
    }

    /// `scalar` lowercased and without diacritics (ł → l, ą → a); non-Latin scalars lowercased only.
    static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let value = scalar.value
        if value < 0x80 { return lowercase(scalar) }
        if value < 0x250 { return latinFolded[Int(value)] }
        return lowercase(scalar)
    }

    /// Whether `scalar` is a combining mark (a diacritic written as its own scalar after a letter).
    static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.value >= 0x300 else { return false }
        return (0x300...0x36f).contains(scalar.value) || scalar.properties.generalCategory == .nonspacingMark
    }

    /// `text` lowercased and folded, combining marks dropped.
    static func fold(_ text: some StringProtocol) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !isCombiningMark(scalar) {
            result.append(fold(scalar))
        }
        return String(result)
    }

    private static let latinLower: [Unicode.Scalar] = (0..<0x250).map { value in
        let scalar = Unicode.Scalar(UInt32(value))!
        let mapping = scalar.properties.lowercaseMapping.unicodeScalars
        return mapping.count == 1 ? mapping.first! : scalar
    }

    private static let latinFolded: [Unicode.Scalar] = (0..<0x250).map { value in
        let lower = latinLower[value]
        if let special = strokeLetters[lower] { return special }
        let stripped = String(Character(lower)).folding(options: [.diacriticInsensitive], locale: nil).unicodeScalars
        return stripped.count == 1 ? stripped.first! : lower
    }

    /// Letters whose diacritic is not a separate mark, so Unicode decomposition keeps them.
    private static let strokeLetters: [Unicode.Scalar: Unicode.Scalar] = [
        "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ß": "s", "æ": "a", "œ": "o", "ı": "i",
    ]
}
