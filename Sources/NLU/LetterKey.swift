/// The first few scalars of a word packed into a number: a cheap dictionary key.
enum LetterKey {
    static func of(_ word: Substring, letters: Int) -> UInt64 {
        var key: UInt64 = 0
        for scalar in word.unicodeScalars.prefix(letters) { key = key << 21 | UInt64(scalar.value) }
        return key
    }
}
