import Dialogue
import NLU
import Testing

/// Questions asked in the middle of an order are answered from the shop facts, and the open
/// question is asked again with the draft untouched.
@Suite struct DigressionTests {
    static let steps: [(Slot, Route)] = [
        (.product, .locker), (.size, .locker), (.color, .locker), (.quantity, .locker), (.moreItems, .locker),
        (.deliveryMethod, .locker), (.locker, .locker), (.address, .courier), (.store, .store), (.name, .locker),
        (.contact, .locker), (.payment, .locker), (.confirmation, .locker),
    ]

    static let questions: [(Turn, String)] = [
        (message("ile kosztuje dostawa?", .deliveryInfo), "Dostawa: Kurier DPD — 14,99 zł, za darmo od 299,00 zł"),
        (message("jakie są formy płatności?", .paymentInfo), "Można zapłacić: BLIK, karta, przelew"),
        (message("gdzie macie sklepy?", .storeInfo), "Kraków, Floriańska: ul. Floriańska 30, 31-019 Kraków"),
    ]

    /// A delivery, payment or store question at any step is answered and the step asked again.
    @Test(arguments: steps)
    func questionMidOrderIsAnswered(_ step: Slot, _ route: Route) {
        var chat = Chat()
        chat.order(until: step, OrderScript(route: route))
        for (question, answer) in Self.questions {
            let before = chat.state.phase
            let actions = chat.say(question)
            #expect(chat.state.phase == before, "\(question.text) changed the draft")
            assertReply(actions, contains: answer)
            assertAsksAgain(chat, step, actions)
            assertNoEffects(actions)
        }
        #expect(chat.state.misunderstandings == 0)
    }

    /// Asking where the Kraków store is, while the pickup store is asked, gets the store's
    /// address; it is not taken as choosing that store.
    @Test func storeQuestionAtTheStoreStepIsAnswered() {
        var chat = Chat()
        chat.order(until: .store, OrderScript(route: .store))
        let actions = chat.say("gdzie macie sklep w Krakowie?", .storeInfo)
        assertReply(actions, contains: "ul. Floriańska 30")
        assertAsksAgain(chat, .store, actions)
    }

    /// An order-service question mid-order is put off until the order is done, not started.
    @Test func serviceQuestionMidOrderIsPutOff() {
        var chat = Chat()
        chat.order(until: .quantity)
        let before = chat.state.phase
        let actions = chat.say("gdzie jest moje zamówienie?", .orderStatus)
        #expect(chat.state.phase == before)
        assertReply(actions, contains: "zaraz po tym zamówieniu", "Ile par?")
    }
}
