import Commerce
import Foundation
import NLU
import ShopValues

/// A return of a delivered order within the shop's days: offered with a yes to confirm
/// (`confirming.return`), opened by the engine.
struct ReturnFlow: Flow {
    var state: DialogueState
    let context: DialogueContext
    var response: Response

    mutating func offerReturn(_ order: Order) {
        let words = response.words
        let days = context.facts.returns.days
        guard order.status == .delivered, let delivered = order.history.last(where: { $0.status == .delivered }) else {
            explainReturnAfterDelivery(order)
            return
        }
        let deadline = delivered.at.addingTimeInterval(TimeInterval(days) * 86_400)
        guard context.now <= deadline else {
            response.say(
                "Termin zwrotu zamówienia nr \(order.number) minął \(words.day(deadline)) (\(days) dni od doręczenia). Jeśli towar ma wadę, można złożyć reklamację.",
                "The return period for order no. \(order.number) ended on \(words.day(deadline)) (\(days) days after delivery). If the goods are faulty, you can file a complaint.")
            offerMoreHelp()
            return
        }
        response.say(
            "Zamówienie \(words.orderLabel(order)) można zwrócić do \(words.day(deadline)). Czy zgłosić zwrot wszystkich produktów z tego zamówienia?",
            "Order \(words.orderLabel(order)) can be returned until \(words.day(deadline)). Shall I open a return for all its items?")
        response.offer(response.yesNo)
        state.phase = .confirming(.returnItems(order.number))
    }

    /// A return asked for before delivery: when it becomes possible, and that an order not yet
    /// shipped can be cancelled instead.
    private mutating func explainReturnAfterDelivery(_ order: Order) {
        let words = response.words
        response.say("Zwrot jest możliwy po doręczeniu zamówienia; nr \(order.number) jest \(words.status(order)).",
                     "A return is possible once the order is delivered; no. \(order.number) is \(words.status(order)).")
        if order.status.isBeforeShipping, response.isSpoken {
            response.say("Jeszcze nie wysłane zamówienie można anulować. Wystarczy powiedzieć: anuluj zamówienie.",
                         "An order that hasn't shipped can be cancelled: just say cancel my order.")
        } else if order.status.isBeforeShipping {
            response.say("Jeszcze nie wysłane zamówienie można anulować — napisz „anuluj zamówienie”.",
                         "An order that hasn't shipped can be cancelled: write \"cancel my order\".")
        }
        offerMoreHelp()
    }

    mutating func returnOpened(_ returnCase: ReturnCase, order: OrderNumber) {
        state.phase = .idle
        response.say(
            "Zwrot nr \(returnCase.id) do zamówienia nr \(order) został zgłoszony. Odeślij paczkę w ciągu \(context.facts.returns.days) dni"
                + (context.facts.returns.freeViaParcelLocker ? " (nadanie w paczkomacie jest bezpłatne)" : "")
                + ". Pieniądze zwrócimy w ciągu \(context.facts.returns.refundDays) dni.",
            "Return no. \(returnCase.id) for order no. \(order) has been opened. Please send the parcel back within \(context.facts.returns.days) days"
                + (context.facts.returns.freeViaParcelLocker ? " (free from a parcel locker)" : "")
                + ". We'll refund within \(context.facts.returns.refundDays) days.")
        offerMoreHelp()
    }
}
