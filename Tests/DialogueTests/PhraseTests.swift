import Commerce
import Dialogue
import NLU
import ShopValues
import Testing

/// Replies as typed parts: what a literal keeps typed, and how each part is written per language.
struct PhraseTests {
    private let price = Money(minorUnits: 34_900)
    private let number = OrderNumber("123455")

    /// Interpolated values stay parts of their kind; the words around them are whole.
    @Test func interpolationKeepsValuesTyped() throws {
        let number = try #require(number)
        let phrase: Phrase = "Zamówienie nr \(number): razem \(price), kod \(locker: "WRO01M"), \(postcode: "50-123")."
        #expect(phrase.parts == [
            .words("Zamówienie nr "), .orderNumber(number), .words(": razem "), .money(price), .words(", kod "),
            .lockerCode("WRO01M"), .words(", "), .postcode("50-123"), .words("."),
        ])
    }

    /// Strings, counts and phrases interpolated are words, merged with the words around them.
    @Test func wordsMerge() {
        let inner: Phrase = "dwie \("pary")"
        let phrase: Phrase = "Mamy \(inner) i \(3) sztuki."
        #expect(phrase.parts == [.words("Mamy dwie pary i 3 sztuki.")])
        #expect((Phrase("A") + Phrase("B")).parts == [.words("AB")])
        #expect(Phrase("").isEmpty)
    }

    /// Each language writes amounts its own way; a Polish phone number is grouped in threes.
    @Test func writtenForms() {
        let phrase: Phrase = "Razem \(price). Tel. \(phone: "+48600123456"), \(email: "anna@example.pl"), \(phone: "+4930123456")"
        #expect(phrase.written(in: .polish) == "Razem 349,00 zł. Tel. 600 123 456, anna@example.pl, +4930123456")
        #expect(phrase.written(in: .english) == "Razem PLN 349.00. Tel. 600 123 456, anna@example.pl, +4930123456")
    }

    /// Parts put together keep their order, adjacent words merged.
    @Test func partsTogether() {
        let first: Phrase = "A \(price)"
        let second: Phrase = "B"
        let joined = Phrase(parts: first.parts + [.words("; ")] + second.parts)
        #expect(joined.parts == [.words("A "), .money(price), .words("; B")])
    }

    /// A reply made from a phrase is written in its language and keeps the parts.
    @Test func replyFromPhrase() {
        let reply = Reply("Razem: \(price).", language: .english)
        #expect(reply.text == "Razem: PLN 349.00.")
        #expect(reply.parts == [.words("Razem: "), .money(price), .words(".")])
        #expect(Reply("Dzień dobry").parts == [.words("Dzień dobry")])
    }
}
