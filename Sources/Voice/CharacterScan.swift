/// The characters of a text with the look-ahead and look-behind questions a hand-written
/// scanner asks; positions outside the text answer nil or false.
struct CharacterScan {
    /// The text's characters (grapheme clusters), so an emoji sequence is one of them.
    let characters: [Character]

    init(_ text: String) {
        characters = Array(text)
    }

    var count: Int { characters.count }

    /// The character at `index`; nil outside the text.
    subscript(index: Int) -> Character? {
        characters.indices.contains(index) ? characters[index] : nil
    }

    /// `characters[range]` as a string.
    func text(_ range: Range<Int>) -> String {
        String(characters[range])
    }

    /// Whether an ASCII digit (not another script's) stands at `index`.
    func isDigit(_ index: Int) -> Bool {
        guard let ascii = self[index]?.asciiValue else { return false }
        return Self.asciiDigits.contains(ascii)
    }

    /// Whether a letter or digit of any script stands at `index`.
    func isLetterOrDigit(_ index: Int) -> Bool {
        guard let character = self[index] else { return false }
        if let ascii = character.asciiValue {
            return Self.asciiDigits.contains(ascii) || Self.asciiLowercaseLetters.contains(ascii | 0x20)
        }
        return character.isLetter || character.isNumber
    }

    /// How many ASCII digits follow from `index` on.
    func digitRun(from index: Int) -> Int {
        var end = index
        while isDigit(end) { end += 1 }
        return end - index
    }

    /// How many letters (any script) follow from `index` on.
    func letterRun(from index: Int) -> Int {
        var end = index
        while let character = self[end], character.isLetter { end += 1 }
        return end - index
    }

    /// The first index from `index` on that is not a horizontal space.
    func skippingSpaces(from index: Int) -> Int {
        var end = index
        while let character = self[end], character.isWhitespace, !character.isNewline { end += 1 }
        return end
    }

    /// Whether a word or number may start at `index`: nothing alphanumeric just before it.
    func startsWord(at index: Int) -> Bool {
        !isLetterOrDigit(index - 1)
    }

    /// Whether only horizontal spaces separate `index` from the start of its line.
    func startsLine(at index: Int) -> Bool {
        var before = index - 1
        while let character = self[before], character.isWhitespace, !character.isNewline { before -= 1 }
        return self[before]?.isNewline ?? true
    }

    /// Whether `prefix` is spelt at `index`; with `ignoringCase`, ASCII letters of either case
    /// match a lowercase `prefix`.
    func has(_ prefix: String, at index: Int, ignoringCase: Bool = false) -> Bool {
        var position = index
        for expected in prefix {
            guard let character = self[position] else { return false }
            let same = ignoringCase ? Self.asciiLowercase(character) == expected : character == expected
            guard same else { return false }
            position += 1
        }
        return true
    }

    /// Whether the word `word` (exact case) stands at `index`, not followed by another letter.
    func hasWord(_ word: String, at index: Int) -> Bool {
        has(word, at: index) && !(self[index + word.count]?.isLetter ?? false)
    }

    private static let asciiDigits = UInt8(ascii: "0")...UInt8(ascii: "9")
    private static let asciiLowercaseLetters = UInt8(ascii: "a")...UInt8(ascii: "z")

    private static func asciiLowercase(_ character: Character) -> Character {
        guard let ascii = character.asciiValue, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(ascii) else { return character }
        return Character(Unicode.Scalar(ascii | 0x20))
    }
}
