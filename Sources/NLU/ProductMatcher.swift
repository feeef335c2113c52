/// Recognises product names in an utterance, tolerating inflection ("kurtkę", "kurtek" for
/// "kurtka") and typos (one edit in words of five letters or more, two from eight).
struct ProductMatcher: Sendable {
    private struct Candidate: Sendable {
        let productID: String
        /// The name's words, folded.
        let words: [String]
    }

    /// Candidates by the first two letters of their first word, for a quick look-up.
    private let candidates: [UInt64: [Candidate]]

    init(_ products: [ProductName]) {
        var index: [UInt64: [Candidate]] = [:]
        for product in products {
            for name in product.names {
                let scalars = Array(TextFolding.fold(name).unicodeScalars)
                let words = Token.split(scalars)
                    .filter { $0.kind != .symbol }
                    .map { token in String(String.UnicodeScalarView(scalars[token.range])) }
                guard let first = words.first else { continue }
                index[LetterKey.of(Substring(first), letters: 2), default: []]
                    .append(Candidate(productID: product.productID, words: words))
            }
        }
        candidates = index.mapValues { $0.sorted { $0.words.count > $1.words.count } }
    }

    var isEmpty: Bool { candidates.isEmpty }

    func find(in scan: inout EntityScan) {
        guard !candidates.isEmpty else { return }
        var index = 0
        while index < scan.tokens.count {
            defer { index += 1 }
            guard scan.isFree(index..<(index + 1)), scan.tokens[index].kind != .symbol else { continue }
            let word = scan.folded(index)
            guard let options = candidates[LetterKey.of(Substring(word), letters: 2)] else { continue }
            for candidate in options where matches(candidate, at: index, in: scan) {
                scan.claim(index..<(index + candidate.words.count), kind: .product, value: candidate.productID)
                index += candidate.words.count - 1
                break
            }
        }
    }

    private func matches(_ candidate: Candidate, at index: Int, in scan: EntityScan) -> Bool {
        guard index + candidate.words.count <= scan.tokens.count, scan.isFree(index..<(index + candidate.words.count))
        else { return false }
        for (offset, expected) in candidate.words.enumerated() {
            guard scan.tokens[index + offset].kind != .symbol, Self.sameWord(scan.folded(index + offset), expected) else {
                return false
            }
        }
        return true
    }

    /// Whether an utterance word and a name word are the same word, inflected or mistyped.
    static func sameWord(_ word: String, _ name: String) -> Bool {
        if word == name { return true }
        let wordStem = Stemmer.stem(word)
        let nameStem = Stemmer.stem(name)
        if wordStem == nameStem { return true }
        let shorter = min(wordStem.count, nameStem.count)
        // An inflected form shares the stem and differs in a short ending ("kurtk"/"kurtka"); a
        // long difference is another word ("there"/"thermogrip").
        if shorter >= 4, abs(wordStem.count - nameStem.count) <= 3, wordStem.hasPrefix(nameStem) || nameStem.hasPrefix(wordStem) {
            return true
        }
        guard shorter >= 4 else { return false }
        let allowed = max(word.count, name.count) >= 8 ? 2 : 1
        return EditDistance.within(allowed, Array(wordStem.unicodeScalars), Array(nameStem.unicodeScalars))
    }
}

/// Damerau–Levenshtein distance (with adjacent transpositions), bounded for speed.
enum EditDistance {
    /// Whether `a` and `b` are at most `limit` edits apart.
    static func within(_ limit: Int, _ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
        guard abs(a.count - b.count) <= limit else { return false }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) <= limit }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return false }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count] <= limit
    }
}
