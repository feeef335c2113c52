/// Recognises a shop's own colours and sizes in a message, whatever form the customer uses, and
/// names them as the catalog does (the entity's value is the catalog's word).
///
/// - A colour is matched by its stem in any case and gender ("czarny" ← "czarne", "w czarnym",
///   "czarną"), and by every word of its group in the general colour list ("black", "czarn*" for
///   a shop that writes "Black" or "czarny"). A shop's word that list does not know ("bordowy",
///   "miętowy") is still matched by its stem.
/// - A size is matched as written with any spacing and unit word ("200 ml" ← "200ml", "200
///   mililitrów"; "1 kg" ← "1 kilogram"; "48-50" ← "48/50"), and a bare number that is one of
///   the catalog's sizes ("104") when nothing says it is something else.
struct CatalogMatcher: Sendable {
    private struct SizePattern: Sendable {
        let value: String
        /// Folded words, each an alternative set (a unit and its synonyms).
        let words: [[String]]
    }

    /// The shop's colour words by their own stems: tried first.
    private let ownColours: PhraseIndex
    /// One-word shop colours by their stem ("rozow" of "różowy"), for mistyped forms, by the
    /// stem's first letter (a typo keeps it).
    private let colourStems: [Character: [(stem: String, value: String)]]
    /// Words of each shop colour's group in the general list.
    private let groupColours: PhraseIndex
    private let sizes: [SizePattern]
    /// `sizes` by the words their first word can be, for one look-up per token.
    private let sizesByFirstWord: [String: [SizePattern]]
    /// Catalog sizes that are bare whole numbers, by value.
    private let numericSizes: [Int: String]
    /// Letter sizes as they are said ("em", "iks el"), each with the catalog's size, by their
    /// first word (said words are exact, not stems), longest first.
    private let spokenLetterSizes: [String: [SizePattern]]
    /// Catalog sizes that are amounts ("500 g", "1 kg", "250 ml"), by their amount in grams or
    /// millilitres: "pół kilo" and "półkilogramowa" are "500 g".
    private let sizesByAmount: [Amount: String]

    init(_ terms: CatalogTerms = CatalogTerms(), colourLexicon: Lexicon?) {
        let names = ColourNames(lexicon: colourLexicon)
        var own: [Lexicon.Phrase] = []
        var grouped: [Lexicon.Phrase] = []
        var claimedGroups: Set<String> = []
        for colour in Self.unique(terms.colors) {
            let words = TextFolding.fold(colour).split(separator: " ").map(String.init)
            guard !words.isEmpty else { continue }
            own.append(Lexicon.Phrase(value: colour, words: words.map(Self.stemPattern)))
            if let group = names.group(of: colour), claimedGroups.insert(group).inserted {
                grouped += names.phrases(of: group).map { Lexicon.Phrase(value: colour, words: $0.words.map(Inflection.stemmed)) }
            }
        }
        ownColours = PhraseIndex([(Lexicon(phrases: own), .color)])
        colourStems = Dictionary(grouping: own.compactMap { phrase -> (stem: String, value: String)? in
            guard phrase.words.count == 1, phrase.words[0].last == Inflection.marker, phrase.words[0].count >= 6 else { return nil }
            return (String(phrase.words[0].dropLast()), phrase.value)
        }, by: { $0.stem.first! })
        groupColours = PhraseIndex([(Lexicon(phrases: grouped), .color)])
        let catalogSizes = Self.unique(terms.sizes)
        var sizes: [SizePattern] = []
        var numeric: [Int: String] = [:]
        for size in catalogSizes {
            let scalars = Array(TextFolding.fold(size).unicodeScalars)
            let words = Token.split(scalars).map { String(String.UnicodeScalarView(scalars[$0.range])) }
            guard !words.isEmpty else { continue }
            if words.count == 1, let number = Int(words[0]) { numeric[number] = size }
            sizes.append(SizePattern(value: size, words: words.map(Self.alternatives)))
        }
        self.sizes = sizes.sorted { $0.words.count > $1.words.count }
        var byFirst: [String: [SizePattern]] = [:]
        for pattern in self.sizes {
            for first in pattern.words[0] { byFirst[first, default: []].append(pattern) }
        }
        sizesByFirstWord = byFirst
        numericSizes = numeric
        sizesByAmount = Dictionary(catalogSizes.compactMap { size in Amount(written: size).map { ($0, size) } },
                                   uniquingKeysWith: { first, _ in first })
        spokenLetterSizes = Dictionary(grouping: catalogSizes.flatMap { size in
            (Self.spokenLetters[TextFolding.fold(size)] ?? []).map { SizePattern(value: size, words: $0.split(separator: " ").map { [String($0)] }) }
        }.sorted { $0.words.count > $1.words.count }, by: { $0.words[0][0] })
    }

    var isEmpty: Bool { ownColours.isEmpty && sizes.isEmpty }

    /// How letter sizes are said in Polish and English.
    private static let spokenLetters: [String: [String]] = [
        "xs": ["iks es", "x s", "extra small"], "s": ["es", "eska", "small"], "m": ["em", "emka", "medium"],
        "l": ["el", "elka", "large"], "xl": ["iks el", "x l", "extra large"], "xxl": ["dwa iks el", "podwojne iks el", "double x l"],
    ]

    private static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty && seen.insert($0).inserted }
    }

    /// An adjective's stem as a stem pattern ("czarny" → "czarn~", "niebieska" → "niebiesk~",
    /// matching the stem with an inflectional ending); other words as they are.
    static func stemPattern(_ word: String) -> String {
        guard word.count >= 5, let last = word.last, "yiaeo".contains(last), word.allSatisfy(\.isLetter) else { return word }
        return word.dropLast() + String(Inflection.marker)
    }

    /// A size word and the words said for it: units by their names, a range's dash as a slash.
    private static func alternatives(_ word: String) -> [String] {
        switch word {
        case "ml": ["ml", "mililitr*", "mililitr"]
        case "l": ["l", "litr*", "litr"]
        case "g": ["g", "gr", "gram*", "gram"]
        case "kg": ["kg", "kilo", "kilogram*", "kilogram"]
        case "cm": ["cm", "centymetr*", "centymetr"]
        case "-", "/": ["-", "/"]
        default: [word]
        }
    }

    // MARK: - Finding

    /// Catalog sizes as written: before the general size and quantity recognisers, so "1 kg"
    /// is a size and not one item.
    func findSizes(in scan: inout EntityScan) {
        guard !sizes.isEmpty else { return }
        var index = 0
        while index < scan.tokens.count {
            defer { index += 1 }
            guard scan.isFree(index..<(index + 1)) else { continue }
            if let found = size(at: index, in: scan) {
                scan.claim(index..<(index + found.count), kind: .size, value: found.value)
                index += found.count - 1
            }
        }
    }

    private func size(at index: Int, in scan: EntityScan) -> (value: String, count: Int)? {
        // "rozmiar sto cztery", "rozmiar em": sizes said in words, after a size keyword or as
        // the whole message.
        let announced = index > 0 && scan.roles[index - 1].contains(.sizeKeyword)
        if scan.tokens[index].kind == .word, let spoken = scan.spoken[index], let value = numericSizes[spoken.value],
           announced || spoken.value >= 16 && index + spoken.tokenCount == scan.tokens.count {
            return (value, spoken.tokenCount)
        }
        for pattern in spokenLetterSizes[scan.folded(index)] ?? [] where matches(pattern.words, at: index, in: scan) {
            if announced || (index == 0 && pattern.words.count == scan.tokens.count) { return (pattern.value, pattern.words.count) }
        }
        if !sizesByAmount.isEmpty, let said = Amount.said(at: index, in: scan), let value = sizesByAmount[said.amount] {
            return (value, said.count)
        }
        let token = scan.folded(index)
        // "200ml" is looked up by its number.
        let lookUp = scan.tokens[index].kind == .mixed ? String(token.prefix { $0.isNumber }) : token
        for pattern in sizesByFirstWord[lookUp] ?? [] where pattern.words.count > 1 || Int(pattern.words[0][0]) == nil {
            if matches(pattern.words, at: index, in: scan) {
                guard pattern.words.count > 1 || isShortSizeWritten(at: index, in: scan) else { continue }
                return (pattern.value, pattern.words.count)
            }
            // "200ml" written as one token.
            if pattern.words.count == 2, scan.tokens[index].kind == .mixed,
               pattern.words[1].contains(where: { scan.folded(index) == pattern.words[0][0] + $0 }) {
                return (pattern.value, 1)
            }
        }
        guard scan.tokens[index].kind == .number, let number = Int(scan.folded(index)), let value = numericSizes[number],
              isBareSize(number, at: index, in: scan) else { return nil }
        return (value, 1)
    }

    /// A short size word ("S", "M", "XL", "uni") is a size only when it is written in capitals
    /// (a single letter not opening the message) or follows a size keyword: "s" of "that's", the
    /// word "m" or an "l" are not sizes.
    private func isShortSizeWritten(at index: Int, in scan: EntityScan) -> Bool {
        let word = scan.folded(index)
        guard word.count <= 4 else { return true }
        if index > 0, scan.roles[index - 1].contains(.sizeKeyword) { return true }
        let written = scan.text.casedText(scan.tokens[index])
        return written == written.uppercased() && !(word.count == 1 && index == 0)
    }

    /// A bare number is a catalog size unless it is small enough to be a count, is followed by
    /// a unit or a word that says it counts something else, follows a street or number word, or
    /// stands in an address (the message has a postcode: "Lipowa 104, 31-222 Kraków").
    private func isBareSize(_ number: Int, at index: Int, in scan: EntityScan) -> Bool {
        guard number >= 16, !scan.contains(.postcode) else { return false }
        let next = index + 1
        if next < scan.tokens.count, !scan.roles[next].isEmpty, !scan.roles[next].contains(.sizeKeyword) { return false }
        if index > 0, ["ul", "ulica", "ulicy", "al", "aleja", "os", "osiedle", "m", "lok", "nr", "numer"].contains(scan.folded(index - 1)) {
            return false
        }
        return true
    }

    private func matches(_ words: [[String]], at index: Int, in scan: EntityScan) -> Bool {
        guard index + words.count <= scan.tokens.count, scan.isFree(index..<(index + words.count)) else { return false }
        for (offset, alternatives) in words.enumerated() {
            let token = scan.folded(index + offset)
            guard alternatives.contains(where: { Inflection.matches($0, token) }) else { return false }
        }
        return true
    }

    /// The shop's colours: its own words first, then their groups' words.
    func findColours(in scan: inout EntityScan) {
        scan.findPhrases(ownColours)
        scan.findPhrases(groupColours)
        findMistypedColours(in: &scan)
    }

    /// A shop colour with one typo in its stem ("różwą", "fiolteowa" of "różowy", "fioletowy"): a word
    /// of five letters or more that begins like the stem, one edit apart, ends in an inflectional
    /// ending, and is nothing else ("Zieliński" is not "zielony").
    private func findMistypedColours(in scan: inout EntityScan) {
        guard !colourStems.isEmpty else { return }
        for index in scan.tokens.indices where scan.isFree(index..<(index + 1)) && scan.tokens[index].kind == .word {
            let word = scan.folded(index)
            guard word.count >= 5, let first = word.first, let candidates = colourStems[first] else { continue }
            let matches = candidates.filter { entry in
                [-1, 0, 1].contains { extra in
                    Inflection.isEnding(word.dropFirst(entry.stem.count + extra))
                        && EditDistance.within(1, Array(word.prefix(entry.stem.count + extra).unicodeScalars), Array(entry.stem.unicodeScalars))
                }
            }
            guard matches.count == 1, let match = matches.first else { continue }
            scan.claim(index..<(index + 1), kind: .color, value: match.value)
        }
    }
}

/// An amount of a product: grams or millilitres, as a catalog writes it ("500 g", "1 kg", "0,5 l")
/// or a customer says it ("pół kilo", "półkilogramowa", "0,5 kg", "litrowa").
struct Amount: Hashable, Sendable {
    enum Unit: Hashable, Sendable {
        case grams
        case millilitres
    }

    let unit: Unit
    let value: Int

    /// Units by their folded words and how many grams or millilitres one of them is.
    private static let units: [(prefix: String, exact: Bool, unit: Unit, size: Int)] = [
        ("kg", true, .grams, 1_000), ("kilo", false, .grams, 1_000), ("g", true, .grams, 1), ("gr", true, .grams, 1),
        ("gram", false, .grams, 1), ("ml", true, .millilitres, 1), ("mililitr", false, .millilitres, 1),
        ("l", true, .millilitres, 1_000), ("litr", false, .millilitres, 1_000),
    ]

    init?(unit: Unit, value: Int) {
        guard value > 0 else { return nil }
        self.unit = unit
        self.value = value
    }

    /// No shop sells more than this many grams or millilitres in one item (a tonne, 1,000 litres):
    /// a number beyond it is not an amount, and would not fit an `Int` much further on.
    static let largest = 1_000_000

    /// An amount from a number as typed (rounded to whole grams or millilitres), or nil when it is
    /// none: not positive, or over `largest` ("0888…8,0 ml", "1e300 kg").
    init?(unit: Unit, measured: Double) {
        guard measured.isFinite, measured < Double(Self.largest) + 0.5 else { return nil }
        self.init(unit: unit, value: Int(measured.rounded()))
    }

    /// A catalog size that is a number and a unit.
    init?(written: String) {
        let parts = TextFolding.fold(written).replacingOccurrences(of: ",", with: ".").split(separator: " ")
        guard parts.count == 2, let number = Double(parts[0]), let unit = Self.unit(String(parts[1])) else { return nil }
        self.init(unit: unit.unit, measured: number * Double(unit.size))
    }

    private static func unit(_ word: String) -> (unit: Unit, size: Int)? {
        units.first { $0.exact ? word == $0.prefix : word.hasPrefix($0.prefix) }.map { ($0.unit, $0.size) }
    }

    /// An amount said at `index`: "pół kilo", "0,5 kg", "półtora litra", "półkilogramowa",
    /// "kilogramowa", "litrowa"; with how many tokens it took.
    static func said(at index: Int, in scan: EntityScan) -> (amount: Amount, count: Int)? {
        let word = scan.folded(index)
        // Most words are none of these: a number, "pol…", "kilogram…", "litr…", "half".
        guard scan.tokens[index].kind == .number || ["pol", "kilogram", "litr", "half"].contains(where: word.hasPrefix) else {
            return nil
        }
        // One word: "polkilogramowa", "kilogramowej", "litrowa", "polLitrowa".
        for (prefix, half) in [("pol", true), ("", false)] where word.hasPrefix(prefix) {
            let rest = String(word.dropFirst(prefix.count))
            for (stem, unit, size) in [("kilogramow", Unit.grams, 1_000), ("litrow", .millilitres, 1_000)] where rest.hasPrefix(stem) {
                return Amount(unit: unit, value: half ? size / 2 : size).map { ($0, 1) }
            }
        }
        guard index + 1 < scan.tokens.count else { return nil }
        let halves: [String: Double] = ["pol": 0.5, "poltora": 1.5, "half": 0.5]
        if let factor = halves[word], let unit = unit(scan.folded(index + 1)) {
            return Amount(unit: unit.unit, value: Int(factor * Double(unit.size))).map { ($0, 2) }
        }
        // "1000 g" for a shop that writes "1 kg".
        if scan.tokens[index].kind == .number, let number = Int(word), let unit = unit(scan.folded(index + 1)) {
            return Amount(unit: unit.unit, measured: Double(number) * Double(unit.size)).map { ($0, 2) }
        }
        // "0,5 kg": digits, a comma or dot touching, digits, then the unit.
        if scan.tokens[index].kind == .number, index + 3 < scan.tokens.count, [",", "."].contains(scan.folded(index + 1)),
           scan.tokens[index + 2].kind == .number, let number = Double(word + "." + scan.folded(index + 2)),
           let unit = unit(scan.folded(index + 3)) {
            return Amount(unit: unit.unit, measured: number * Double(unit.size)).map { ($0, 4) }
        }
        return nil
    }
}
