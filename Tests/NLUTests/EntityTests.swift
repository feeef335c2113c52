import Testing
@testable import NLU

/// Entity extraction: Polish inflection, spoken numbers, typos, formats and offsets.
struct EntityTests {
    static let extractor = EntityExtractor(
        lexicons: (try? IntentCorpus.embedded().lexicons) ?? [:],
        products: [
            ProductName(productID: "jacket-nordic", names: ["kurtka zimowa", "Nordic Parka", "kurtka"]),
            ProductName(productID: "shoe-aero", names: ["Aero Run", "buty do biegania"]),
            ProductName(productID: "sneaker-adi", names: ["adidasy", "adidas"]),
        ])

    private func entities(_ text: String) -> [String] {
        Self.extractor.extract(from: text).map { "\($0.kind.rawValue)=\($0.value)" }
    }

    /// Quantities in digits and Polish number words, with "para/pary/par", sizes after them.
    @Test(arguments: [
        ("chce zamowic 2 pary adidasow 42", ["quantity=2", "product=sneaker-adi", "size=42"]),
        ("poproszę dwie pary butów rozmiar czterdzieści dwa", ["quantity=2", "size=42"]),
        ("dwie czarne koszulki L", ["quantity=2", "color=black", "size=L"]),
        ("pięć par skarpetek", ["quantity=5"]),
        ("trzy sztuki w rozmiarze M", ["quantity=3", "size=M"]),
        ("3x bluza XL", ["quantity=3", "size=XL"]),
        ("two pairs of Aero Run size forty-two", ["quantity=2", "product=shoe-aero", "size=42"]),
        ("rozmiar 42,5 proszę", ["size=42.5"]),
        ("czterdzieści dwa i pół", ["size=42.5"]),
        ("numer 38", ["size=38"]),
    ])
    func quantitiesAndSizes(_ text: String, _ expected: [String]) {
        #expect(entities(text) == expected)
    }

    /// Inflected and mistyped product names meet the catalog name.
    @Test(arguments: ["kurtkę", "kurtki", "kurtek", "kurtka", "kurtke", "kurtką", "nordic parke", "aero runów", "adidasów"])
    func inflectedProductNames(_ word: String) {
        #expect(Self.extractor.extract(from: "szukam \(word) na zimę").contains { $0.kind == .product })
    }

    /// Colours are found in every case and both languages, and normalised.
    @Test(arguments: [
        ("czarne", "black"), ("czarnych", "black"), ("czarną", "black"), ("czarnym", "black"), ("black", "black"),
        ("białe", "white"), ("bialych", "white"), ("granatową", "navy"), ("żółte", "yellow"), ("zolta", "yellow"),
        ("grey", "grey"), ("szare", "grey"),
    ])
    func colours(_ word: String, _ value: String) {
        #expect(entities("poproszę \(word) buty") == ["color=\(value)"])
    }

    /// Contact details and codes come out normalised.
    @Test(arguments: [
        ("tel. 600 123 456", ["phone=+48600123456"]),
        ("mój numer to +48 600-123-456", ["phone=+48600123456"]),
        ("0048 600 123 456", ["phone=+48600123456"]),
        ("dzwoń 12 345 67 89", ["phone=+48123456789"]),
        ("Jan.Kowalski+buty@Gmail.com", ["email=jan.kowalski+buty@gmail.com"]),
        ("kod 50-123 Wrocław", ["postcode=50-123"]),
        ("paczkomat WRO01M", ["delivery_method=parcel_locker", "locker_code=WRO01M"]),
        ("do kra123a", ["locker_code=KRA123A"]),
        ("NIP 526-025-09-95", ["nip=5260250995"]),
        ("nip PL5260250995", ["nip=5260250995"]),
        ("gdzie jest zamówienie 482173", ["order_number=482173"]),
        ("order #5521", ["order_number=5521"]),
    ])
    func contactsAndCodes(_ text: String, _ expected: [String]) {
        #expect(entities(text) == expected)
    }

    /// A NIP with a wrong checksum is not a NIP.
    @Test func invalidNIPIsRejected() {
        #expect(!entities("NIP 526-025-09-96").contains { $0.hasPrefix("nip=") })
        #expect(EntityScan.isValidNIP("5260250995"))
        #expect(!EntityScan.isValidNIP("1234567890"))
    }

    /// Delivery and payment methods in several phrasings.
    @Test(arguments: [
        ("wyślijcie kurierem", "delivery_method=courier"),
        ("do paczkomatu proszę", "delivery_method=parcel_locker"),
        ("odbiór osobisty w sklepie", "delivery_method=store_pickup"),
        ("zapłacę BLIKiem", "payment_method=blik"),
        ("płatność kartą", "payment_method=card"),
        ("za pobraniem", "payment_method=cash_on_delivery"),
        ("cash on delivery please", "payment_method=cash_on_delivery"),
        ("przelewem", "payment_method=bank_transfer"),
    ])
    func methods(_ text: String, _ expected: String) {
        #expect(entities(text).contains(expected))
    }

    /// A single capital letter is a size after other words, not at the start.
    @Test func singleLetterSizes() {
        #expect(entities("bluza M") == ["size=M"])
        #expect(entities("M jak mama") == [])
        #expect(entities("bluza m") == [])
    }

    /// Numbers that count time or money are not quantities; 9 bare digits are not a phone.
    @Test func falseFriendsAreNotEntities() {
        #expect(entities("dostawa trwa 3 dni") == [])
        #expect(entities("kosztuje 20 zł") == [])
        #expect(entities("kod rabatowy 123456789") == [])
    }

    /// Offsets count Unicode scalars of the original text, also after combining marks and emoji.
    @Test func offsetsPointIntoTheOriginalText() throws {
        let text = "👍 Zamo\u{301}wie\u{301} 2 pary, tel 600 123 456"
        let found = Self.extractor.extract(from: text)
        let scalars = Array(text.unicodeScalars)
        for entity in found {
            let slice = String(String.UnicodeScalarView(scalars[entity.start..<entity.end]))
            switch entity.kind {
            case .quantity: #expect(slice == "2 pary")
            case .phone: #expect(slice == "600 123 456")
            default: Issue.record("unexpected \(entity)")
            }
        }
        #expect(found.count == 2)
    }
}
