import Commerce
import Dialogue
import NLU
import Testing

/// A message that changes an earlier answer, sent while some question is open.
struct Correction: Sendable, CustomTestStringConvertible {
    let step: Slot
    var route: Route = .locker
    let turn: Turn
    let says: String?
    let holds: @Sendable (OrderDraft) -> Bool

    var testDescription: String { "\(turn.text) at \(step.rawValue)" }

    static func twoPairs(at step: Slot, route: Route = .locker, says: String? = nil) -> Correction {
        Correction(step: step, route: route, turn: message("zmień na dwie pary", .orderProduct, [.quantity(2, "dwie")]), says: says) {
            ($0.current ?? $0.lines.last)?.quantity == 2
        }
    }

    static func size42(at step: Slot, route: Route = .locker) -> Correction {
        Correction(step: step, route: route, turn: message("jednak rozmiar 42", .orderProduct, [.size("42")]),
                   says: "Zmieniam rozmiar na 42.") { ($0.current ?? $0.lines.last)?.size == "42" }
    }
}

/// Any answer can be corrected while another question is open: the draft changes and the open
/// question (or the summary) is asked again.
@Suite struct CorrectionTests {
    static let corrections: [Correction] = [
        .twoPairs(at: .size),
        Correction(step: .size, turn: message("jednak kurtka City", .orderProduct, [.product("city-jacket", "City")]),
                   says: "Dostępne: M, L.") { $0.current?.productID == "city-jacket" },
        .size42(at: .color),
        .size42(at: .quantity),
        .twoPairs(at: .moreItems, says: "Zmieniam ilość na 2 pary."),
        .size42(at: .deliveryMethod),
        .twoPairs(at: .locker, says: "Zmieniam ilość na 2 pary."),
        .size42(at: .address, route: .courier),
        .twoPairs(at: .store, route: .store),
        .size42(at: .name),
        Correction(step: .name, turn: message("zapłacę kartą", .paymentInfo, [.payment("card", "kartą")]), says: nil) {
            $0.payment == .card
        },
        .twoPairs(at: .contact),
        .twoPairs(at: .payment, says: "Zmieniam ilość na 2 pary."),
        .twoPairs(at: .confirmation, says: "2 pary × 349,00 zł = 698,00 zł"),
        .size42(at: .confirmation),
        Correction(step: .confirmation, turn: message("jednak za pobraniem", .paymentInfo, [.payment("cash_on_delivery", "za pobraniem")]),
                   says: "płatność: za pobraniem (+5,00 zł)") { $0.payment == .cashOnDelivery },
    ]

    /// The correction changes the draft and the open question is asked again.
    @Test(arguments: corrections)
    func correctionKeepsTheOpenQuestion(_ correction: Correction) {
        var chat = Chat()
        chat.order(until: correction.step, OrderScript(route: correction.route))
        let actions = chat.say(correction.turn)
        #expect(chat.draft.map(correction.holds) == true, "draft: \(String(describing: chat.draft))")
        assertAsksAgain(chat, correction.step, actions)
        if let says = correction.says { assertReply(actions, contains: says) }
        assertNoEffects(actions)
    }

    /// A size corrected after the cart was filled is placed in the corrected variant.
    @Test func correctedSizeIsPlaced() throws {
        var chat = Chat()
        chat.order(until: .payment)
        chat.say("jednak rozmiar 42", .orderProduct, .size("42"))
        chat.order(until: .confirmation)
        let request = try #require(placedOrder(chat.say("tak", .affirm)))
        #expect(request.lines == [OrderRequestLine(sku: "AERO-42-BLK", quantity: 1)])
    }

    /// Switching from the locker to a courier at the summary asks for the address, then returns to the summary.
    @Test func changedDeliveryAsksForTheNewDetails() throws {
        var chat = Chat()
        chat.order(until: .confirmation)
        let change = chat.say("jednak kurierem", .deliveryInfo, .delivery("courier", "kurierem"))
        assertAsksAgain(chat, .address, change)
        #expect(chat.draft?.locker == nil)
        let back = chat.say(OrderScript(route: .courier).answer(.address))
        assertAsksAgain(chat, .confirmation, back)
        assertReply(back, contains: "Kurier DPD, ul. Kwiatowa 5, 50-123 Wrocław")
        let request = try #require(placedOrder(chat.say("tak", .affirm)))
        #expect(request.delivery.method == "courier")
    }

    /// A "no" to the summary asks what to change; after a correction the next "yes" places the corrected order.
    @Test func rejectedSummaryThenCorrectionPlacesCorrectedOrder() throws {
        var chat = Chat()
        chat.order(until: .confirmation)
        let no = chat.say("nie", .deny)
        assertReply(no, contains: "Co zmienić?")
        assertNoEffects(no)
        expectState(chat, "ordering.confirmation")
        let fix = chat.say("zmień na dwie pary", .orderProduct, .quantity(2, "dwie"))
        assertReply(fix, contains: "2 pary", "Czy potwierdzasz zamówienie?")
        let request = try #require(placedOrder(chat.say("tak", .affirm)))
        #expect(request.lines == [OrderRequestLine(sku: "AERO-43-BLK", quantity: 2)])
    }
}
