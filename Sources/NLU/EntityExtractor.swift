import ShopValues

/// Finds the entities of an utterance. Recognisers run from the most specific pattern to the
/// loosest (an e-mail before a phone before an order number before a size …); each claims its
/// tokens, so one stretch of text is never two entities.
public struct EntityExtractor: Sendable {
    /// The word lists that name entities (colours, delivery and payment methods), in one index.
    let phrases: PhraseIndex
    let products: ProductMatcher
    /// The shop's colours and sizes.
    let catalog: CatalogMatcher
    /// The general colour list, from which a shop's colours get their groups' words.
    let colourLexicon: Lexicon?

    /// The word lists of Intents/entities and the entity kinds they name.
    static let lexiconKinds: [(file: String, kind: Entity.Kind)] = [
        ("color", .color), ("delivery_method", .deliveryMethod), ("payment_method", .paymentMethod),
    ]

    /// An extractor with the word lists of the corpus and the products to recognise.
    public init(lexicons: [String: Lexicon], products: [ProductName] = []) {
        self.init(lexicons: lexicons, catalog: CatalogTerms(products: products))
    }

    /// An extractor with the word lists of the corpus and a shop's own words.
    public init(lexicons: [String: Lexicon], catalog: CatalogTerms) {
        phrases = PhraseIndex(Self.lexiconKinds.compactMap { entry in
            // Colours are adjectives: "czarn*" of the list matches "czarne", not "Czarnecki".
            lexicons[entry.file].map { (entry.kind == .color ? $0.stemmed : $0, entry.kind) }
        })
        colourLexicon = lexicons["color"]
        products = ProductMatcher(catalog.products)
        self.catalog = CatalogMatcher(catalog, colourLexicon: colourLexicon)
    }

    /// The same extractor recognising the shop's words in `catalog` instead.
    public func with(catalog terms: CatalogTerms) -> EntityExtractor {
        EntityExtractor(
            phrases: phrases, products: ProductMatcher(terms.products), catalog: CatalogMatcher(terms, colourLexicon: colourLexicon),
            colourLexicon: colourLexicon)
    }

    private init(phrases: PhraseIndex, products: ProductMatcher, catalog: CatalogMatcher, colourLexicon: Lexicon?) {
        self.phrases = phrases
        self.products = products
        self.catalog = catalog
        self.colourLexicon = colourLexicon
    }

    /// The entities of `text`, in text order.
    public func extract(from text: String) -> [Entity] {
        extract(AnalyzedText(text))
    }

    func extract(_ text: AnalyzedText) -> [Entity] {
        scan(text).entities.sorted { $0.start < $1.start }
    }

    /// Runs every recogniser over `text`; the scan knows which entity covers each token.
    func scan(_ text: AnalyzedText) -> EntityScan {
        var scan = EntityScan(text: text)
        scan.findEmails()
        scan.findPhones()
        scan.findNIPs()
        scan.findPostcodes()
        scan.findOrderNumbers()
        scan.findLockerCodes()
        catalog.findSizes(in: &scan)
        scan.findSizes()
        scan.findQuantities()
        scan.findBareSizes()
        // Product names before colour words: "Biała Róża" is a name, "białą" after it a colour.
        products.find(in: &scan)
        catalog.findColours(in: &scan)
        scan.findPhrases(phrases)
        return scan
    }
}

/// The working state of one extraction: which tokens are claimed, and what was found.
struct EntityScan {
    let text: AnalyzedText
    private(set) var entities: [Entity] = []
    /// For each token, the kind of the entity that covers it, if one does.
    private(set) var coveredBy: [Entity.Kind?]

    /// What each token can be to the recognisers, looked up once.
    let roles: [WordRole]
    /// The number each token starts to spell in words, with how many tokens it takes.
    let spoken: [(value: Int, tokenCount: Int)?]

    init(text: AnalyzedText) {
        self.text = text
        coveredBy = Array(repeating: nil, count: text.tokens.count)
        roles = text.words.map { WordRole.of($0) }
        spoken = text.tokens.indices.map { NumberWords.parse(text, at: $0) }
    }

    var tokens: [Token] { text.tokens }

    func folded(_ index: Int) -> String { text.words[index] }

    func isFree(_ indexes: Range<Int>) -> Bool { !indexes.contains { coveredBy[$0] != nil } }

    /// Whether an entity of `kind` was found already.
    func contains(_ kind: Entity.Kind) -> Bool { coveredBy.contains(kind) }

    /// Records an entity over tokens `indexes`.
    mutating func claim(_ indexes: Range<Int>, kind: Entity.Kind, value: String) {
        for index in indexes { coveredBy[index] = kind }
        let range = text.originalRange(tokens[indexes.lowerBound].range.lowerBound..<tokens[indexes.upperBound - 1].range.upperBound)
        entities.append(Entity(kind: kind, value: value, start: range.lowerBound, end: range.upperBound))
    }

    // MARK: Patterns

    mutating func findEmails() {
        for (index, token) in tokens.enumerated() where token.kind == .symbol && folded(index) == "@" {
            var first = index
            while first > 0, text.touching(tokens[first - 1], tokens[first]), isEmailPart(first - 1, local: true) { first -= 1 }
            var last = index
            while last + 1 < tokens.count, text.touching(tokens[last], tokens[last + 1]), isEmailPart(last + 1, local: false) {
                last += 1
            }
            while last > index, tokens[last].kind == .symbol { last -= 1 }
            guard first < index, last > index + 2, (index...last).contains(where: { folded($0) == "." }),
                  isFree(first..<(last + 1)) else { continue }
            let range = tokens[first].range.lowerBound..<tokens[last].range.upperBound
            claim(first..<(last + 1), kind: .email, value: String(String.UnicodeScalarView(text.lowered[range])))
        }
    }

    private func isEmailPart(_ index: Int, local: Bool) -> Bool {
        guard tokens[index].kind == .symbol else { return true }
        let symbol = folded(index)
        return symbol == "." || symbol == "-" || (local && (symbol == "_" || symbol == "+" || symbol == "%"))
    }

    /// Consecutive number tokens joined by at most one space, dash or dot: "600 123 456",
    /// "600-123-456", "(12) 345 67 89". Returns the token range and the digits.
    private func digitGroup(from start: Int) -> (range: Range<Int>, digits: String, groups: [Int])? {
        guard tokens[start].kind == .number else { return nil }
        var digits = folded(start)
        var groups = [digits.count]
        var end = start + 1
        var index = start + 1
        while index < tokens.count {
            var next = index
            if tokens[next].kind == .symbol, ["-", ".", ")", "/"].contains(folded(next)),
               text.touching(tokens[next - 1], tokens[next]) {
                next += 1
            }
            guard next < tokens.count, tokens[next].kind == .number else { break }
            let gap = text.gap(tokens[next - 1], tokens[next])
            guard gap.isEmpty || gap == " " else { break }
            digits += folded(next)
            groups.append(folded(next).count)
            end = next + 1
            index = next + 1
        }
        return (start..<end, digits, groups)
    }

    /// Polish phone numbers: nine digits, with +48 / 0048 / 48 in front or not. Grouped digits
    /// ("600 123 456", "12 345 67 89") or a country prefix make a phone; nine digits in one run
    /// only after a phone word ("tel. 600123456").
    mutating func findPhones() {
        var index = 0
        while index < tokens.count {
            defer { index += 1 }
            guard isFree(index..<(index + 1)), let group = digitGroup(from: index) else { continue }
            var first = index
            var national = group.digits
            var prefixed = false
            if first > 0, tokens[first - 1].kind == .symbol, folded(first - 1) == "+",
               text.touching(tokens[first - 1], tokens[first]), national.hasPrefix("48") {
                first -= 1
                national.removeFirst(2)
                prefixed = true
            } else if national.hasPrefix("0048") {
                national.removeFirst(4)
                prefixed = true
            } else if national.count == 11, national.hasPrefix("48"), group.groups.first == 2 {
                national.removeFirst(2)
                prefixed = true
            }
            guard national.count == 9, isFree(first..<group.range.upperBound),
                  prefixed || group.groups.count > 1 || looksLikePhoneContext(before: index) else { continue }
            claim(first..<group.range.upperBound, kind: .phone, value: "+48" + national)
            index = group.range.upperBound - 1
        }
    }

    /// A bare run of nine digits is a phone number only when a phone word comes before it.
    private func looksLikePhoneContext(before index: Int) -> Bool {
        (max(0, index - 4)..<index).contains { roles[$0].contains(.phoneWord) }
    }

    mutating func findNIPs() {
        var index = 0
        while index < tokens.count {
            defer { index += 1 }
            var start = index
            var digits: String
            var end: Int
            if tokens[index].kind == .mixed, folded(index).hasPrefix("pl"), folded(index).count == 12,
               folded(index).dropFirst(2).allSatisfy(\.isNumber) {
                digits = String(folded(index).dropFirst(2))
                end = index + 1
            } else if let group = digitGroup(from: index), isFree(group.range) {
                digits = group.digits
                end = group.range.upperBound
                if index > 0, folded(index - 1) == "pl", isFree((index - 1)..<index) { start = index - 1 }
            } else {
                continue
            }
            guard digits.count == 10, isFree(start..<end), Self.isValidNIP(digits) else { continue }
            claim(start..<end, kind: .nip, value: digits)
            index = end - 1
        }
    }

    static func isValidNIP(_ digits: String) -> Bool { NIP.checksumHolds(digits) }

    mutating func findPostcodes() {
        for index in tokens.indices where index + 2 < tokens.count {
            guard tokens[index].kind == .number, folded(index).count == 2, folded(index + 1) == "-",
                  tokens[index + 2].kind == .number, folded(index + 2).count == 3,
                  text.touching(tokens[index], tokens[index + 1]), text.touching(tokens[index + 1], tokens[index + 2]),
                  isFree(index..<(index + 3)) else { continue }
            if index + 3 < tokens.count, text.touching(tokens[index + 2], tokens[index + 3]), folded(index + 3) == "-" { continue }
            claim(index..<(index + 3), kind: .postcode, value: folded(index) + "-" + folded(index + 2))
        }
    }

    mutating func findOrderNumbers() {
        for index in tokens.indices where tokens[index].kind == .number && isFree(index..<(index + 1)) {
            let digits = folded(index)
            guard (4...12).contains(digits.count) else { continue }
            let hash = index > 0 && folded(index - 1) == "#" && text.touching(tokens[index - 1], tokens[index])
            let keyword = (max(0, index - 3)..<index).contains { roles[$0].contains(.orderWord) }
            guard hash || keyword || digits.count == 6 else { continue }
            claim((hash ? index - 1 : index)..<(index + 1), kind: .orderNumber, value: digits)
        }
    }

    mutating func findLockerCodes() {
        for index in tokens.indices where tokens[index].kind == .mixed && isFree(index..<(index + 1)) {
            let scalars = Array(folded(index).unicodeScalars)
            let letters = scalars.prefix { $0.properties.isAlphabetic && $0.isASCII }.count
            let digits = scalars.dropFirst(letters).prefix { Token.isDigit($0) }.count
            let tail = scalars.count - letters - digits
            guard letters == 3, (2...3).contains(digits), (0...2).contains(tail),
                  scalars.suffix(tail).allSatisfy({ $0.properties.isAlphabetic && $0.isASCII }) else { continue }
            claim(index..<(index + 1), kind: .lockerCode, value: folded(index).uppercased())
        }
    }

    // MARK: Sizes and quantities


    /// A shoe size or clothing size starting at `index`: digits with an optional half (",5",
    /// ".5", "i pol"), number words, or XS–XXXL. Returns the value and how many tokens it took.
    private func size(at index: Int, clothingNeedsCase: Bool) -> (value: String, count: Int)? {
        let token = tokens[index]
        switch token.kind {
        case .number:
            guard let whole = Int(folded(index)), (16...50).contains(whole) else { return nil }
            let halfTokens = half(after: index)
            return (halfTokens > 0 ? "\(whole).5" : "\(whole)", 1 + halfTokens)
        case .word:
            if let spoken = spoken[index], (16...50).contains(spoken.value) {
                let halfTokens = half(after: index + spoken.tokenCount - 1)
                return (halfTokens > 0 ? "\(spoken.value).5" : "\(spoken.value)", spoken.tokenCount + halfTokens)
            }
            return clothingSize(at: index, needsCase: clothingNeedsCase)
        case .mixed:
            return clothingSize(at: index, needsCase: clothingNeedsCase)
        case .symbol:
            return nil
        }
    }

    /// XS–XXXL. Without a size keyword, it must be written in capitals ("XL"), and a single
    /// letter (S, M, L) must not open the message, where capitals mean nothing.
    private func clothingSize(at index: Int, needsCase: Bool) -> (value: String, count: Int)? {
        let word = folded(index)
        guard roles[index].contains(.clothingSize) else { return nil }
        let written = text.casedText(tokens[index])
        if needsCase, written != written.uppercased() || (word.count == 1 && index == 0) { return nil }
        return (word.uppercased(), 1)
    }

    /// How many tokens after `index` spell a half: ",5" / ".5" (touching) or "i pol" / "and a half".
    private func half(after index: Int) -> Int {
        let next = index + 1
        if next + 1 < tokens.count, [",", "."].contains(folded(next)), folded(next + 1) == "5",
           text.touching(tokens[index], tokens[next]), text.touching(tokens[next], tokens[next + 1]) {
            return 2
        }
        if next + 1 < tokens.count, ["i", "and"].contains(folded(next)), ["pol", "half"].contains(folded(next + 1)) { return 2 }
        if next + 2 < tokens.count, folded(next) == "and", folded(next + 1) == "a", folded(next + 2) == "half" { return 3 }
        return 0
    }

    /// Sizes announced by a keyword ("rozmiar 42", "size M", "w rozmiarze czterdziesci dwa").
    mutating func findSizes() {
        for index in tokens.indices where roles[index].contains(.sizeKeyword) || isNumberKeyword(index) {
            var next = index + 1
            if next < tokens.count, [":", "."].contains(folded(next)) { next += 1 }
            guard next < tokens.count, isFree(next..<(next + 1)), let found = size(at: next, clothingNeedsCase: false),
                  isFree(next..<(next + found.count)) else { continue }
            claim(next..<(next + found.count), kind: .size, value: found.value)
        }
    }

    /// "numer 42" means a shoe size when the number is one (Polish says "numer" for shoe sizes).
    private func isNumberKeyword(_ index: Int) -> Bool {
        guard ["numer", "nr", "number"].contains(folded(index)), index + 1 < tokens.count,
              let value = Int(folded(index + 1)) else { return false }
        return (33...50).contains(value)
    }

    mutating func findQuantities() {
        for index in tokens.indices where isFree(index..<(index + 1)) {
            let token = tokens[index]
            if token.kind == .mixed, let value = Self.multiplier(folded(index)) {
                claim(index..<(index + 1), kind: .quantity, value: String(value))
                continue
            }
            let number: (value: Int, count: Int)?
            switch token.kind {
            case .number: number = Int(folded(index)).map { ($0, 1) }
            case .word: number = spoken[index].map { ($0.value, $0.tokenCount) }
            case .mixed, .symbol: number = nil
            }
            guard let number, (1...99).contains(number.value) else { continue }
            let after = index + number.count
            guard isFree(index..<after) else { continue }
            let followedByUnit = after < tokens.count && roles[after].contains(.unit)
            let spokenBeforeNoun = token.kind == .word && number.value <= 20 && after < tokens.count
                && tokens[after].kind == .word && !roles[after].contains(.notCountable)
            let digitsBeforeNoun = token.kind == .number && number.value <= 20 && after < tokens.count
                && tokens[after].kind == .word && !roles[after].contains(.notCountable)
                && !roles[after].contains(.sizeKeyword)
            // "ten" is ten only in English, and "this" in Polish: a count only before a unit.
            let homograph = token.kind == .word && folded(index) == "ten"
            guard followedByUnit || (spokenBeforeNoun && !homograph) || digitsBeforeNoun else { continue }
            claim(index..<(followedByUnit ? after + 1 : after), kind: .quantity, value: String(number.value))
        }
    }

    /// "2x", "x3": how many, written as a multiplier.
    private static func multiplier(_ word: String) -> Int? {
        if word.hasSuffix("x"), let value = Int(word.dropLast()), (1...99).contains(value) { return value }
        if word.hasPrefix("x"), let value = Int(word.dropFirst()), (1...99).contains(value) { return value }
        return nil
    }

    /// Bare numbers that can only be shoe sizes (35–48, halves too), and clothing sizes written
    /// in capitals ("XL").
    mutating func findBareSizes() {
        var index = 0
        while index < tokens.count {
            defer { index += 1 }
            guard isFree(index..<(index + 1)), let found = size(at: index, clothingNeedsCase: true),
                  isFree(index..<min(tokens.count, index + found.count)) else { continue }
            if let number = Double(found.value), !(35...48).contains(number) { continue }
            claim(index..<(index + found.count), kind: .size, value: found.value)
            index += found.count - 1
        }
    }

    // MARK: Word lists

    /// Colours, delivery and payment methods from the word lists: the longest phrase wins.
    mutating func findPhrases(_ index: PhraseIndex) {
        guard !index.isEmpty else { return }
        var position = 0
        while position < tokens.count {
            defer { position += 1 }
            guard isFree(position..<(position + 1)), tokens[position].kind == .word || tokens[position].kind == .mixed
            else { continue }
            var best: PhraseIndex.Entry?
            for entry in index.candidates(startingWith: folded(position))
            where entry.words.count > (best?.words.count ?? 0) && matches(entry.words, at: position) {
                best = entry
            }
            guard let best else { continue }
            claim(position..<(position + best.words.count), kind: best.kind, value: best.value)
            position += best.words.count - 1
        }
    }

    private func matches(_ words: [String], at index: Int) -> Bool {
        guard index + words.count <= tokens.count, isFree(index..<(index + words.count)) else { return false }
        for (offset, word) in words.enumerated() {
            guard Inflection.matches(word, folded(index + offset)) else { return false }
        }
        return true
    }
}
