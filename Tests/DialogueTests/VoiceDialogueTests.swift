import Commerce
import Dialogue
import Foundation
import NLU
import ShopValues
import Testing

/// The phone: what the recogniser did not catch is asked again and then handed to a person,
/// at most three options are said at a time, the order is read back in words, and a finished
/// call ends with a closing sentence. The web stays as it was.
@Suite struct VoiceDialogueTests {
    // MARK: - Unclear speech

    /// Two unclear turns get two different prompts and keep the draft; the third puts the caller
    /// through to a person, with a summary saying the speech was not understood.
    @Test func unclearTurnsAskTwiceThenTransfer() throws {
        var chat = Chat(channel: .voice)
        chat.order(until: .size)
        let draft = chat.draft
        let first = chat.say(heard("czterdzieści mmm", recognition: 0.3))
        let second = chat.say(silence())
        assertReply(first, contains: "Przepraszam, nie udało mi się tego usłyszeć. Proszę powtórzyć.")
        assertReply(second, contains: "Nadal nie słychać wyraźnie.", "Jaki rozmiar? Dostępne: 42 lub 43.")
        #expect(replyText(first) != replyText(second))
        assertNoEffects(first)
        assertNoEffects(second)
        #expect(chat.draft == draft)
        expectState(chat, "ordering.size")
        #expect(chat.state.misunderstandings == 0)

        let third = chat.say(heard("yyy", recognition: 0.2))
        let handover = try #require(escalation(third))
        #expect(handover.reason == .voiceTransfer)
        #expect(handover.priority == 40)
        #expect(handover.summary.contains("nie udało się zrozumieć"))
        #expect(handover.summary.contains("„yyy”"))
        assertReply(third, contains: "Łączę z konsultantem, który zobaczy całą naszą rozmowę.")
        assertReply(third, lacks: "Napisz")
        expectState(chat, "with_agent")
        #expect(chat.state.unclearTurns == 0)
    }

    /// A clearly heard turn resets the count: two more unclear ones later do not transfer.
    @Test func clearTurnResetsTheCount() {
        var chat = Chat(channel: .voice)
        chat.order(until: .size)
        chat.say(silence())
        chat.say(silence())
        #expect(chat.state.unclearTurns == 2)
        chat.say(heard("43", [.size("43")], recognition: 0.8))
        expectState(chat, "ordering.color")
        #expect(chat.state.unclearTurns == 0)
        let again = chat.say(heard("hm", recognition: 0.1))
        assertReply(again, contains: "Proszę powtórzyć.")
        let twice = chat.say(silence())
        #expect(escalation(twice) == nil)
        assertReply(twice, contains: "Nadal nie słychać wyraźnie.", "Jaki kolor?")
        expectState(chat, "ordering.color")
    }

    /// An unclear turn is no misunderstanding: it neither counts as one nor resets their count,
    /// and does not change the language.
    @Test func unclearTurnIsNoMisunderstanding() {
        var chat = Chat(channel: .voice)
        chat.say("asdf qwer")
        chat.say(heard("what about my order", .orderStatus, language: .english, recognition: 0.2))
        #expect(chat.state.misunderstandings == 1)
        #expect(chat.state.language == .polish)
        chat.say("zxcv bnm")
        expectState(chat, "offered_options")
    }

    /// With nothing pending, the second prompt suggests short phrases (three) and offers the menu
    /// as recogniser hints; the language and phase do not move.
    @Test func secondPromptInIdleSuggestsShortPhrases() {
        var chat = Chat(channel: .voice)
        chat.say(silence())
        let second = chat.say(heard("wziąłbym coś", .orderProduct, recognition: 0.4))
        assertReply(second, contains: "na przykład: zamówienie, status zamówienia albo konsultant.")
        #expect(chips(second).map(\.payload).contains(.start(.person)))
        expectState(chat, "idle")
        #expect(chat.state.lastActivity == nil)
    }

    /// A pending confirmation is asked again in a few words, as a yes or no.
    @Test func secondPromptRestatesAConfirmation() throws {
        let book = try OrderBook()
        let customer = try book.customer()
        let order = try book.order(for: customer, placedDaysAgo: 1)
        var chat = Chat(customer: book.snapshot(customer, orders: [order]), channel: .voice)
        chat.say("chcę anulować zamówienie", .cancelOrder)
        expectState(chat, "confirming.cancel")
        chat.say(silence())
        let second = chat.say(silence())
        assertReply(second, contains: "Czy anulować zamówienie nr \(order.number)?", "tak albo nie")
        expectState(chat, "confirming.cancel")
    }

    /// A tapped chip, a confident recognition and an unknown confidence are acted on; a secret is
    /// warned about even when recognised poorly.
    @Test func whatCountsAsClear() {
        var chat = Chat(channel: .voice)
        chat.order(until: .size)
        chat.say(tapped(.size("43"), recognition: 0.1))
        expectState(chat, "ordering.color")
        chat.say(heard("czarne", [.color("black", "czarne")], recognition: nil))
        expectState(chat, "ordering.quantity")
        chat.say(heard("jedną parę", [.quantity(1, "jedną")], recognition: 0.5))
        expectState(chat, "ordering.more_items")
        let secret = chat.say(message("••••", secrets: [.cardNumber], recognitionConfidence: 0.2))
        assertReply(secret, contains: "Proszę nie podawać")
        #expect(chat.state.unclearTurns == 0)
    }

    /// On the web the same inputs behave as before: confidence is ignored, an empty message is a
    /// misunderstanding, nothing is transferred.
    @Test func webIgnoresRecognition() {
        var chat = Chat()
        chat.order(until: .size)
        let low = chat.say(heard("43", [.size("43")], recognition: 0.1))
        expectState(chat, "ordering.color")
        assertReply(low, lacks: "Proszę powtórzyć")
        let empty = chat.say(silence())
        assertReply(empty, contains: "Przepraszam, nie rozumiem.", "Jaki kolor?")
        #expect(chat.state.misunderstandings == 1)
        #expect(chat.state.unclearTurns == 0)
    }

    // MARK: - At most three options

    /// Every reply along a whole voice order (greeting, product list, size, colour, delivery,
    /// store, payment, summary) names at most three options of a kind in a sentence, and has no
    /// emoji, links or markdown.
    @Test(arguments: [Route.locker, .courier, .store])
    func everyQuestionOfAVoiceOrderNamesAtMostThree(_ route: Route) throws {
        var chat = Chat(channel: .voice)
        chat.catalog = VoiceCatalog.snapshot
        var replies = [chat.say("dzień dobry", .greet), chat.say("chcę zamówić buty do biegania", .orderProduct)]
        replies.append(chat.say("Trail Pro", .outOfScope, .product("trail-pro", "Trail Pro")))
        let script = OrderScript(route: route)
        while let pending = chat.draft?.pending, replies.count < 20 {
            if pending == .confirmation { break }
            replies.append(chat.say(script.answer(pending)))
        }
        expectState(chat, "ordering.confirmation")
        for reply in replies.map(replyText) {
            for (kind, options) in VoiceCatalog.optionKinds {
                #expect(mostOptionsNamed(in: reply, among: options) <= 3, "\(kind) in \"\(reply)\"")
            }
            assertSpeakable(reply)
        }
        let said = replies.map(replyText).joined(separator: "\n")
        #expect(said.contains("Jaki rozmiar? Dostępne: od 38 do 46."))
        #expect(said.contains("Jaki kolor? Dostępne: czarny, biały, niebieski i inne."))
        #expect(said.contains("Jak płacisz: BLIK, karta lub za pobraniem z dopłatą 5,00 zł?"))
        #expect(said.contains("Złożenie zamówienia, status zamówienia albo rozmowa z konsultantem."))
    }

    /// The chips keep every option (they hint the recogniser) while the sentence names three.
    @Test func chipsKeepEveryOption() {
        var chat = Chat(channel: .voice)
        chat.order(until: .payment)
        chat.say(silence())
        let question = chat.say(silence())
        #expect(chips(question).count == 5)
        #expect(mostOptionsNamed(in: replyText(question), among: VoiceCatalog.payments) == 3)
    }

    /// A size that is not there is answered with the three nearest on the phone, all of them on
    /// the web; a product described on the phone gives the range and three colours.
    @Test func unavailableSizeAndProductDescription() {
        var voice = Chat(channel: .voice)
        voice.catalog = VoiceCatalog.snapshot
        let refused = voice.say("Trail Pro rozmiar 47", .orderProduct, .product("trail-pro", "Trail Pro"), .size("47"))
        assertReply(refused, contains: "Trail Pro: nie ma rozmiaru 47. Dostępne rozmiary: 44, 45, 46 i inne.")
        var web = Chat()
        web.catalog = VoiceCatalog.snapshot
        let listed = web.say("Trail Pro rozmiar 47", .orderProduct, .product("trail-pro", "Trail Pro"), .size("47"))
        assertReply(listed, contains: "Dostępne rozmiary: 38, 39, 40, 41, 42, 43, 44, 45, 46.")

        var asked = Chat(channel: .voice)
        asked.catalog = VoiceCatalog.snapshot
        let described = asked.say("co to jest Trail Pro?", .productInfo, .product("trail-pro", "Trail Pro"))
        assertReply(described, contains: "Dostępne rozmiary: od 38 do 46.", "Kolory: czarny, biały, niebieski i inne.")
    }

    /// The menu, the options after two misunderstandings, product lists and the FAQ lists name at
    /// most three options on the phone.
    @Test func listsOutsideAnOrderNameAtMostThree() {
        var chat = Chat(channel: .voice)
        chat.catalog = VoiceCatalog.snapshot
        var replies = [chat.say("dzień dobry", .greet), chat.say("asdf", .outOfScope), chat.say("qwer", .outOfScope)]
        expectState(chat, "offered_options")
        replies += [
            chat.say("jakie macie buty do biegania?", .productInfo), chat.say("ile kosztuje dostawa?", .deliveryInfo),
            chat.say("jak można zapłacić?", .paymentInfo), chat.say("gdzie są wasze sklepy?", .storeInfo),
        ]
        for reply in replies.map(replyText) {
            for (kind, options) in VoiceCatalog.optionKinds {
                #expect(mostOptionsNamed(in: reply, among: options) <= 3, "\(kind) in \"\(reply)\"")
            }
            assertSpeakable(reply)
        }
        assertReply(replies[2], contains: "Mogę pomóc w tych sprawach:")
        assertReply(replies[4], contains: "Wysyłamy też za granicę, na przykład do Czech, Słowacji i Niemiec, za 39,00 zł.",
                    "od 1 do 2 dni roboczych")
        assertReply(replies[5], contains: "Można zapłacić: BLIK, karta, za pobraniem i inne.")
        assertReply(replies[6], contains: "od poniedziałku do piątku od 10:00 do 20:00", "w niedzielę nieczynne")
        assertReply(replies[6], lacks: "@")
    }

    /// On the web the menu and the FAQ still name everything.
    @Test func webListsEverything() {
        var chat = Chat()
        assertReply(chat.say("dzień dobry", .greet),
                    contains: "Złożenie zamówienia, status zamówienia, zwrot, reklamacja albo rozmowa z konsultantem.")
        assertReply(chat.say("jak można zapłacić?", .paymentInfo),
                    contains: "Można zapłacić: BLIK, karta, przelew, za pobraniem lub płatność odroczona.")
    }

    // MARK: - Read-back

    /// The voice summary says each item in words, the locker, address or store, and the total,
    /// with no "×", "=", "+" or brackets, then asks for a yes.
    @Test(arguments: [Route.locker, .courier, .store])
    func readBackIsSpeakable(_ route: Route) {
        var chat = Chat(channel: .voice)
        chat.order(until: .confirmation, OrderScript(route: route))
        chat.say(silence())
        let summary = replyText(chat.say(silence()))
        #expect(summary.contains("Podsumowanie zamówienia. Aero Run, rozmiar 43, czarny, 1 para, 349,00 zł."))
        #expect(summary.contains("Płatność: BLIK. Kontakt: Anna Kowalska, 600 123 456."))
        #expect(summary.contains("Razem: "))
        #expect(summary.hasSuffix("Czy potwierdzasz zamówienie?"))
        switch route {
        case .locker: #expect(summary.contains("Dostawa: Paczkomat InPost, kod WRO01M, bezpłatnie."))
        case .courier: #expect(summary.contains("Dostawa: Kurier DPD na adres ul. Kwiatowa 5, 50-123 Wrocław, bezpłatnie."))
        case .store: #expect(summary.contains("Dostawa: Odbiór w sklepie Wrocław, Świdnicka, bezpłatnie."))
        }
        for symbol in ["×", "=", "—", "+", "(", ")", ";"] {
            #expect(!summary.contains(symbol), "\(symbol) in \"\(summary)\"")
        }
    }

    /// Two pairs are read back with the price of each, cash on delivery with its fee in words.
    @Test func readBackOfSeveralPairs() {
        var chat = Chat(channel: .voice)
        chat.order(until: .quantity)
        chat.say("dwie pary", .outOfScope, .quantity(2, "dwie"))
        chat.order(until: .payment)
        let summary = replyText(chat.say("za pobraniem", .outOfScope, .payment("cash_on_delivery", "za pobraniem")))
        #expect(summary.contains("Aero Run, rozmiar 43, czarny, 2 pary po 349,00 zł."))
        #expect(summary.contains("Dostawa: Paczkomat InPost, kod WRO01M, bezpłatnie."))
        #expect(summary.contains("Płatność: za pobraniem z dopłatą 5,00 zł."))
        #expect(summary.contains("Razem: 703,00 zł."))
    }

    /// On the web the summary is written with symbols; a Polish phone number in groups.
    @Test func webSummaryUnchanged() {
        var chat = Chat()
        chat.order(until: .confirmation)
        let summary = replyText(chat.say("hmm", .outOfScope))
        #expect(summary.contains("Aero Run, rozmiar 43, czarny, 1 para × 349,00 zł = 349,00 zł"))
        #expect(summary.contains("kontakt: Anna Kowalska, 600 123 456"))
    }

    /// The read-back keeps its values typed for the phone to say: the amounts, the locker code,
    /// the postcode and the phone number are parts of their kind, not digits inside words.
    @Test(arguments: [Route.locker, .courier])
    func readBackPartsAreTyped(_ route: Route) throws {
        var chat = Chat(channel: .voice)
        chat.order(until: .confirmation, OrderScript(route: route))
        chat.say(silence())
        let reply = try #require(chat.say(silence()).compactMap { if case .reply(let reply) = $0 { reply } else { nil } }.first)
        #expect(reply.parts.contains(.money(Money(minorUnits: 34_900))))
        #expect(reply.parts.contains(.phone("+48600123456")))
        switch route {
        case .courier: #expect(reply.parts.contains(.postcode("50-123")))
        default: #expect(reply.parts.contains(.lockerCode("WRO01M")))
        }
        let words = reply.parts.compactMap { if case .words(let text) = $0 { text } else { nil } }.joined()
        for value in ["349", "600", "WRO01M", "50-123"] {
            #expect(!words.contains(value), "\(value) left in the words: \(words)")
        }
        #expect(reply.text == Phrase(parts: reply.parts).written(in: .polish))
    }

    // MARK: - Ending a call

    /// Goodbye ends the call with a closing sentence; on the web it is only said.
    @Test func goodbyeEndsTheCall() {
        var call = Chat(channel: .voice)
        let actions = call.say("do widzenia", .goodbye)
        #expect(effects(actions) == [.endConversation])
        #expect(replyText(actions) == "Dziękuję za telefon, do usłyszenia.")
        var english = Chat(channel: .voice)
        assertReply(english.say("bye, thank you very much", .goodbye, language: .english), contains: "Thank you for calling, goodbye.")

        var web = Chat()
        let written = web.say("do widzenia", .goodbye)
        assertNoEffects(written)
        assertReply(written, contains: "Dziękuję za rozmowę, do usłyszenia!")
    }

    /// A placed order ends with "anything else?" on the phone; a no, or thanks, then ends the call.
    @Test func finishedOrderAsksForMoreThenNoEndsTheCall() throws {
        let book = try OrderBook()
        let customer = try book.customer()
        let order = try book.order(for: customer, placedDaysAgo: 0)
        var call = Chat(channel: .voice)
        call.order(until: .confirmation)
        #expect(placedOrder(call.say(OrderScript().answer(.confirmation))) != nil)
        let placed = call.send(.orderPlaced(order))
        #expect(replyText(placed).hasSuffix("Dziękujemy! Czy mogę jeszcze w czymś pomóc?"))
        let no = call.say("nie", .deny)
        #expect(effects(no) == [.endConversation])
        assertReply(no, contains: "Dziękuję za telefon, do usłyszenia.")

        var thanked = Chat(channel: .voice)
        let thanks = thanked.say("dziękuję", .thanks)
        #expect(effects(thanks) == [.endConversation])
        assertReply(thanks, contains: "Proszę bardzo!", "Dziękuję za telefon, do usłyszenia.")

        var web = Chat()
        web.order(until: .confirmation)
        web.say(OrderScript().answer(.confirmation))
        assertReply(web.send(.orderPlaced(order)), lacks: "Czy mogę jeszcze w czymś pomóc?")
        let menu = web.say("nie", .deny)
        assertNoEffects(menu)
        assertReply(menu, contains: "W czym mogę pomóc?")
    }

    /// A status answered and an FAQ answered on the phone end with "anything else?".
    @Test func answeredRequestsAskForMore() throws {
        let book = try OrderBook()
        let customer = try book.customer()
        let order = try book.order(for: customer, placedDaysAgo: 1)
        var call = Chat(customer: book.snapshot(customer, orders: [order]), channel: .voice)
        let status = call.say("gdzie jest moje zamówienie?", .orderStatus)
        assertReply(status, contains: "Zamówienie nr \(order.number)")
        #expect(replyText(status).hasSuffix("Czy mogę jeszcze w czymś pomóc?"))
        expectState(call, "idle")
        #expect(replyText(call.say("ile kosztuje dostawa?", .deliveryInfo)).hasSuffix("Czy mogę jeszcze w czymś pomóc?"))
        let cancel = call.say("anuluj zamówienie", .cancelOrder)
        assertReply(cancel, lacks: "Czy mogę jeszcze w czymś pomóc?")
        call.say("tak", .affirm)
        #expect(replyText(call.send(.orderCancelled(order))).hasSuffix("Czy mogę jeszcze w czymś pomóc?"))

        var web = Chat(customer: book.snapshot(customer, orders: [order]))
        assertReply(web.say("gdzie jest moje zamówienie?", .orderStatus), lacks: "Czy mogę jeszcze w czymś pomóc?")
    }

    /// A goodbye in the middle of an order keeps the order open, as in writing.
    @Test func goodbyeMidOrderKeepsTheOrder() {
        var call = Chat(channel: .voice)
        call.order(until: .size)
        let actions = call.say("do widzenia", .goodbye)
        assertNoEffects(actions)
        expectState(call, "ordering.size")
    }

    // MARK: - Helpers

    /// A spoken message with how sure the recogniser was.
    private func heard(
        _ text: String, _ intent: Intent = .outOfScope, _ mentions: [Mention] = [], language: Language = .polish, recognition: Double?
    ) -> Turn {
        message(text, intent, mentions, language: language, recognitionConfidence: recognition)
    }

    private func heard(_ text: String, _ mentions: [Mention], recognition: Double?) -> Turn {
        message(text, .outOfScope, mentions, recognitionConfidence: recognition)
    }

    /// The platform heard nothing.
    private func silence() -> Turn {
        message("", .outOfScope, confidence: 0, recognitionConfidence: nil)
    }

    /// A chip tapped (said as its title) with a poor recognition.
    private func tapped(_ payload: QuickReply.Payload, recognition: Double) -> Turn {
        let understanding = Understanding(text: "", intent: .outOfScope, confidence: 0, language: .polish, entities: [], alternatives: [])
        return Turn(text: "", understanding: understanding, payload: payload, recognitionConfidence: recognition)
    }
}

/// The most of `options` any one sentence of `text` names (whole words, case ignored).
func mostOptionsNamed(in text: String, among options: [String]) -> Int {
    let sentences = text.replacingOccurrences(of: "([.?!])\\s+", with: "$1\n", options: .regularExpression).split(separator: "\n")
    return sentences.map { sentence in
        options.filter { option in
            let pattern = "(?<![\\p{L}\\d])" + NSRegularExpression.escapedPattern(for: option) + "(?![\\p{L}\\d])"
            return sentence.range(of: pattern, options: [.regularExpression, .caseInsensitive]) != nil
        }.count
    }.max() ?? 0
}

/// The reply can be read aloud: no emoji, links or markdown.
func assertSpeakable(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let emoji = text.unicodeScalars.contains { $0.properties.isEmojiPresentation }
    #expect(!emoji, "emoji in \"\(text)\"", sourceLocation: sourceLocation)
    for marker in ["http", "www.", "**", "__", "`", "#", "[", "](", "•"] {
        #expect(!text.contains(marker), "\(marker) in \"\(text)\"", sourceLocation: sourceLocation)
    }
}

/// A catalog with many sizes and colours, and four running shoes in stock.
enum VoiceCatalog {
    static let sizes = (38...46).map(String.init)
    static let colors = ["black", "white", "blue", "red"]

    /// Trail Pro: sizes 38–46 in four colours, all in stock.
    static let trailPro = Product(
        id: "trail-pro", namePL: "Buty do biegania Trail Pro", nameEN: "Trail Pro running shoes", category: "running_shoes",
        aliases: ["trail pro"], variants: sizes.flatMap { size in
            colors.map { TestCatalog.variant("TRAIL-\(size)-\($0.uppercased())", "trail-pro", size, $0, 39_900, 5) }
        })

    static func shoe(_ id: String, _ name: String) -> Product {
        Product(id: id, namePL: "Buty do biegania \(name)", nameEN: "\(name) running shoes", category: "running_shoes",
                aliases: [name.lowercased()], variants: [TestCatalog.variant("\(id)-42", id, "42", "black", 29_900, 3)])
    }

    static let snapshot = CatalogSnapshot(TestCatalog.snapshot.products + [trailPro, shoe("tempo", "Tempo"), shoe("sprint", "Sprint")])

    static let payments = ["BLIK", "karta", "przelew", "za pobraniem", "płatność odroczona"]

    /// The options of each kind a sentence could list, as the bot names them in Polish.
    static let optionKinds: [(String, [String])] = [
        ("sizes", sizes), ("colours", ["czarny", "biały", "niebieski", "czerwony"]),
        ("products", ["Aero Run", "Trail Pro", "Tempo", "Sprint"]),
        ("delivery", ["Kurier DPD", "Paczkomat InPost", "Odbiór w sklepie"]), ("payment", payments),
        ("stores", ["Wrocław, Świdnicka", "Kraków, Floriańska", "Warszawa, Galeria Północna"]),
        ("topics", ["złożenie zamówienia", "status zamówienia", "zwrot", "reklamacja", "rozmowa z konsultantem"]),
        ("countries", ["Czech", "Słowacji", "Niemiec", "Litwy"]),
    ]
}
