/// A token as `SpokenDigits` reads it: a word looked up once, a digit string, or one symbol.
struct SpokenToken {
    enum Kind: Equatable {
        /// A word that means something to the digit reader.
        case spoken(SpokenWord)
        /// Any other word: letters, or letters and digits together.
        case word
        /// Only ASCII digits.
        case digits
        /// One scalar that is neither a letter, a digit nor a space.
        case symbol(Unicode.Scalar)
    }

    /// Where the token stands in the text, in UTF-8 bytes.
    let range: Range<Int>
    let kind: Kind

    /// "plus" or "+": a country code may follow.
    var announcesCountryCode: Bool { kind == .spoken(.plus) || kind == .symbol("+") }
}

/// What a folded word means to the digit reader.
enum SpokenWord: Equatable {
    /// 0–9: "zero", "pięć", "five".
    case digit(Int)
    /// 10–19: "dziesięć", "osiemnaście", "twelve".
    case teen(Int)
    /// 20–90: "pięćdziesiąt", "forty".
    case tens(Int)
    /// 100–900 in one word: "sto", "sześćset".
    case hundreds(Int)
    /// English "hundred": hundreds of the unit said before it.
    case hundred
    /// "oh": a zero, but only after a number ("five oh one"), not as an exclamation before one.
    case zeroAfterNumber
    /// "double", "triple": the next digit, said that many times.
    case repeatNext(Int)
    /// "plus": a country code follows.
    case plus
    /// "rozmiar", "size": what follows are sizes, not a code.
    case sizeWord
    /// "ulica", "aleja", "street": an address is being said, with a house number before its
    /// postcode.
    case streetWord

    /// The digit "double" or "triple" before this word repeats ("double oh" is 00); nil for other words.
    var repeatableDigit: Int? {
        switch self {
        case .digit(let digit): digit
        case .zeroAfterNumber: 0
        case .teen, .tens, .hundreds, .hundred, .repeatNext, .plus, .sizeWord, .streetWord: nil
        }
    }

    /// The meaning of a folded word, nil for a word that has none.
    static func of(_ key: FoldedWordKey) -> SpokenWord? {
        guard key.isValid, lengthsByFirstLetter[key.first] & 1 << key.count != 0 else { return nil }
        return table[key]
    }

    /// For each first letter (1–26), a bit for each length of the table's words that start with
    /// it: most words are ruled out before any hashing.
    private static let lengthsByFirstLetter: [UInt32] = table.keys.reduce(into: Array(repeating: 0, count: 27)) { lengths, key in
        lengths[key.first] |= 1 << key.count
    }

    private static let table: [FoldedWordKey: SpokenWord] = {
        var table: [FoldedWordKey: SpokenWord] = [:]
        // "ten" is also the Polish "this" ("ten sam rozmiar"), so it never counts as 10 here.
        for (word, value) in NumberWords.units where word != "ten" {
            table[FoldedWordKey(word)] = value < 10 ? .digit(value) : .teen(value)
        }
        for (word, value) in NumberWords.tens { table[FoldedWordKey(word)] = .tens(value) }
        let hundreds = ["sto", "dwiescie", "trzysta", "czterysta", "piecset", "szescset", "siedemset", "osiemset", "dziewiecset"]
        for (offset, word) in hundreds.enumerated() { table[FoldedWordKey(word)] = .hundreds(100 * (offset + 1)) }
        let others: [(String, SpokenWord)] = [
            ("hundred", .hundred), ("oh", .zeroAfterNumber), ("double", .repeatNext(2)), ("triple", .repeatNext(3)),
            ("plus", .plus),
        ]
        for (word, meaning) in others { table[FoldedWordKey(word)] = meaning }
        for word in ["rozmiar", "rozmiaru", "rozmiarze", "rozmiary", "rozmiarow", "rozmiarach", "size", "sizes"] {
            table[FoldedWordKey(word)] = .sizeWord
        }
        for word in ["ulica", "ulicy", "ulice", "ul", "aleja", "alei", "al", "osiedle", "osiedlu", "plac", "placu", "street",
                     "road", "avenue"] {
            table[FoldedWordKey(word)] = .streetWord
        }
        return table
    }()
}

/// A folded word of up to 24 letters a–z, five bits a letter in two numbers, so a word is looked
/// up without building a String. Letters count from 1, so words of different lengths never meet.
struct FoldedWordKey: Hashable {
    private var high: UInt64 = 0
    private var low: UInt64 = 0
    /// How many letters, and the first of them (a = 1 … z = 26; 0 while empty).
    private(set) var count = 0
    private(set) var first = 0
    /// False once something other than a–z was appended, or a 25th letter.
    private(set) var isValid = true

    init() {}

    init(_ word: String) {
        for scalar in word.unicodeScalars { append(scalar) }
    }

    /// One number to hash: the letters determine the rest.
    func hash(into hasher: inout Hasher) {
        hasher.combine(low ^ high &* 0x9e37_79b9_7f4a_7c15)
    }

    /// Adds the next letter, already folded.
    mutating func append(_ folded: Unicode.Scalar) {
        guard isValid, (0x61...0x7a).contains(folded.value), count < 24 else {
            isValid = false
            return
        }
        let letter = Int(folded.value - 0x60)
        if count == 0 { first = letter }
        if count < 12 { low = low << 5 | UInt64(letter) } else { high = high << 5 | UInt64(letter) }
        count += 1
    }
}

/// The tokens of a UTF-8 text in order: runs of letters and digits (combining marks inside them
/// are skipped) and single symbols; spaces only separate.
struct SpokenTokens: IteratorProtocol {
    /// Valid UTF-8, as a Swift string holds it.
    private let bytes: UnsafeBufferPointer<UInt8>
    private var offset = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func next() -> SpokenToken? {
        while offset < bytes.count, case let (scalar, next) = scalar(at: offset), Token.isSpace(scalar) { offset = next }
        guard offset < bytes.count else { return nil }
        let start = offset
        let (first, afterFirst) = scalar(at: offset)
        guard Token.isAlphanumeric(first) else {
            offset = afterFirst
            return SpokenToken(range: start..<offset, kind: .symbol(first))
        }
        var key = FoldedWordKey()
        var letters = false
        var digits = false
        while offset < bytes.count {
            let (scalar, next) = scalar(at: offset)
            if Token.isDigit(scalar) {
                digits = true
            } else if Token.isAlphanumeric(scalar) {
                letters = true
                key.append(TextFolding.fold(scalar))
            } else if !TextFolding.isCombiningMark(scalar) {
                break
            }
            offset = next
        }
        let kind: SpokenToken.Kind = switch (letters, digits) {
        case (false, _): .digits
        case (true, false): SpokenWord.of(key).map { .spoken($0) } ?? .word
        case (true, true): .word
        }
        return SpokenToken(range: start..<offset, kind: kind)
    }

    /// The scalar that starts at byte `offset`, and where the next one starts.
    private func scalar(at offset: Int) -> (Unicode.Scalar, next: Int) {
        let lead = bytes[offset]
        if lead < 0x80 { return (Unicode.Scalar(lead), offset + 1) }
        let length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2
        var value = UInt32(lead & (0x7f >> length))
        for continuation in bytes[(offset + 1)..<(offset + length)] { value = value << 6 | UInt32(continuation & 0x3f) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", offset + length)
    }
}
