import Commerce
import Dialogue
import NLU
import Testing

/// Messenger postbacks: the Get Started button greets, persistent-menu buttons named after a
/// topic start it, and every payload's wire form reads back as itself.
@Suite struct PostbackTests {
    static let payloads: [QuickReply.Payload] = [
        .yes, .no, .product("aero-run"), .size("42.5"), .color("black"), .quantity(2), .delivery("parcel_locker"),
        .store("krk-florianska"), .payment("blik"), .order("123455"), .getStarted,
    ] + QuickReply.Topic.allCases.map { .start($0) }

    /// Every payload's raw value reads back as the same payload.
    @Test(arguments: payloads)
    func rawValueRoundTrips(_ payload: QuickReply.Payload) {
        #expect(QuickReply.Payload(rawValue: payload.rawValue) == payload)
    }

    /// Bare topic names of any case, as shops name persistent-menu buttons, start the topic;
    /// the chip form still works; anything else is not a payload.
    @Test func bareTopicsAndGetStartedAreRead() {
        #expect(QuickReply.Payload(rawValue: "GET_STARTED") == .getStarted)
        #expect(QuickReply.Payload.getStarted.rawValue == "GET_STARTED")
        #expect(QuickReply.Payload(rawValue: "ORDER_STATUS") == .start(.status))
        #expect(QuickReply.Payload(rawValue: "order_status") == .start(.status))
        #expect(QuickReply.Payload(rawValue: "START:order_status") == .start(.status))
        #expect(QuickReply.Payload(rawValue: "COMPLAINT") == .start(.complaint))
        #expect(QuickReply.Payload(rawValue: "Human_Agent") == .start(.person))
        #expect(QuickReply.Payload(rawValue: "RETURN_REQUEST") == .start(.returns))
        for unknown in ["ORDER", "STATUS", "FOO_BAR", "START:", "START:ORDER_STATUS_X", ""] {
            #expect(QuickReply.Payload(rawValue: unknown) == nil, "\(unknown)")
        }
    }

    /// Get Started is answered like a greeting: welcome, what the bot can do, the menu as chips.
    @Test(arguments: [(Language.polish, "Rozpocznij", "Dzień dobry!", "W czym mogę pomóc?"),
                      (.english, "Get Started", "Hello!", "How can I help?")])
    func getStartedGreets(_ language: Language, _ title: String, _ hello: String, _ question: String) {
        var chat = Chat()
        let actions = chat.say(tap(.getStarted, title, language: language))
        assertReply(actions, contains: hello, question)
        #expect(chips(actions).map(\.payload) == [.start(.order), .start(.status), .start(.returns), .start(.complaint), .start(.person)])
        assertNoEffects(actions)
        expectState(chat, "idle")
        #expect(chat.state.misunderstandings == 0)
    }

    /// Get Started in the middle of an order greets and asks the open question again.
    @Test func getStartedMidOrderKeepsTheOrder() {
        var chat = Chat()
        chat.order(until: .size)
        let actions = chat.say(tap(.getStarted, "Rozpocznij"))
        assertReply(actions, contains: "Dzień dobry!")
        assertAsksAgain(chat, .size, actions)
    }

    /// A persistent-menu "ORDER_STATUS" tells the status of the customer's order.
    @Test func orderStatusMenuButtonStartsOrderStatus() throws {
        let book = try OrderBook()
        let customer = try book.customer()
        let order = try book.order(for: customer, placedDaysAgo: 1)
        var chat = Chat(customer: book.snapshot(customer, orders: [order]))
        let payload = try #require(QuickReply.Payload(rawValue: "ORDER_STATUS"))
        let actions = chat.say(tap(payload, "Status zamówienia"))
        assertReply(actions, contains: "Zamówienie nr \(order.number)", "czeka na płatność")
        expectState(chat, "idle")
    }

    /// A menu button tapped while a complaint's description is awaited starts its topic; its
    /// title is not taken for the description.
    @Test func menuButtonDuringAComplaintIsNotItsDescription() throws {
        let book = try OrderBook()
        let customer = try book.customer()
        let order = try book.order(for: customer, placedDaysAgo: 10, path: [.paid, .shipped, .delivered], lastStepDaysAgo: 3)
        var chat = Chat(customer: book.snapshot(customer, orders: [order]))
        chat.say("reklamacja", .complaint)
        expectState(chat, "complaint.description")
        let actions = chat.say(tap(.start(.status), "Status zamówienia"))
        #expect(escalation(actions) == nil)
        assertReply(actions, contains: "Zamówienie nr \(order.number)", "doręczone")
        expectState(chat, "idle")
    }
}
