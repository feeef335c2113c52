import Dialogue
import ShopValues
import Testing

/// Counted nouns and numbers in words, as the bot writes and speaks Polish.
struct PolishNumeralsTests {
    /// The noun's form follows the number's last digits: 1 para, 2–4 pary (not 12–14), else par.
    @Test(arguments: [
        (0, "0 par"), (1, "1 para"), (2, "2 pary"), (4, "4 pary"), (5, "5 par"), (11, "11 par"), (12, "12 par"),
        (14, "14 par"), (21, "21 par"), (22, "22 pary"), (104, "104 pary"), (112, "112 par"), (1_001, "1001 par"),
    ])
    func countedPairs(_ count: Int, _ expected: String) {
        #expect(CountedNoun.pair.phrase(count) == expected)
    }

    /// Numbers in words, with the gender of what they count.
    @Test(arguments: [
        (0, PolishNumerals.Gender.masculine, "zero"), (1, .masculine, "jeden"), (1, .feminine, "jedna"),
        (1, .neuter, "jedno"), (2, .masculine, "dwa"), (2, .feminine, "dwie"), (12, .feminine, "dwanaście"),
        (21, .feminine, "dwadzieścia jeden"), (22, .feminine, "dwadzieścia dwie"),
        (349, .masculine, "trzysta czterdzieści dziewięć"), (1_000, .masculine, "tysiąc"),
        (2_000, .masculine, "dwa tysiące"), (5_000, .masculine, "pięć tysięcy"), (12_000, .masculine, "dwanaście tysięcy"),
        (22_015, .masculine, "dwadzieścia dwa tysiące piętnaście"), (1_200_000, .masculine, "milion dwieście tysięcy"),
        (999_999_999, .masculine,
         "dziewięćset dziewięćdziesiąt dziewięć milionów dziewięćset dziewięćdziesiąt dziewięć tysięcy dziewięćset dziewięćdziesiąt dziewięć"),
    ])
    func words(_ count: Int, _ gender: PolishNumerals.Gender, _ expected: String) {
        #expect(PolishNumerals.words(count, gender: gender) == expected)
    }

    /// "dwie pary butów": spoken phrases agree in gender and case.
    @Test func spokenPhrases() {
        #expect(CountedNoun.pair.spokenPhrase(2) == "dwie pary")
        #expect(CountedNoun.pair.spokenPhrase(1) == "jedna para")
        #expect(CountedNoun.pair.spokenPhrase(5) == "pięć par")
        #expect(CountedNoun.order.spokenPhrase(1) == "jedno zamówienie")
        #expect(CountedNoun.workingDay.phrase(2) == "2 dni robocze")
    }

    /// Amounts said the way a synthesiser reads them well.
    @Test(arguments: [
        ("349.00", "trzysta czterdzieści dziewięć złotych"), ("1.00", "jeden złoty"), ("2.00", "dwa złote"),
        ("22.50", "dwadzieścia dwa złote pięćdziesiąt groszy"), ("0.99", "dziewięćdziesiąt dziewięć groszy"),
        ("0.01", "jeden grosz"), ("0.00", "zero złotych"), ("1000.02", "tysiąc złotych dwa grosze"),
    ])
    func spokenMoney(_ amount: String, _ expected: String) throws {
        #expect(PolishNumerals.spoken(try #require(Money(decimal: amount))) == expected)
    }

    /// Order numbers digit by digit in threes; postcodes as two numbers.
    @Test func digitsAndPostcodes() throws {
        #expect(PolishNumerals.digitByDigit("412785") == "cztery jeden dwa, siedem osiem pięć")
        #expect(PolishNumerals.digitByDigit("+48 600") == "cztery osiem sześć, zero zero")
        #expect(PolishNumerals.spoken(try #require(Postcode("50-123"))) == "pięćdziesiąt, sto dwadzieścia trzy")
        #expect(PolishNumerals.spoken(try #require(Postcode("00-950"))) == "zero zero, dziewięćset pięćdziesiąt")
        #expect(PolishNumerals.spoken(try #require(Postcode("05-077"))) == "zero pięć, zero siedem siedem")
    }
}
