import Commerce
import Dialogue
import NLU
import Testing

/// What keeps a conversation safe and moving: misunderstandings lead to options and then a
/// person, a person on request, stale orders dropped, secrets refused.
@Suite struct ConversationGuardTests {
    /// Two misunderstandings in a row offer the menu with a person; the third hands over.
    @Test func misunderstandingsLeadToOptionsThenAPerson() throws {
        var chat = Chat()
        let first = chat.say("asdf qwer")
        assertReply(first, contains: "Przepraszam, nie rozumiem.", "Napisz, proszę, inaczej")
        assertNoEffects(first)
        expectState(chat, "idle")
        let second = chat.say("zxcv bnm")
        expectState(chat, "offered_options")
        #expect(chips(second).map(\.payload).contains(.start(.person)))
        #expect(chips(second).map(\.payload).contains(.start(.order)))
        let third = chat.say("qqq www")
        #expect(try #require(escalation(third)).reason == .repeatedMisunderstanding)
        expectState(chat, "with_agent")
    }

    /// Mid-order, misunderstandings re-ask the open question; the second adds a person chip;
    /// the third hands over.
    @Test func misunderstandingsMidOrder() throws {
        var chat = Chat()
        chat.order(until: .size)
        let first = chat.say("blabla hmm")
        assertReply(first, contains: "nie rozumiem", "Jaki rozmiar?")
        let second = chat.say("hmm blabla")
        assertReply(second, contains: "Jaki rozmiar?", "konsultant")
        #expect(chips(second).map(\.payload) == [.size("42"), .size("43"), .start(.person)])
        expectState(chat, "ordering.size")
        let third = chat.say("ech no")
        #expect(try #require(escalation(third)).reason == .repeatedMisunderstanding)
        expectState(chat, "with_agent")
    }

    /// An understood message in between resets the count of misunderstandings.
    @Test func understoodMessageResetsTheCount() {
        var chat = Chat()
        chat.order(until: .size)
        chat.say("blabla hmm")
        chat.say("43", .outOfScope, .size("43"))
        #expect(chat.state.misunderstandings == 0)
    }

    /// Asking for a person escalates at once, from idle and from the middle of an order.
    @Test(arguments: [Slot?.none, .size, .payment])
    func askingForAPersonEscalatesAtOnce(_ step: Slot?) throws {
        var chat = Chat()
        if let step { chat.order(until: step) }
        let actions = chat.say("chcę rozmawiać z konsultantem", .humanAgent)
        let handover = try #require(escalation(actions))
        #expect(handover.reason == .customerRequest)
        assertReply(actions, contains: "Łączę z konsultantem")
        expectState(chat, "with_agent")
    }

    /// A half-finished order older than the stale limit is dropped and the customer told.
    @Test func staleOrderIsDropped() {
        var chat = Chat()
        chat.order(until: .size)
        chat.wait(minutes: 31)
        let actions = chat.say("dzień dobry", .greet)
        assertReply(actions, contains: "niedokończone zamówienie wygasło")
        #expect(chat.draft == nil)
    }

    /// Within the stale limit the order carries on.
    @Test func recentOrderCarriesOn() {
        var chat = Chat()
        chat.order(until: .size)
        chat.wait(minutes: 29)
        let actions = chat.say("43", .outOfScope, .size("43"))
        assertReply(actions, lacks: "wygasło")
        expectState(chat, "ordering.color")
    }

    /// A card number mid-order is warned about, nothing of the message reaches the draft, and
    /// the open question is asked again.
    @Test func cardNumberIsRefusedAndNotStored() {
        var chat = Chat()
        chat.order(until: .payment)
        let before = chat.state.phase
        let actions = chat.say(message("płacę kartą •••• •••• •••• 1111", .paymentInfo, [.payment("card", "kartą")],
                                       secrets: [.cardNumber]))
        #expect(chat.state.phase == before)
        #expect(chat.draft?.payment == nil)
        assertReply(actions, contains: "Proszę nie podawać w rozmowie numerów kart", "Jak płacisz")
        assertNoEffects(actions)
    }

    /// A BLIK code outside an order is warned about and nothing happens.
    @Test func blikCodeIsRefused() {
        var chat = Chat()
        let actions = chat.say(message("kod blik ••••••", .paymentInfo, secrets: [.blikCode]))
        assertReply(actions, contains: "kodów CVV i BLIK", "link do płatności")
        assertNoEffects(actions)
        expectState(chat, "idle")
    }
}
