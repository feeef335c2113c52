import Foundation
@testable import NLU
import Testing

/// The shop's own words (`CatalogMatcher`) on the catalogs of two shops we did not write:
/// every colour in every case and gender, with and without diacritics, in English; sizes as
/// shops write them; and what must not be taken for a colour or a size.
struct CatalogWordsTests {
    /// One practice catalog's colours and sizes, read from its CSV (column 6 is the size, 7 the
    /// colour; the files have no quoted fields).
    static func terms(_ file: String) throws -> CatalogTerms {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
            .appendingPathComponent("catalogs").appendingPathComponent(file)
        let rows = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return CatalogTerms(colors: rows.map { $0[6] }, sizes: rows.map { $0[5] })
    }

    static let catalogs = ["pachnacy-dom.csv", "maly-odkrywca.csv"]

    static func extractor(_ terms: CatalogTerms) throws -> EntityExtractor {
        EntityExtractor(lexicons: try IntentCorpus.embedded().lexicons, catalog: terms)
    }

    /// Every form of a Polish adjective given in its masculine base form ("różowy", "niebieski").
    static func declension(of base: String) -> [String] {
        let stem = String(base.dropLast())
        let endings = base.hasSuffix("i")
            ? ["i", "a", "ie", "iego", "iej", "iemu", "im", "ą", "ich", "imi"]
            : ["y", "a", "e", "ego", "ej", "emu", "ym", "ą", "ych", "ymi"]
        return endings.map { stem + $0 }
    }

    static func withoutDiacritics(_ text: String) -> String {
        text.applyingTransform(.stripDiacritics, reverse: false)!.replacingOccurrences(of: "ł", with: "l")
    }

    static func colours(in text: String, _ extractor: EntityExtractor) -> [String] {
        extractor.extract(from: text).filter { $0.kind == .color }.map(\.value)
    }

    static func sizes(in text: String, _ extractor: EntityExtractor) -> [String] {
        extractor.extract(from: text).filter { $0.kind == .size }.map(\.value)
    }

    @Test(arguments: catalogs)
    func everyColourInEveryFormIsTheCatalogsWord(_ file: String) throws {
        let terms = try Self.terms(file)
        let extractor = try Self.extractor(terms)
        for colour in Set(terms.colors) where !colour.isEmpty {
            for form in Self.declension(of: colour) {
                for written in [form, Self.withoutDiacritics(form), form.capitalized] {
                    #expect(Self.colours(in: "poproszę w kolorze \(written)", extractor) == [colour], "\(written)")
                    #expect(Self.colours(in: "\(written) proszę", extractor) == [colour], "\(written)")
                }
            }
        }
    }

    /// One typo in a colour word still names it; ordinary words that look a little like one do
    /// not.
    @Test func mistypedColours() throws {
        let extractor = try Self.extractor(try Self.terms("maly-odkrywca.csv"))
        #expect(Self.colours(in: "poproszę różwą", extractor) == ["różowy"])
        #expect(Self.colours(in: "fiolteowa", extractor) == ["fioletowy"])
        #expect(Self.colours(in: "oliwkowa", extractor) == ["oliwkowy"])
        #expect(Self.colours(in: "rozmiar sto cztery", extractor).isEmpty)
        #expect(Self.colours(in: "poproszę kombinezon", extractor).isEmpty)
    }

    /// Surnames and places that begin like a colour are not one: a colour's stem matches only
    /// with an inflectional ending, by its own word, its group's words, or with a typo.
    @Test func namesAndPlacesAreNotColours() throws {
        let terms = CatalogTerms(colors: ["czarny", "biały", "zielony", "szary", "złoty", "granatowy"], sizes: ["42"])
        let extractor = try Self.extractor(terms)
        for text in ["Piotr Zieliński", "Anna Czarnecka", "Jan Białek", "ul. Lipowa 5, 15-001 Białystok", "Ewa Szarek",
                     "Marek Granatowicz", "Zielińska Anna"] {
            #expect(Self.colours(in: text, extractor).isEmpty, "\(text)")
        }
        #expect(Self.colours(in: "w zielonej", extractor) == ["zielony"])
        #expect(Self.colours(in: "czarnymi", extractor) == ["czarny"])
        #expect(Self.colours(in: "granatowo-biały", extractor) == ["granatowy", "biały"])
        #expect(Self.colours(in: "zielnoa", extractor) == ["zielony"])
        #expect(Self.colours(in: "the black ones", extractor) == ["czarny"])
    }

    /// English words for the colours the general list knows name the shop's Polish word.
    @Test func englishColourWordsNameTheShopsPolishOnes() throws {
        let extractor = try Self.extractor(try Self.terms("pachnacy-dom.csv"))
        let expected = ["white": "biały", "pink": "różowy", "cream": "kremowy", "yellow": "żółty", "purple": "fioletowy",
                        "light blue": "błękitny"]
        for (english, polish) in expected {
            #expect(Self.colours(in: "the \(english) one please", extractor) == [polish], "\(english)")
        }
    }

    /// A shop that writes its colours in English gets them from Polish words too.
    @Test func polishWordsNameAShopsEnglishColours() throws {
        let extractor = try Self.extractor(CatalogTerms(colors: ["black", "white", "navy"]))
        #expect(Self.colours(in: "poproszę czarne", extractor) == ["black"])
        #expect(Self.colours(in: "w granatowym", extractor) == ["navy"])
        #expect(Self.colours(in: "biała", extractor) == ["white"])
    }

    /// A colour the shop does not have is still a colour, by its general group.
    @Test func aColourTheShopDoesNotHaveIsItsGroup() throws {
        let extractor = try Self.extractor(try Self.terms("maly-odkrywca.csv"))
        #expect(Self.colours(in: "a macie zielone?", extractor) == ["green"])
    }

    @Test func sizesWithUnitsAsCustomersWriteThem() throws {
        let extractor = try Self.extractor(try Self.terms("pachnacy-dom.csv"))
        for written in ["200 ml", "200ml", "200 ML", "200 mililitrów", "poproszę tę 200 ml"] {
            #expect(Self.sizes(in: written, extractor) == ["200 ml"], "\(written)")
        }
        for written in ["1 kg", "1kg", "1 kilogram", "1 kilo"] {
            #expect(Self.sizes(in: written, extractor) == ["1 kg"], "\(written)")
            #expect(extractor.extract(from: written).filter { $0.kind == .quantity }.isEmpty, "\(written) is not one item")
        }
        #expect(Self.sizes(in: "500 g", extractor) == ["500 g"])
        #expect(Self.sizes(in: "500 gram", extractor) == ["500 g"])
        // The same amount said another way.
        for said in ["pół kilo", "0,5 kg", "tej półkilogramowej", "pół kilograma"] {
            #expect(Self.sizes(in: said, extractor) == ["500 g"], "\(said)")
        }
        for said in ["1000 g", "kilogramową", "1000 gram"] {
            #expect(Self.sizes(in: said, extractor) == ["1 kg"], "\(said)")
        }
    }

    /// Found by the fuzzer (Tests/Fuzz, targets `entities` and `catalog-csv`): numbers too large
    /// for any amount, before a unit, trapped converting to `Int`, in a customer's message (the
    /// server stopped) and in a catalog's size column. They are no amount and no size now.
    @Test(arguments: [
        "088888888888888888888888888888888888888888, 0 ml", "0888888888888888888888888888,5 kg",
        "9999999999999999 kg", "9223372036854775807 l", "pół 99999999999999999999 kg", "1e300 ml", "100000000 kg",
    ])
    func numbersTooLargeForAnyAmountAreNoSize(_ text: String) throws {
        let extractor = try Self.extractor(try Self.terms("pachnacy-dom.csv"))
        #expect(Self.sizes(in: text, extractor) == [])
        let odd = CatalogTerms(colors: ["czarny"], sizes: [text, "1e300 kg", "1e18 ml", "200 ml"])
        #expect(Self.sizes(in: "poproszę 200 ml", try Self.extractor(odd)) == ["200 ml"])
    }

    @Test func childrensSizesRangesAndBareNumbers() throws {
        let extractor = try Self.extractor(try Self.terms("maly-odkrywca.csv"))
        #expect(Self.sizes(in: "czapka 48-50", extractor) == ["48-50"])
        #expect(Self.sizes(in: "czapka 52/54", extractor) == ["52-54"])
        #expect(Self.sizes(in: "sukienka 104 różowa", extractor) == ["104"])
        #expect(Self.sizes(in: "rozmiar 98", extractor) == ["98"])
        // An address's house number, a count and a price are not sizes.
        #expect(Self.sizes(in: "ul. Lipowa 104, 31-222 Kraków", extractor).isEmpty)
        #expect(Self.sizes(in: "poproszę 3 króliczki", extractor).isEmpty)
        #expect(Self.sizes(in: "104 zł to za dużo", extractor).isEmpty)
    }

    /// Sizes said in words: children's heights after a size keyword or as the whole message,
    /// letter sizes as they are pronounced.
    @Test func sizesSaidInWords() throws {
        let kids = try Self.extractor(try Self.terms("maly-odkrywca.csv"))
        #expect(Self.sizes(in: "rozmiar sto cztery", kids) == ["104"])
        #expect(Self.sizes(in: "sto dziesięć", kids) == ["110"])
        #expect(Self.sizes(in: "rozmiar dwadzieścia pięć", kids) == ["25"])
        #expect(Self.sizes(in: "sto złotych to za dużo", kids).isEmpty)
        let letters = try Self.extractor(CatalogTerms(sizes: ["S", "M", "L", "XL"]))
        #expect(Self.sizes(in: "em", letters) == ["M"])
        #expect(Self.sizes(in: "rozmiar iks el", letters) == ["XL"])
        #expect(Self.sizes(in: "to em za mało", letters).isEmpty)
    }

    /// Short size words are sizes only when written as sizes.
    @Test func shortSizeWordsNeedCapitalsOrAKeyword() throws {
        let extractor = try Self.extractor(CatalogTerms(sizes: ["S", "M", "L", "XL"]))
        #expect(Self.sizes(in: "no, that's all", extractor).isEmpty)
        #expect(Self.sizes(in: "a m jest?", extractor).isEmpty)
        #expect(Self.sizes(in: "poproszę M", extractor) == ["M"])
        #expect(Self.sizes(in: "rozmiar m", extractor) == ["M"])
    }

    /// Products by part of their names: the brand word alone and inflected, with the name words
    /// around it, never an ordinary word that only looks like one.
    @Test func productsByTheirDistinctiveWords() throws {
        let products = [
            ProductName(productID: "kombinezon-mis", names: ["Kombinezon zimowy Miś", "Miś winter snowsuit"]),
            ProductName(productID: "sukienka-motylek", names: ["Sukienka tiulowa Motylek", "Motylek tulle dress"]),
            ProductName(productID: "sukienka-gwiazdka", names: ["Sukienka bawełniana Gwiazdka", "Gwiazdka cotton dress"]),
            ProductName(productID: "rekawiczki-thermo", names: ["Rękawiczki Thermo Grip", "Thermo Grip gloves"]),
        ]
        let extractor = try Self.extractor(CatalogTerms(products: products))
        func named(_ text: String) -> [String] { extractor.extract(from: text).filter { $0.kind == .product }.map(\.value) }
        #expect(named("poproszę kombinezon Miś 110") == ["kombinezon-mis"])
        #expect(named("tego motylka w rozmiarze 98") == ["sukienka-motylek"])
        #expect(named("a gwiazdkę macie?") == ["sukienka-gwiazdka"])
        // "Sukienka" is in two products' names: alone it names neither.
        #expect(named("szukam sukienki").isEmpty)
        #expect(named("hello there").isEmpty)
    }

    /// Colours are named in the reply's language: a known word in that language, a shop's own
    /// word the list does not know as the shop wrote it.
    @Test func colourNamesInEachLanguage() {
        let names = ColourNames.embedded
        #expect(names.name("różowy", in: .english) == "pink")
        #expect(names.name("różowy", in: .polish) == "różowy")
        #expect(names.name("black", in: .polish) == "czarny")
        #expect(names.name("black", in: .english) == "black")
        #expect(names.name("bordowy", in: .english) == "burgundy")
        #expect(names.name("malinowy", in: .english) == "malinowy")
    }

    /// Callers look up a customer's word among a catalog's words by its first two letters
    /// (`CatalogSnapshot` kinds, `ProductMatcher`), so `WordForms.sameAlone` must never hold
    /// for two words that begin differently: checked on every pair of the practice catalogs'
    /// name words with their inflected, shortened and mistyped forms.
    @Test func wordsTheSameAloneBeginAlike() throws {
        var words: Set<String> = []
        for file in Self.catalogs {
            let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
                .appendingPathComponent("catalogs").appendingPathComponent(file)
            for row in try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst() {
                let fields = row.split(separator: ",", omittingEmptySubsequences: false)
                for name in fields[2...4] {
                    for word in name.split(whereSeparator: { !$0.isLetter }) where word.count >= 3 {
                        words.insert(TextFolding.fold(String(word)))
                    }
                }
            }
        }
        let forms = words.flatMap { (word: String) -> [String] in
            let inflected: [String] = [word, word + "y", word + "ami", String(word.dropLast()), String(word.dropLast(2)) + "e"]
            let mistyped: [String] = [String(word.prefix(2)) + String(word.dropFirst(3)), String(word.dropFirst())]
            return inflected + mistyped
        }
        var sameAlone = 0
        for form in forms {
            for word in words where WordForms.sameAlone(form, word) {
                sameAlone += 1
                #expect(form.prefix(2) == word.prefix(2), "\(form) is taken for \(word)")
            }
        }
        #expect(words.count > 50)
        #expect(sameAlone > words.count)
    }
}
