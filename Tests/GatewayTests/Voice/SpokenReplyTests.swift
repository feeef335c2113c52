import Commerce
import Dialogue
import NLU
import ShopValues
import Testing
import Voice

/// Speech from a reply's typed parts: each value said as its kind, the bot's words as written.
struct SpokenReplyTests {
    private func spoken(_ phrase: Phrase, _ language: Language = .polish) -> (text: String, ssml: String) {
        SpokenReply.render(phrase.parts, language: language)
    }

    /// Amounts are said in words, in Polish and in English.
    @Test func money() {
        let price = Money(minorUnits: 123_450)
        #expect(spoken("Razem: \(price).").text == "Razem: tysiąc dwieście trzydzieści cztery złote pięćdziesiąt groszy.")
        #expect(spoken("Total: \(price).", .english).text == "Total: 1234 zlotys 50 groszy.")
    }

    /// An order number is read in pairs and marked as digits; "nr" before it is said "numer".
    @Test func orderNumber() throws {
        let number = try #require(OrderNumber("491837"))
        let reply = spoken("Zamówienie nr \(number) jest wysłane. Nr \(number).")
        #expect(reply.text == "Zamówienie numer 49 18 37 jest wysłane. Numer 49 18 37.")
        #expect(reply.ssml.contains(#"numer <say-as interpret-as="digits">491837</say-as>"#))
        #expect(spoken("Order no. \(number).", .english).text == "Order number 49 18 37.")
    }

    /// "nr" is said "numer" before any number, "no." "number" only before one ("no." at the
    /// end of a sentence is the word no).
    @Test func numberSigns() {
        #expect(spoken("Zwrot nr 12 do zamówienia nr 7.").text == "Zwrot numer 12 do zamówienia numer 7.")
        #expect(spoken("Return no. 12 is open. No.", .english).text == "Return number 12 is open. No.")
    }

    /// The bot's words are not searched for values: a six-digit run, an amount or a code the bot
    /// wrote as words stays as it was written.
    @Test func wordsAreNotReread() {
        #expect(spoken("Kod 123456 i 349,00 zł").text == "Kod 123456 i 349,00 zł")
        #expect(SpokenReply.render([.quoted("Kod 349,00 zł")], language: .polish).text == "Kod trzysta czterdzieści dziewięć złotych")
    }

    /// A postcode is said as two numbers, a locker code spelt out, a Polish phone number in
    /// threes, an e-mail address with its signs in words.
    @Test func contactsAndCodes() {
        let reply = spoken("\(postcode: "50-123") Wrocław, \(locker: "WRO01M"), \(phone: "+48600123456"), \(email: "anna@example.pl").")
        #expect(reply.text == "50, 123 Wrocław, W R O 0 1 M, 600 123 456, anna małpa example kropka pl.")
        #expect(reply.ssml.contains(#"<say-as interpret-as="characters">WRO01M</say-as>"#))
        #expect(reply.ssml.contains(#"<say-as interpret-as="telephone">600 123 456</say-as>"#))
        #expect(spoken("\(email: "anna@example.pl")", .english).text == "anna at example dot pl")
    }

    /// A value that is not of the form its kind promises is read as text, never dropped.
    @Test func malformedValuesAreReadAsText() {
        #expect(spoken("\(postcode: "5012")").text == "5012")
        #expect(spoken("\(phone: "+4930123456")").text == "+4930123456")
    }

    /// Text the shop wrote is read as any text: its postcode and phone number found and said.
    @Test func quotedShopText() {
        let reply = SpokenReply.render([.words("Sklep: "), .quoted("ul. Długa 5, 00-950 Warszawa, tel. 600 123 456")], language: .polish)
        #expect(reply.text == "Sklep: ul. Długa 5, 0 0, 950 Warszawa, tel. 600 123 456")
        #expect(reply.ssml.hasPrefix("<speak>") && reply.ssml.hasSuffix("</speak>"))
    }
}
