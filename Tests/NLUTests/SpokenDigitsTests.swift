import Testing
@testable import NLU

/// Digit strings read aloud on a phone call are written in digits, and nothing else changes.
struct SpokenDigitsTests {
    /// Phone numbers, postcodes, order numbers and NIPs read in groups or digit by digit in
    /// Polish, with and without diacritics, become the digits the extractor reads.
    @Test(arguments: [
        ("sześćset sto dwadzieścia trzy czterysta pięćdziesiąt sześć", "600 123 456"),
        ("szescset sto dwadziescia trzy czterysta piecdziesiat szesc", "600 123 456"),
        ("sześć zero zero jeden dwa trzy cztery pięć sześć", "600 123 456"),
        ("szesc zero zero jeden dwa trzy cztery piec szesc", "600 123 456"),
        ("plus czterdzieści osiem sześćset sto dwadzieścia trzy czterysta pięćdziesiąt sześć", "+48 600 123 456"),
        ("plus czterdziesci osiem szescset sto dwadziescia trzy czterysta piecdziesiat szesc", "+48 600 123 456"),
        ("+48 sześćset sto dwadzieścia trzy czterysta pięćdziesiąt sześć", "+48 600 123 456"),
        ("zero zero czterdzieści osiem sześćset sto dwadzieścia trzy czterysta pięćdziesiąt sześć", "+48 600 123 456"),
        ("600 sto dwadzieścia trzy 456", "600 123 456"),
        ("600 sto dwadziescia trzy 456", "600 123 456"),
        ("pięćdziesiąt sto dwadzieścia trzy", "50-123"),
        ("piecdziesiat sto dwadziescia trzy", "50-123"),
        ("pięćdziesiąt, sto dwadzieścia trzy", "50-123"),
        ("pięć zero jeden dwa trzy", "50-123"),
        ("piec zero jeden dwa trzy", "50-123"),
        ("cztery dziewięć jeden osiem trzy siedem", "491837"),
        ("cztery dziewiec jeden osiem trzy siedem", "491837"),
        ("czterdzieści dziewięć osiemnaście trzydzieści siedem", "491837"),
        ("czterdziesci dziewiec osiemnascie trzydziesci siedem", "491837"),
        ("pięćset dwadzieścia sześć zero dwadzieścia pięć zero dziewięć dziewięćdziesiąt pięć", "5260250995"),
        ("piecset dwadziescia szesc zero dwadziescia piec zero dziewiec dziewiecdziesiat piec", "5260250995"),
        ("pięć dwa sześć zero dwa pięć zero dziewięć dziewięć pięć", "5260250995"),
        ("Sześćset Sto Dwadzieścia Trzy Czterysta Pięćdziesiąt Sześć", "600 123 456"),
        ("pie\u{328}c\u{301} zero jeden dwa trzy", "50-123"),
    ])
    func polishCodes(_ spoken: String, _ written: String) {
        #expect(SpokenDigits.normalize(spoken) == written)
    }

    /// English readings, best effort: digit by digit with "oh" and "double", in pairs, and
    /// "hundred", which takes tens but not a following digit.
    @Test(arguments: [
        ("six hundred one two three four five six", "600 123 456"),
        ("six oh oh one two three four five six", "600 123 456"),
        ("six double oh one two three four five six", "600 123 456"),
        ("six hundred, one twenty three, four fifty six", "600 123 456"),
        ("plus four eight six hundred one two three four five six", "+48 600 123 456"),
        ("five oh one two three", "50-123"),
        ("four nine one eight three seven", "491837"),
        ("forty nine eighteen thirty seven", "491837"),
        ("Five Two Six Oh Two Five Oh Nine Nine Five", "5260250995"),
    ])
    func englishCodes(_ spoken: String, _ written: String) {
        #expect(SpokenDigits.normalize(spoken) == written)
    }

    /// Only the run is rewritten: the words around it, their order and punctuation stay; a count
    /// said right after a number stays a word.
    @Test(arguments: [
        ("mój numer to sześćset sto dwadzieścia trzy czterysta pięćdziesiąt sześć, dziękuję",
         "mój numer to 600 123 456, dziękuję"),
        ("Kod pocztowy pięćdziesiąt, sto dwadzieścia trzy, Wrocław.", "Kod pocztowy 50-123, Wrocław."),
        ("dzwonię w sprawie zamówienia cztery dziewięć jeden osiem trzy siedem, czy już wysłane?",
         "dzwonię w sprawie zamówienia 491837, czy już wysłane?"),
        ("NIP pięćset dwadzieścia sześć zero dwadzieścia pięć zero dziewięć dziewięćdziesiąt pięć poproszę fakturę",
         "NIP 5260250995 poproszę fakturę"),
        ("tel sześćset sto dwadzieścia trzy czterysta pięćdziesiąt sześć dwie pary", "tel 600 123 456 dwie pary"),
        ("rozmiar czterdzieści dwa, telefon sześć zero zero jeden dwa trzy cztery pięć sześć",
         "rozmiar czterdzieści dwa, telefon 600 123 456"),
        ("my number is six oh oh one two three four five six thanks", "my number is 600 123 456 thanks"),
        ("zamówienie cztery dziewięć jeden osiem trzy siedem o której przyjdzie?", "zamówienie 491837 o której przyjdzie?"),
        ("numer: sześćset sto dwadzieścia trzy 456 789", "numer: 600 123 456 789"),
    ])
    func surroundingTextIsKept(_ spoken: String, _ written: String) {
        #expect(SpokenDigits.normalize(spoken) == written)
    }

    /// Sizes, quantities, prices, times and ordinary sentences are not codes: they come back as
    /// they were, and so does anything typed in digits.
    @Test(arguments: [
        "czterdzieści dwa", "czterdziesci dwa", "dwie pary", "trzy pary", "dwa", "rozmiar czterdzieści i pół",
        "czterdzieści dwa i pół", "poproszę dwie pary butów rozmiar czterdzieści dwa",
        "trzysta czterdzieści dziewięć złotych", "trzysta czterdziesci dziewiec zlotych",
        "kosztuje trzysta czterdzieści dziewięć złotych dziewięćdziesiąt dziewięć groszy", "sto dwadzieścia trzy",
        "trzy czterdzieści dwa", "dwa zero dwa cztery", "dwa tysiące dwadzieścia cztery", "za pięć dwunasta",
        "rozmiary czterdzieści dwa czterdzieści trzy czterdzieści cztery", "ten sam rozmiar, trzy sztuki",
        "o której przyjedzie kurier", "gdzie jest moje zamówienie?", "chcę zwrócić buty, nie pasują",
        "two pairs of size forty-two", "double check the order please", "plus dwa złote za pobranie",
        "tel. 600 123 456", "600-123-456", "kod 50-123", "zamówienie 482173", "NIP 526-025-09-95",
        "+48 600 123 456 dwie pary", "600 123 456 dwa trzy", "Zamo\u{301}wie\u{301} 2 pary 👍", "", "   ", "👍",
    ])
    func othersStayAsTheyAre(_ text: String) {
        #expect(SpokenDigits.normalize(text) == text)
    }

    /// A run as long as a message can be is written out whole.
    @Test func longRunsAreWrittenWhole() {
        let spoken = String(repeating: "pięć ", count: 2_000)
        #expect(SpokenDigits.normalize(spoken) == String(repeating: "5", count: 2_000) + " ")
    }

    /// What the understanding finds in a normalised phone-call message: the phone, postcode,
    /// order number or NIP that was read aloud.
    @Test(arguments: [
        ("sześćset sto dwadzieścia trzy czterysta pięćdziesiąt sześć", "phone=+48600123456"),
        ("szesc zero zero jeden dwa trzy cztery piec szesc", "phone=+48600123456"),
        ("plus czterdzieści osiem sześćset sto dwadzieścia trzy czterysta pięćdziesiąt sześć", "phone=+48600123456"),
        ("mój numer 600 sto dwadzieścia trzy 456", "phone=+48600123456"),
        ("six hundred one two three four five six", "phone=+48600123456"),
        ("kod pocztowy pięćdziesiąt sto dwadzieścia trzy", "postcode=50-123"),
        ("piec zero jeden dwa trzy", "postcode=50-123"),
        ("five oh one two three", "postcode=50-123"),
        ("cztery dziewięć jeden osiem trzy siedem", "order_number=491837"),
        ("gdzie jest zamówienie czterdzieści dziewięć osiemnaście trzydzieści siedem", "order_number=491837"),
        ("forty nine eighteen thirty seven", "order_number=491837"),
        ("NIP pięćset dwadzieścia sześć zero dwadzieścia pięć zero dziewięć dziewięćdziesiąt pięć", "nip=5260250995"),
        ("piec dwa szesc zero dwa piec zero dziewiec dziewiec piec", "nip=5260250995"),
    ])
    func understandingFindsTheEntity(_ spoken: String, _ expected: String) async throws {
        let understood = try await UnderstandingTests.understanding().understand(SpokenDigits.normalize(spoken))
        #expect(understood.entities.map { "\($0.kind.rawValue)=\($0.value)" }.contains(expected))
    }

    /// Sizes and quantities said as words are still read by the extractor after normalising.
    @Test func sizesAndQuantitiesSurvive() async throws {
        let understood = try await UnderstandingTests.understanding()
            .understand(SpokenDigits.normalize("poproszę dwie pary rozmiar czterdzieści dwa i pół"))
        #expect(understood.entities.map { "\($0.kind.rawValue)=\($0.value)" } == ["quantity=2", "size=42.5"])
    }

    /// In an address, a house number said before a postcode in two groups stays a house number,
    /// and the postcode is written as one; without a street word the same words are one code.
    @Test func houseNumberThenPostcodeInAnAddress() {
        #expect(SpokenDigits.normalize("ulica lipowa siedem trzydzieści jeden dwieście dwadzieścia dwa kraków")
            == "ulica lipowa 7 31-222 kraków")
        #expect(SpokenDigits.normalize("al. róż dwanaście pięćdziesiąt sto dwadzieścia trzy wrocław")
            == "al. róż 12 50-123 wrocław")
        #expect(SpokenDigits.normalize("siedem trzydzieści jeden dwieście dwadzieścia dwa") == "731222")
    }
}
