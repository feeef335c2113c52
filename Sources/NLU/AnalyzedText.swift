/// An utterance prepared for the classifier and the entity extractors: lowercased and folded
/// scalars, the map back to the original scalar offsets, and its tokens.
struct AnalyzedText {
    /// The scalars as written, combining marks dropped ("XL", "Zamówić").
    let cased: [Unicode.Scalar]
    /// Lowercased scalars, combining marks dropped (diacritics kept: "zamówić").
    let lowered: [Unicode.Scalar]
    /// The same scalars folded: "zamowic". Same length as `lowered`.
    let folded: [Unicode.Scalar]
    /// For each position of `lowered`, the index of its scalar in the original text; one more
    /// entry maps the end.
    let originalOffsets: [Int]
    /// Alphanumeric runs and single symbols, in order.
    let tokens: [Token]
    /// The folded text of each token, computed once.
    let words: [String]

    /// Utterances are cut here: nobody orders shoes in more, and work stays bounded.
    static let maximumScalars = 2_000

    init(_ text: String) {
        var cased: [Unicode.Scalar] = []
        var lowered: [Unicode.Scalar] = []
        var folded: [Unicode.Scalar] = []
        var offsets: [Int] = []
        lowered.reserveCapacity(min(text.utf8.count, Self.maximumScalars))
        var index = 0
        for scalar in text.unicodeScalars {
            defer { index += 1 }
            if TextFolding.isCombiningMark(scalar) { continue }
            guard lowered.count < Self.maximumScalars else { break }
            cased.append(scalar)
            lowered.append(TextFolding.lowercase(scalar))
            folded.append(TextFolding.fold(scalar))
            offsets.append(index)
        }
        offsets.append(index)
        self.cased = cased
        self.lowered = lowered
        self.folded = folded
        self.originalOffsets = offsets
        let tokens = Token.split(folded)
        self.tokens = tokens
        var utf8: [UInt8] = []
        words = tokens.map { token in
            utf8.removeAll(keepingCapacity: true)
            for scalar in folded[token.range] { utf8.append(contentsOf: UTF8.encode(scalar)!) }
            return String(decoding: utf8, as: UTF8.self)
        }
    }

    /// The original-text scalar range of positions `range` of `lowered`.
    func originalRange(_ range: Range<Int>) -> Range<Int> {
        originalOffsets[range.lowerBound]..<(range.isEmpty ? originalOffsets[range.lowerBound]
            : originalOffsets[range.upperBound - 1] + 1)
    }


    /// The text of `token` as written.
    func casedText(_ token: Token) -> String {
        String(String.UnicodeScalarView(cased[token.range]))
    }

    /// Whether nothing separates two adjacent tokens (no space between them).
    func touching(_ first: Token, _ second: Token) -> Bool {
        first.range.upperBound == second.range.lowerBound
    }

    /// The scalars between two tokens, as a string of folded text (spaces included).
    func gap(_ first: Token, _ second: Token) -> String {
        String(String.UnicodeScalarView(folded[first.range.upperBound..<second.range.lowerBound]))
    }
}

/// A run of letters and digits, or one symbol (punctuation, emoji), in an analyzed text.
struct Token: Equatable {
    enum Kind: Equatable {
        /// Only letters.
        case word
        /// Only ASCII digits.
        case number
        /// Letters and digits together (`wro01m`, `2x`, `xl`).
        case mixed
        /// One non-alphanumeric, non-space scalar.
        case symbol
    }

    let range: Range<Int>
    let kind: Kind

    static func split(_ scalars: [Unicode.Scalar]) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if isAlphanumeric(scalar) {
                let start = index
                var letters = false
                var digits = false
                while index < scalars.count, isAlphanumeric(scalars[index]) {
                    if isDigit(scalars[index]) { digits = true } else { letters = true }
                    index += 1
                }
                tokens.append(Token(range: start..<index, kind: letters && digits ? .mixed : letters ? .word : .number))
            } else {
                if !isSpace(scalar), !isJoiner(scalar) {
                    tokens.append(Token(range: index..<(index + 1), kind: .symbol))
                }
                index += 1
            }
        }
        return tokens
    }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x80 ? scalar == " " || (0x09...0x0d).contains(scalar.value) : scalar.properties.isWhitespace
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 0x30 && scalar.value <= 0x39 }

    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (value >= 0x30 && value <= 0x39) || (value >= 0x61 && value <= 0x7a) || (value >= 0x41 && value <= 0x5a)
        }
        return scalar.properties.isAlphabetic
    }

    /// Zero-width joiners and variation selectors glue emoji together; they are not tokens.
    private static func isJoiner(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x200d || (0xfe00...0xfe0f).contains(scalar.value) || (0x1f3fb...0x1f3ff).contains(scalar.value)
    }
}
