/// Recognises product names in an utterance, tolerating inflection ("kurtkę", "kurtek" for
/// "kurtka") and typos (one edit in words of five letters or more, two from eight). A name is
/// also found by its distinctive words: those no other product's name has ("Motylek" of
/// "Sukienka tiulowa Motylek", "morska bryza" of "Sól do kąpieli Morska Bryza").
struct ProductMatcher: Sendable {
    private struct Candidate: Sendable {
        let productID: String
        /// The name's words, folded.
        let words: [String]
    }

    /// Candidates by the first two letters of their first word, for a quick look-up.
    private let candidates: [UInt64: [Candidate]]
    /// Each product's distinctive words, and every word of its names (to extend a match).
    private let distinctive: [(productID: String, words: [String], nameWords: Set<String>)]
    /// Positions in `distinctive` by the first two letters of each distinctive word: every way
    /// `sameBrandWord` accepts a word keeps them.
    private let distinctiveByKey: [UInt64: [Int]]

    /// Words too common to name a product alone, whatever a shop calls its products.
    private static let common: Set<String> = [
        "dzien", "dobry", "dobra", "wieczor", "witam", "czesc", "prosze", "dziekuje", "zamowienie", "zamowic", "sklep",
        "kolor", "rozmiar", "cena", "duzy", "duza", "duze", "maly", "mala", "male", "nowy", "nowa", "nowe", "good",
        "evening", "morning", "hello", "order", "please", "thanks", "size", "colour", "color", "price", "with", "from",
        "dla", "oraz", "that", "this",
    ]

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
        distinctive = Self.distinctiveWords(products)
        var byKey: [UInt64: [Int]] = [:]
        for (position, entry) in distinctive.enumerated() {
            for key in Set(entry.words.map { LetterKey.of(Substring($0), letters: 2) }) { byKey[key, default: []].append(position) }
        }
        distinctiveByKey = byKey
    }

    /// The brand words of each product: in two or more of its names (the Polish and the English
    /// name, an alias: "Motylek" of "Sukienka tiulowa Motylek" and "Motylek tulle dress"), in no
    /// other product's names, and long enough to mean something (four letters, or three for a
    /// word the shop capitalised: "Miś").
    private static func distinctiveWords(_ products: [ProductName]) -> [(productID: String, words: [String], nameWords: Set<String>)] {
        var owners: [String: Set<String>] = [:]
        var nameWords: [String: Set<String>] = [:]
        var namesHaving: [String: [String: Int]] = [:]
        var candidates: [String: Set<String>] = [:]
        for product in products {
            for name in product.names {
                var inThisName: Set<String> = []
                for written in name.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
                    let word = TextFolding.fold(written)
                    owners[word, default: []].insert(product.productID)
                    nameWords[product.productID, default: []].insert(word)
                    if inThisName.insert(word).inserted { namesHaving[product.productID, default: [:]][word, default: 0] += 1 }
                    let capitalised = written.first?.isUppercase == true
                    if word.count >= 4 || (capitalised && word.count == 3), word.allSatisfy(\.isLetter), !common.contains(word) {
                        candidates[product.productID, default: []].insert(word)
                    }
                }
            }
        }
        return products.compactMap { product in
            let words = (candidates[product.productID] ?? [])
                .filter { owners[$0]?.count == 1 && (namesHaving[product.productID]?[$0] ?? 0) >= 2 }
                .sorted()
            return words.isEmpty ? nil : (product.productID, words, nameWords[product.productID] ?? [])
        }
    }

    var isEmpty: Bool { candidates.isEmpty }

    func find(in scan: inout EntityScan) {
        guard !candidates.isEmpty else { return }
        var index = 0
        while index < scan.tokens.count {
            defer { index += 1 }
            guard scan.isFree(index..<(index + 1)), scan.tokens[index].kind != .symbol else { continue }
            if let found = fullName(at: index, in: scan).map({ (productID: $0.productID, start: index, count: $0.count) })
                ?? distinctiveName(at: index, in: scan) {
                scan.claim(found.start..<(found.start + found.count), kind: .product, value: found.productID)
                index = found.start + found.count - 1
            }
        }
    }

    /// A whole name or alias starting at `index`.
    private func fullName(at index: Int, in scan: EntityScan) -> (productID: String, count: Int)? {
        let word = scan.folded(index)
        guard let options = candidates[LetterKey.of(Substring(word), letters: 2)] else { return nil }
        return options.first { matches($0, at: index, in: scan) }.map { ($0.productID, $0.words.count) }
    }

    /// A product's distinctive word at `index`, with the words of its names around it
    /// ("sól morska bryza"): only when exactly one product has such a word.
    private func distinctiveName(at index: Int, in scan: EntityScan) -> (productID: String, start: Int, count: Int)? {
        let word = scan.folded(index)
        guard word.count >= 3, scan.tokens[index].kind == .word else { return nil }
        let owners = (distinctiveByKey[LetterKey.of(Substring(word), letters: 2)] ?? []).map { distinctive[$0] }
            .filter { entry in entry.words.contains { Self.sameBrandWord(word, $0) } }
        guard owners.count == 1, let owner = owners.first else { return nil }
        var end = index + 1
        while end < scan.tokens.count, scan.isFree(end..<(end + 1)), scan.tokens[end].kind == .word,
              owner.nameWords.contains(where: { Self.sameWord(scan.folded(end), $0) }) {
            end += 1
        }
        var start = index
        while start > 0, scan.isFree((start - 1)..<start), scan.tokens[start - 1].kind == .word,
              owner.nameWords.contains(where: { Self.sameWord(scan.folded(start - 1), $0) }) {
            start -= 1
        }
        return (owner.productID, start, end - start)
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

    /// Whether a word alone is a product's brand word: the same word, the same stem, one typo in
    /// a longer word (after its first two letters), or an inflection that keeps five letters ("motylka" of "motylek"). Looser
    /// matches would take "there" for "Thermo".
    static func sameBrandWord(_ word: String, _ name: String) -> Bool {
        if word == name || Stemmer.stem(word) == Stemmer.stem(name) { return true }
        // Typos keep the first two letters, as the whole-name look-up assumes ("Wrona" is a
        // surname, not "Werona").
        if min(word.count, name.count) >= 5, word.prefix(2) == name.prefix(2),
           EditDistance.within(1, Array(word.unicodeScalars), Array(name.unicodeScalars)) { return true }
        let shared = zip(word, name).prefix { $0 == $1 }.count
        return shared >= 5 && abs(word.count - name.count) <= 2 && shared >= min(word.count, name.count) - 2
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

/// Whether two folded words are the same word, inflected or mistyped ("świec" and "świeca",
/// "kurtke" and "kurtka"): how a shop's names meet customers' words.
public enum WordForms {
    /// The same word when it stands alone, with no other word of a name to back it up: its
    /// stem, one typo after the first two letters, or an inflection that keeps five letters.
    /// Every way keeps the first two letters (callers index names by them).
    public static func sameAlone(_ word: String, _ name: String) -> Bool {
        ProductMatcher.sameBrandWord(word, name)
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
