import Commerce
import NLU

/// The catalog as one dialogue step sees it: products with their variants and stock, looked up
/// by id or by the kind of thing a customer names ("buty do biegania", "kurtkę").
public struct CatalogSnapshot: Sendable, Equatable {
    public let products: [Product]
    private let byID: [String: Int]
    /// (product, variant) positions by SKU.
    private let bySKU: [String: (Int, Int)]
    /// Each product's kind words (`kindWords(of:)`), in the order of `products`.
    private let kinds: [Set<String>]
    /// Every kind word once, by its first two letters: a customer's word is the same as a kind
    /// word (`WordForms.sameAlone`) only when both begin with the same two letters, so each word
    /// is compared with a handful of kind words instead of every product's.
    private let kindWordsByStart: [Substring: [String]]
    /// Positions in `products`, those in stock first, then by id: the order products are offered in.
    private let stockFirst: [Int]

    public init(_ products: [Product]) {
        self.init(products, kinds: products.map(Self.kindWords))
    }

    private init(_ products: [Product], kinds: [Set<String>]) {
        self.products = products
        byID = Dictionary(products.enumerated().map { ($0.element.id, $0.offset) }) { first, _ in first }
        var bySKU: [String: (Int, Int)] = [:]
        for (productIndex, product) in products.enumerated() {
            for (variantIndex, variant) in product.variants.enumerated() { bySKU[variant.sku] = (productIndex, variantIndex) }
        }
        self.bySKU = bySKU
        self.kinds = kinds
        kindWordsByStart = Dictionary(grouping: Set(kinds.joined()).sorted(), by: { $0.prefix(2) })
        stockFirst = products.indices.sorted {
            (products[$0].inStock.isEmpty ? 1 : 0, products[$0].id) < (products[$1].inStock.isEmpty ? 1 : 0, products[$1].id)
        }
    }

    public func product(_ id: String) -> Product? { byID[id].map { products[$0] } }

    /// Two snapshots are equal when their products are (the indexes follow from them).
    public static func == (lhs: CatalogSnapshot, rhs: CatalogSnapshot) -> Bool { lhs.products == rhs.products }

    public func variant(sku: String) -> Variant? {
        bySKU[sku].map { products[$0.0].variants[$0.1] }
    }

    /// The same catalog with `updated` products replacing those with the same id.
    public func replacing(_ updated: [Product]) -> CatalogSnapshot {
        let replacements = Dictionary(updated.map { ($0.id, $0) }) { _, latest in latest }
        let replaced = products.map { replacements[$0.id] ?? $0 }
        // Stock changed, names did not: the kind words stay.
        let kinds = zip(products, replaced).enumerated().map { index, pair in
            pair.0.namePL == pair.1.namePL && pair.0.nameEN == pair.1.nameEN && pair.0.category == pair.1.category
                ? self.kinds[index] : Self.kindWords(of: pair.1)
        }
        return CatalogSnapshot(replaced, kinds: kinds)
    }

    /// Products of the families the text names, in stock first: "buty do biegania" → the running
    /// shoes; "buty" → every kind of shoe. Empty when the text names no family.
    public func products(namedBy text: String) -> [Product] {
        products(namedBy: Folding.words(text))
    }

    func products(namedBy words: [String]) -> [Product] {
        let categories = ProductFamily.categories(in: words)
        if !categories.isEmpty {
            let named = stockFirst.filter { categories.contains(products[$0].category) }
            if !named.isEmpty { return named.map { products[$0] } }
        }
        // Any shop's own kinds: its category names and the head words of its product names
        // ("świece", "Świeca sojowa Lawenda", "Lavender soy candle"), in any form.
        let named = kindWordsNamed(by: words)
        guard !named.isEmpty else { return [] }
        return stockFirst.filter { !kinds[$0].isDisjoint(with: named) }.map { products[$0] }
    }

    /// Whether `words` are one of the shop's kinds and nothing more ("the bunny", "te świece"):
    /// each word is that kind's word or a word that says nothing on its own, and exactly one
    /// product is of that kind. "mydło przyszło pokruszone" says more.
    func namesOnlyAKind(_ words: [String]) -> Bool {
        let fillers: Set<String> = ["the", "a", "an", "one", "that", "this", "those", "these", "please", "ten", "ta", "to", "te",
                                    "tego", "tej", "tamten", "tamta", "prosze", "poprosze", "chce", "ok", "okej", "no", "moze"]
        let named = ofKindsNamed(by: words)
        guard named.count == 1, let kinds = named.first?.kinds else { return false }
        return words.allSatisfy { word in fillers.contains(word) || kinds.contains { WordForms.sameAlone(word, $0) } }
    }

    /// The products one of whose kind words `words` contain, with their kind words.
    private func ofKindsNamed(by words: [String]) -> [(product: Product, kinds: Set<String>)] {
        let named = kindWordsNamed(by: words)
        guard !named.isEmpty else { return [] }
        return zip(products, kinds).filter { !$0.1.isDisjoint(with: named) }.map { (product: $0.0, kinds: $0.1) }
    }

    /// The catalog's kind words that `words` contain, in any form.
    private func kindWordsNamed(by words: [String]) -> Set<String> {
        var named: Set<String> = []
        for word in Set(words) {
            for kind in kindWordsByStart[word.prefix(2)] ?? [] where WordForms.sameAlone(word, kind) { named.insert(kind) }
        }
        return named
    }

    /// The words that say what kind of thing a product is: its category's words, the first word
    /// of its Polish name and the last of its English one.
    static func kindWords(of product: Product) -> Set<String> {
        var kinds = Set(Folding.words(product.category.replacingOccurrences(of: "_", with: " ")).filter { $0.count >= 3 })
        if let head = Folding.words(product.namePL).first, head.count >= 3 { kinds.insert(head) }
        if let head = Folding.words(product.nameEN).last, head.count >= 3 { kinds.insert(head) }
        return kinds
    }
}

/// The words customers use for kinds of products, mapped to catalog categories.
enum ProductFamily {
    private static let footwear: Set<String> = [
        "running_shoes", "trekking_shoes", "sneakers", "boots", "sandals", "kids_shoes", "slippers",
    ]

    /// (folded word prefixes that must all appear, categories): most specific first.
    private static let families: [(words: [String], categories: Set<String>)] = [
        (["biega"], ["running_shoes"]), (["running", "shoe"], ["running_shoes"]), (["runner"], ["running_shoes"]),
        (["trekking"], ["trekking_shoes"]), (["gorsk"], ["trekking_shoes"]), (["hiking"], ["trekking_shoes"]),
        (["dzieci"], ["kids_shoes"]), (["kids"], ["kids_shoes"]), (["dziec"], ["kids_shoes"]),
        (["sneaker"], ["sneakers"]), (["trampk"], ["sneakers"]), (["tenisowk"], ["sneakers"]),
        (["sandal"], ["sandals"]), (["kapc"], ["slippers"]), (["slipper"], ["slippers"]),
        (["kozak"], ["boots"]), (["botk"], ["boots"]), (["boot"], ["boots"]), (["sniegow"], ["boots", "kids_shoes"]),
        (["kurtk"], ["jackets"]), (["kurtek"], ["jackets"]), (["jacket"], ["jackets"]), (["parka"], ["jackets"]),
        (["bluz"], ["hoodies"]), (["hoodie"], ["hoodies"]), (["polar"], ["hoodies"]),
        (["koszul"], ["t_shirts"]), (["t-shirt"], ["t_shirts"]), (["tshirt"], ["t_shirts"]), (["shirt"], ["t_shirts"]),
        (["spodn"], ["trousers"]), (["jeans"], ["trousers"]), (["trouser"], ["trousers"]), (["legging"], ["trousers"]),
        (["skarpet"], ["socks"]), (["sock"], ["socks"]),
        (["czapk"], ["accessories"]), (["szalik"], ["accessories"]), (["rekawicz"], ["accessories"]),
        (["hat"], ["accessories"]), (["scarf"], ["accessories"]), (["glove"], ["accessories"]),
        (["but"], footwear), (["shoe"], footwear), (["obuw"], footwear),
    ]

    static func categories(in words: [String]) -> Set<String> {
        // Folded words and ASCII prefixes: compared as bytes, not as Unicode strings.
        for family in families where family.words.allSatisfy({ prefix in words.contains { $0.utf8.starts(with: prefix.utf8) } }) {
            // "but" must be the word "buty"/"butów", not "butelka"; short prefixes are whole-word stems.
            if family.words == ["but"], !words.contains(where: { ["but", "buty", "butow", "butami", "butach"].contains($0) }) {
                continue
            }
            if family.words == ["hat"], !words.contains("hat") && !words.contains("hats") { continue }
            return family.categories
        }
        return []
    }
}

/// Lowercase, Polish letters without diacritics, split into words: how the dialogue compares
/// what customers type with the words it knows.
enum Folding {
    static func fold(_ text: String) -> String {
        var folded = ""
        folded.reserveCapacity(text.utf8.count)
        for scalar in text.lowercased().unicodeScalars {
            switch scalar {
            case "ą": folded.append("a")
            case "ć": folded.append("c")
            case "ę": folded.append("e")
            case "ł": folded.append("l")
            case "ń": folded.append("n")
            case "ó": folded.append("o")
            case "ś": folded.append("s")
            case "ź", "ż": folded.append("z")
            default: folded.unicodeScalars.append(scalar)
            }
        }
        return folded
    }

    static func words(_ text: String) -> [String] {
        fold(text).split { !($0.isLetter || $0.isNumber || $0 == "-") }.map(String.init)
    }

    /// Whether the text contains any of `phrases` (folded) as whole words or word sequences.
    static func contains(_ text: String, anyOf phrases: [String]) -> Bool {
        contains(words(text), anyOf: phrases)
    }

    /// Whether folded `words` contain any of `phrases` as whole words or word sequences.
    static func contains(_ words: [String], anyOf phrases: [String]) -> Bool {
        phrases.contains { phrase in
            let parts = phrase.split(separator: " ")
            guard !parts.isEmpty, parts.count <= words.count else { return false }
            return (0...(words.count - parts.count)).contains { start in
                parts.indices.allSatisfy { words[start + $0] == parts[$0] }
            }
        }
    }

    /// Whether any word of the text starts with one of `prefixes`.
    static func hasWord(_ text: String, startingWith prefixes: [String]) -> Bool {
        hasWord(words(text), startingWith: prefixes)
    }

    static func hasWord(_ words: [String], startingWith prefixes: [String]) -> Bool {
        words.contains { word in prefixes.contains { word.hasPrefix($0) } }
    }
}
