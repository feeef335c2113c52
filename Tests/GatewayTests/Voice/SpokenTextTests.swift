import Gateway
import NLU
import Testing
import Voice

/// Written replies made speakable: plain text and SSML for each rule, in Polish and English.
struct SpokenTextTests {
    /// Checks the plain rendering of `input` and that its SSML is a well-formed `<speak>` document.
    private func expectSpoken(
        _ input: String, _ language: Language, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let spoken = SpokenText.render(input, language: language)
        #expect(spoken.text == expected, sourceLocation: sourceLocation)
        #expect(XMLCheck.root(of: spoken.ssml, sourceLocation: sourceLocation)?.name == "speak", sourceLocation: sourceLocation)
    }

    private func ssml(_ input: String, _ language: Language) -> String {
        SpokenText.render(input, language: language).ssml
    }

    // MARK: Money

    /// Polish amounts, with or without thousands spaces (plain or no-break), are said in words.
    @Test func polishMoney() {
        expectSpoken("Razem 349,00 zł.", .polish, "Razem trzysta czterdzieści dziewięć złotych.")
        expectSpoken("Razem 1 234,50 zł.", .polish, "Razem tysiąc dwieście trzydzieści cztery złote pięćdziesiąt groszy.")
        expectSpoken("Razem 1\u{00A0}234,50\u{00A0}zł.", .polish, "Razem tysiąc dwieście trzydzieści cztery złote pięćdziesiąt groszy.")
        expectSpoken("Dopłata 2,50 zł, zwrot 0,99 zł.", .polish, "Dopłata dwa złote pięćdziesiąt groszy, zwrot dziewięćdziesiąt dziewięć groszy.")
        expectSpoken("Cena: PLN 349.00 lub 120 PLN", .polish, "Cena: trzysta czterdzieści dziewięć złotych lub sto dwadzieścia złotych")
    }

    /// English amounts keep digits (an English voice reads them) with the units spelt out.
    @Test func englishMoney() {
        expectSpoken("Total: PLN 349.00.", .english, "Total: 349 zlotys.")
        expectSpoken("Total: PLN 1,234.50.", .english, "Total: 1234 zlotys 50 groszy.")
        expectSpoken("PLN 1.00, PLN 0.01, PLN 0.50", .english, "1 zloty, 1 grosz, 50 groszy")
        expectSpoken("That is 349,00 zł.", .english, "That is 349 zlotys.")
    }

    /// Numbers without a currency are left to the synthesiser.
    @Test func numbersWithoutCurrencyStay() {
        expectSpoken("Rozmiar 42, zwrot w ciągu 14 dni.", .polish, "Rozmiar 42, zwrot w ciągu 14 dni.")
        expectSpoken("Size 42, 3 pairs.", .english, "Size 42, 3 pairs.")
    }

    // MARK: Order numbers

    /// A six-digit number after "nr"/"numer" is read in pairs, and marked as digits in SSML.
    @Test func polishOrderNumbers() {
        expectSpoken("Zamówienie nr 491837 zostało wysłane.", .polish, "Zamówienie numer 49 18 37 zostało wysłane.")
        #expect(ssml("Zamówienie nr 491837 zostało wysłane.", .polish)
            == #"<speak>Zamówienie numer <say-as interpret-as="digits">491837</say-as> zostało wysłane.</speak>"#)
        expectSpoken("Podaj numer: 491837", .polish, "Podaj numer 49 18 37")
        expectSpoken("Nr 051234 jest w drodze.", .polish, "Numer 0 5 12 34 jest w drodze.")
        expectSpoken("Zwrot nr 1234 do zamówienia nr 491837.", .polish, "Zwrot numer 1234 do zamówienia numer 49 18 37.")
    }

    /// A six-digit number after "no.", "number", "order" or "#" is read in pairs.
    @Test func englishOrderNumbers() {
        expectSpoken("Order no. 491837 has shipped.", .english, "Order number 49 18 37 has shipped.")
        expectSpoken("Your order #491837 and number 123456.", .english, "Your order 49 18 37 and number 12 34 56.")
        #expect(ssml("Order no. 491837", .english) == #"<speak>Order number <say-as interpret-as="digits">491837</say-as></speak>"#)
        expectSpoken("No, order 1234567 is not one.", .english, "No, order 1234567 is not one.")
    }

    // MARK: Postcodes, phones, lockers

    /// Postcodes are said as two numbers; a leading zero digit by digit; a date is not a postcode.
    @Test(arguments: [Language.polish, .english])
    func postcodes(_ language: Language) {
        expectSpoken("50-123 Wrocław", language, "50, 123 Wrocław")
        expectSpoken("ul. Długa 5, 05-077 Warszawa", language, "ul. Długa 5, 0 5, 0 7 7 Warszawa")
        expectSpoken("2024-05-12", language, "2024-05-12")
    }

    /// Polish phone numbers in any usual form become "600 123 456", marked as a telephone number.
    @Test(arguments: ["+48600123456", "+48 600 123 456", "0048 600-123-456", "600 123 456", "600123456", "(+48) 600 123 456"])
    func phoneNumbers(_ written: String) {
        expectSpoken("Tel. \(written).", .polish, "Tel. 600 123 456.")
        expectSpoken("Call \(written).", .english, "Call 600 123 456.")
        #expect(ssml("Tel. \(written)", .polish) == #"<speak>Tel. <say-as interpret-as="telephone">600 123 456</say-as></speak>"#)
    }

    /// Landlines keep their grouping; foreign and over-long numbers are not touched.
    @Test func otherPhoneNumbers() {
        expectSpoken("Biuro: 22 123 45 67.", .polish, "Biuro: 22 123 45 67.")
        #expect(ssml("Biuro: 22 123 45 67", .polish).contains(#"<say-as interpret-as="telephone">22 123 45 67</say-as>"#))
        expectSpoken("Berlin: +49 30 1234567", .english, "Berlin: +49 30 1234567")
        expectSpoken("Kod 600 123 456 789", .polish, "Kod 600 123 456 789")
    }

    /// Parcel-locker codes are spelt out, as characters in SSML; lower case is not a code.
    @Test func lockerCodes() {
        expectSpoken("Paczkomat WRO01M.", .polish, "Paczkomat W R O 0 1 M.")
        #expect(ssml("Paczkomat WRO01M albo KRA123A.", .polish)
            == #"<speak>Paczkomat <say-as interpret-as="characters">WRO01M</say-as> albo <say-as interpret-as="characters">KRA123A</say-as>.</speak>"#)
        expectSpoken("Locker KRA123A", .english, "Locker K R A 1 2 3 A")
        expectSpoken("kod wro01m", .polish, "kod wro01m")
    }

    // MARK: What is dropped

    /// Emoji of every kind are dropped; one between words leaves a space; a keycap says its digit.
    @Test func emoji() {
        expectSpoken("Dziękuję! 👍😀 Miłego dnia 🇵🇱 ✔ ❤️ 👨‍👩‍👧", .polish, "Dziękuję! Miłego dnia")
        expectSpoken("Great👍thanks 🙂", .english, "Great thanks")
        expectSpoken("1️⃣ Aero Run", .polish, "1 Aero Run")
        expectSpoken("👍", .polish, "")
    }

    /// Links are dropped, with the colon that introduced them, so "link:" reads as a phrase.
    @Test func links() {
        expectSpoken("Link do płatności: https://pay.example-shop.pl/p/abc_def?x=1. Czy coś jeszcze?", .polish,
                     "Link do płatności. Czy coś jeszcze?")
        expectSpoken("Payment link: http://pay.example.com/x", .english, "Payment link")
        expectSpoken("Regulamin (www.sklep.pl/regulamin) obowiązuje.", .polish, "Regulamin obowiązuje.")
        expectSpoken("See [the policy](https://shop.example/returns).", .english, "See the policy.")
    }

    /// Markdown emphasis, code marks and list markers are dropped; lines become sentences.
    @Test func markdown() {
        expectSpoken("**Aero Run** _42_ `kod`", .polish, "Aero Run 42 kod")
        expectSpoken("Mamy:\n- Aero Run\n- Trail X\nCo wybierasz?", .polish, "Mamy: Aero Run. Trail X. Co wybierasz?")
        expectSpoken("We have:\r\n• Aero Run\r\n• Trail X", .english, "We have: Aero Run. Trail X")
    }

    // MARK: Symbols and dashes

    /// "×" is said "po" and " = " ", razem"; "2 x 3" is a multiplication too.
    @Test func polishTimesAndTotal() {
        expectSpoken("Aero Run, 2 pary × 349,00 zł = 698,00 zł", .polish,
                     "Aero Run, 2 pary po trzysta czterdzieści dziewięć złotych, razem sześćset dziewięćdziesiąt osiem złotych")
        expectSpoken("2 x 3", .polish, "2 po 3")
    }

    /// "×" is said "at" and " = " ", total".
    @Test func englishTimesAndTotal() {
        expectSpoken("Aero Run, 2 pairs × PLN 349.00 = PLN 698.00", .english, "Aero Run, 2 pairs at 349 zlotys, total 698 zlotys")
        expectSpoken("Box x 2 and 2 x 3", .english, "Box x 2 and 2 at 3")
    }

    /// A dash between words is a comma; between numbers a range; inside a word it stays.
    @Test func dashes() {
        expectSpoken("Przekazuję ją konsultantowi — odpowiemy w ciągu 14 dni.", .polish,
                     "Przekazuję ją konsultantowi, odpowiemy w ciągu 14 dni.")
        expectSpoken("Kurier – 15,99 zł, 1–2 dni robocze, 10-14 dni, e-mail.", .polish,
                     "Kurier, piętnaście złotych dziewięćdziesiąt dziewięć groszy, 1 do 2 dni robocze, 10 do 14 dni, e-mail.")
        expectSpoken("Courier — PLN 15.99, 1–2 working days - fast.", .english, "Courier, 15 zlotys 99 groszy, 1 to 2 working days, fast.")
        expectSpoken("Nie można już zmienić —.", .polish, "Nie można już zmienić.")
    }

    // MARK: SSML

    /// Sentences are separated by a break in SSML only; abbreviations do not end a sentence.
    @Test func sentenceBreaks() {
        let spoken = SpokenText.render("Gotowe. Czy coś jeszcze? Np. zwrot, ul. Długa.", language: .polish)
        #expect(spoken.text == "Gotowe. Czy coś jeszcze? Np. zwrot, ul. Długa.")
        #expect(spoken.ssml == #"<speak>Gotowe. <break time="300ms"/> Czy coś jeszcze? <break time="300ms"/> Np. zwrot, ul. Długa.</speak>"#)
        #expect(ssml("Done! Thanks, e.g. Now.", .english) == #"<speak>Done! <break time="300ms"/> Thanks, e.g. Now.</speak>"#)
    }

    /// Text is XML-escaped in SSML and left alone in the plain rendering.
    @Test func escaping() {
        let spoken = SpokenText.render(#"Buty "Aero" <42> & więcej"#, language: .polish)
        #expect(spoken.text == #"Buty "Aero" <42> & więcej"#)
        #expect(spoken.ssml == "<speak>Buty &quot;Aero&quot; &lt;42&gt; &amp; więcej</speak>")
        #expect(XMLCheck.root(of: spoken.ssml)?.stringValue == #"Buty "Aero" <42> & więcej"#)
    }

    /// Letters written decomposed (a base letter and a combining mark) keep their marks.
    @Test func decomposedLetters() {
        let decomposed = "Zamo\u{301}wienie i\u{307} z\u{307}o\u{301}łte"
        #expect(SpokenText.render(decomposed, language: .polish).text.unicodeScalars.elementsEqual(decomposed.unicodeScalars))
    }

    /// Whitespace is collapsed and trimmed; empty text gives an empty speak document.
    @Test func whitespace() {
        expectSpoken("  Dzień   dobry\t ,  jak mogę pomóc ?  ", .polish, "Dzień dobry, jak mogę pomóc?")
        #expect(SpokenText.render("", language: .polish) == (text: "", ssml: "<speak></speak>"))
    }

    /// Bot replies as the dialogue writes them: no emoji, link, "×", markdown or doubled space
    /// survives, and the SSML always parses.
    @Test(arguments: [
        ("Aero Run, rozmiar 42, 2 pary × 349,00 zł = 698,00 zł. Dostawa: paczkomat WRO01M — 12,99 zł. Razem 710,99 zł. Czy potwierdzasz? 👍", Language.polish),
        ("Zamówienie nr 491837 zostało złożone ✅ Link do płatności: https://pay.example-shop.pl/p/491837?t=a_b*c", .polish),
        ("Dostawa: Kurier — 15,99 zł, za darmo od 200,00 zł, 2 dni robocze; Paczkomat — 12,99 zł, 1–2 dni robocze.", .polish),
        ("Order no. 491837 (Aero Run and more) is shipped on 12 May 2025 🚚. Track it: www.tracking.example/491837", .english),
        ("**Summary**\n- Aero Run × 2 = PLN 698.00\n- Delivery: PLN 12.99\n_Total_: PLN 710.99 🎉", .english),
        ("Call us at +48 600 123 456 or write to `sklep@example.pl` <3 & thanks!", .english),
    ])
    func nothingUnspeakableSurvives(_ reply: String, _ language: Language) {
        let spoken = SpokenText.render(reply, language: language)
        for rendering in [spoken.text, spoken.ssml] {
            for unspeakable in ["http", "www.", "×", "*", "_", "`", "👍", "✅", "🚚", "🎉", "  ", " ,", " ."] {
                #expect(!rendering.contains(unspeakable), "\(unspeakable) in \(rendering)")
            }
            #expect(!rendering.unicodeScalars.contains { $0.properties.isEmojiPresentation })
        }
        #expect(XMLCheck.root(of: spoken.ssml)?.name == "speak")
        #expect(spoken.ssml.hasPrefix("<speak>") && spoken.ssml.hasSuffix("</speak>"))
    }
}
