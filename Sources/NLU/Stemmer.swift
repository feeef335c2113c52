/// A light, language-agnostic stemmer for folded words: strips one common Polish or English
/// inflectional ending, so "kurtke", "kurtki", "kurtka" meet at "kurtk" and "shoes" at "shoe".
/// It does not try to be right about every word, only to give the classifier and the product
/// matcher a shared form.
enum Stemmer {
    /// Endings tried longest first, grouped by their last byte; a stem keeps at least three bytes.
    private static let endingsByLastByte: [UInt8: [[UInt8]]] = Dictionary(grouping: [
        "owie", "ami", "ach", "ego", "emu", "ymi", "imi", "ych", "ich", "iej", "ing", "om", "ow", "em", "ie", "ia", "iu",
        "ej", "es", "ed", "y", "i", "a", "e", "u", "o", "s",
    ].map { Array($0.utf8) }, by: { $0.last! }).mapValues { $0.sorted { $0.count > $1.count } }

    static func stem(_ word: String) -> String {
        var word = word
        return word.withUTF8 { bytes in
            guard bytes.count > 4, let last = bytes.last, let endings = endingsByLastByte[last] else { return nil }
            for ending in endings where bytes.count - ending.count >= 3 && bytes.suffix(ending.count).elementsEqual(ending) {
                return String(decoding: bytes.dropLast(ending.count), as: UTF8.self)
            }
            return nil
        } ?? word
    }
}
