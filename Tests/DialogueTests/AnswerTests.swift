import Commerce
import Dialogue
import NLU
import Testing

/// Small talk, shop facts and account questions, in the customer's language.
@Suite struct AnswerTests {
    /// A greeting is returned with the menu of what the bot can do, a person included.
    @Test func greetingOffersTheMenu() {
        var chat = Chat()
        let actions = chat.say("dzień dobry", .greet)
        assertReply(actions, contains: "Dzień dobry!", "W czym mogę pomóc?")
        #expect(chips(actions).map(\.payload).contains(.start(.person)))
        expectState(chat, "idle")
    }

    /// A first message sets the conversation's language only when the detector is sure of it:
    /// gibberish leaning slightly to English is answered in the shop's Polish.
    @Test(arguments: [(0.68, "Przepraszam, nie rozumiem."), (0.99, "Sorry, I don't understand.")])
    func firstMessageSetsTheLanguageOnlyWhenClear(_ languageConfidence: Double, _ answer: String) {
        var chat = Chat()
        let actions = chat.say(message("blablabla qwerty", .outOfScope, language: .english, languageConfidence: languageConfidence))
        assertReply(actions, contains: answer)
    }

    /// Thanks and goodbye are answered in kind, with nothing done.
    @Test(arguments: [("dzięki", Intent.thanks, "Proszę bardzo!"), ("do widzenia", .goodbye, "do usłyszenia")])
    func smallTalkIsAnswered(_ text: String, _ intent: Intent, _ answer: String) {
        var chat = Chat()
        let actions = chat.say(text, intent)
        assertReply(actions, contains: answer)
        assertNoEffects(actions)
        expectState(chat, "idle")
    }

    /// Delivery options and prices come from the shop facts, in Polish money.
    @Test func deliveryAnswerQuotesTheFacts() {
        var chat = Chat()
        let actions = chat.say("ile kosztuje dostawa?", .deliveryInfo)
        assertReply(actions, contains: "Kurier DPD — 14,99 zł, za darmo od 299,00 zł, 1–2 dni robocze",
                    "Paczkomat InPost — 11,99 zł, za darmo od 199,00 zł", "Wysyłamy też do: CZ, SK, DE, LT (39,00 zł).")
    }

    /// Payment methods and the cash-on-delivery fee come from the shop facts.
    @Test func paymentAnswerQuotesTheFacts() {
        var chat = Chat()
        let actions = chat.say("jak mogę zapłacić?", .paymentInfo)
        assertReply(actions, contains: "Można zapłacić: BLIK, karta, przelew, za pobraniem lub płatność odroczona.",
                    "Za pobraniem dopłata 5,00 zł.")
    }

    /// A store named by its city is described with its address and hours, the others left out.
    @Test func storeAnswerNamesTheAskedStore() {
        var chat = Chat()
        let actions = chat.say("godziny otwarcia sklepu w Krakowie", .storeInfo)
        assertReply(actions, contains: "Kraków, Floriańska: ul. Floriańska 30, 31-019 Kraków, pon.–sob. 10:00–20:00, niedz. 11:00–17:00 (odbiór zamówień).")
        assertReply(actions, lacks: "Świdnicka")
    }

    /// A forgotten password is pointed to the reset page; nothing else happens.
    @Test func passwordResetIsPointedTo() {
        var chat = Chat()
        let actions = chat.say("zapomniałam hasła", .account)
        assertReply(actions, contains: "Nie pamiętasz hasła?")
        assertNoEffects(actions)
        expectState(chat, "idle")
    }

    /// Deleting an account is offered to a person; a yes escalates with the reason.
    @Test func accountDeletionOffersAPerson() throws {
        var chat = Chat()
        let offer = chat.say("chcę usunąć konto", .account)
        assertReply(offer, contains: "Czy połączyć z konsultantem?")
        expectState(chat, "confirming.person")
        let handover = try #require(escalation(chat.say("tak", .affirm)))
        #expect(handover.reason == .customerRequest)
        #expect(handover.summary.contains("Usunięcie konta"))
    }

    /// An English customer is answered in English, with English money.
    @Test func englishIsAnsweredInEnglish() {
        var chat = Chat()
        let actions = chat.say("how much are the Aero Run shoes?", .productInfo, .product("aero-run", "Aero Run"), language: .english)
        assertReply(actions, contains: "Aero Run running shoes: PLN 349.00.", "Sizes in stock: 42, 43.", "Would you like to order it?")
        assertReply(actions, lacks: "zł")
    }

    /// An English order is taken in English to an English summary.
    @Test func englishOrderSummary() {
        var chat = Chat()
        let script = OrderScript(language: .english)
        chat.order(until: .payment, script)
        let actions = chat.say(script.answer(.payment))
        assertReply(actions, contains: "Summary: Aero Run, size 43, black, 1 pair × PLN 349.00 = PLN 349.00",
                    "InPost parcel locker WRO01M", "Total: PLN 349.00.", "Do you confirm the order?")
        #expect(chat.state.language == .english)
    }

    /// Polish money reads "349,00 zł": comma, space, "zł".
    @Test func polishMoneyFormat() {
        var chat = Chat()
        let actions = chat.say("ile kosztują Aero Run?", .productInfo, .product("aero-run", "Aero Run"))
        assertReply(actions, contains: "349,00 zł")
        assertReply(actions, lacks: "PLN", "349.00")
    }
}
