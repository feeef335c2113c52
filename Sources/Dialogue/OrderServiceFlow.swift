import Commerce
import Foundation
import NLU
import ShopValues

/// Service about the customer's own orders: which order (`awaitingOrder`), then status, cancel,
/// change (`changingOrder`), or the return, complaint and invoice flows. A number that is not the
/// customer's is answered exactly like one that does not exist.
struct OrderServiceFlow: Flow {
    var state: DialogueState
    let context: DialogueContext
    var response: Response

    mutating func serve(_ request: ServiceRequest, _ turn: Turn?) {
        let words = response.words
        switch findOrder(for: request, turn) {
        case .found(let order):
            perform(request, on: order, turn)
        case .notFound(let number):
            response.say(
                "Nie znajduję zamówienia nr \(number) wśród zamówień powiązanych z tą rozmową. Sprawdź, proszę, numer.",
                "I can't find order no. \(number) among the orders linked to this conversation. Please check the number.")
            state.phase = .awaitingOrder(request)
        case .malformed:
            response.say("Ten numer zamówienia wygląda na błędny — ma 6 cyfr, sprawdź je, proszę.",
                         "That order number looks wrong: it has 6 digits, please check them.")
            state.phase = .awaitingOrder(request)
        case .choose(let orders):
            let listed = orders.prefix(response.optionLimit(4))
            let labels = words.list(listed.map(words.orderLabel))
            response.say("Którego zamówienia to dotyczy? \(labels).", "Which order is it about? \(labels).")
            response.offer(listed.map { QuickReply($0.number.digits, .order($0.number.digits)) })
            state.phase = .awaitingOrder(request)
        case .none:
            introduce(request)
            if let contact = turn.flatMap({ TurnReading.contacts(in: $0).first }) ?? context.customer.unprovedContacts.first {
                with(AccountFlow.self) { $0.offerCode(for: request, to: contact, turn) }
                return
            }
            response.say("Podaj, proszę, numer zamówienia (6 cyfr).", "Please give the order number (6 digits).")
            state.phase = .awaitingOrder(request)
        }
    }

    private enum OrderLookup {
        case found(Order)
        case notFound(String)
        case malformed
        case choose([Order])
        case none
    }

    /// The order a request is about: the number given (only among the customer's own orders), else
    /// the one order it can be about, else a choice.
    private func findOrder(for request: ServiceRequest, _ turn: Turn?) -> OrderLookup {
        let customer = context.customer
        var given: String?
        if case .order(let digits)? = turn?.payload { given = digits }
        given = given ?? turn?.understanding.entities(.orderNumber).first?.value
        if given == nil, let turn, let digits = TurnReading.sixDigits(in: turn.text) {
            guard OrderNumber(digits) != nil else { return .malformed }
            given = digits
        }
        if let given {
            guard let number = OrderNumber(given), let order = customer.order(number) else { return .notFound(given) }
            return .found(order)
        }
        let candidates = customer.orders.filter { Self.fits(request, $0, in: context) }
        if candidates.count == 1 { return .found(candidates[0]) }
        if candidates.count > 1 {
            let open = candidates.filter { [.new, .paid, .packed, .shipped].contains($0.status) }
            if request == .status, open.count == 1 { return .found(open[0]) }
            return .choose(candidates)
        }
        // No order fits (none delivered to return, none left to cancel…): the latest one, so the
        // answer explains why, rather than asking for a number that would not help.
        if let latest = customer.orders.first { return .found(latest) }
        return .none
    }

    static func fits(_ request: ServiceRequest, _ order: Order, in context: DialogueContext) -> Bool {
        switch request {
        case .status: true
        case .cancel, .change: order.status.isBeforeShipping
        case .returns:
            order.status == .delivered && order.history.last(where: { $0.status == .delivered }).map {
                context.now.timeIntervalSince($0.at) <= TimeInterval(context.facts.returns.days) * 86_400
            } == true
        case .complaint: order.status == .delivered || order.status == .shipped
        case .invoice: order.status != .cancelled
        }
    }

    /// What the bot says about a request before asking for the number of an order it cannot see.
    private mutating func introduce(_ request: ServiceRequest) {
        let facts = context.facts
        switch request {
        case .returns:
            response.say(
                "Zakupy można zwrócić bez podania przyczyny w ciągu \(facts.returns.days) dni od doręczenia; pieniądze oddajemy w ciągu \(facts.returns.refundDays) dni od zgłoszenia zwrotu.",
                "You can return goods without giving a reason within \(facts.returns.days) days of delivery; we refund within \(facts.returns.refundDays) days of the return notice.")
        case .complaint:
            response.say("Przykro mi, że coś jest nie tak. Reklamację rozpatrujemy w ciągu \(facts.complaints.answerDays) dni.",
                         "I'm sorry something is wrong. We answer complaints within \(facts.complaints.answerDays) days.")
        case .status, .cancel, .change, .invoice:
            response.say("Nie widzę zamówień powiązanych z tą rozmową.", "I don't see any orders linked to this conversation.")
        }
    }

    mutating func awaitOrder(for request: ServiceRequest, _ turn: Turn) {
        if let contact = TurnReading.contacts(in: turn).first {
            with(AccountFlow.self) { $0.claimsContacts(turn) }
            with(AccountFlow.self) { $0.offerCode(for: request, to: contact, turn) }
            return
        }
        let hasNumber = turn.payload.map { if case .order = $0 { true } else { false } } ?? false
            || !turn.understanding.entities(.orderNumber).isEmpty || TurnReading.sixDigits(in: turn.text) != nil
        if hasNumber {
            serve(request, turn)
            return
        }
        if TurnReading.says(yes: false, turn) {
            state.phase = .idle
            response.say("Dobrze. W czym jeszcze mogę pomóc?", "All right. Anything else I can help with?")
            return
        }
        let intent = TurnReading.intent(of: turn)
        if ![.outOfScope, .affirm, .deny].contains(intent) {
            state.phase = .idle
            begin(turn)
            return
        }
        misunderstood(turn, reask: { flow in
            flow.response.say("Podaj, proszę, numer zamówienia (6 cyfr).", "Please give the order number (6 digits).")
        })
    }

    private mutating func perform(_ request: ServiceRequest, on order: Order, _ turn: Turn?) {
        state.phase = .idle
        switch request {
        case .status: tellStatus(order)
        case .cancel: offerCancel(order)
        case .change: offerChange(order, turn)
        case .returns: with(ReturnFlow.self) { $0.offerReturn(order) }
        case .complaint: with(ComplaintFlow.self) { $0.takeComplaint(order, turn) }
        case .invoice: with(InvoiceFlow.self) { $0.startInvoice(order, turn) }
        }
    }

    private mutating func tellStatus(_ order: Order) {
        let words = response.words
        response.say("Zamówienie \(words.orderLabel(order)) jest \(words.status(order)).",
                     "Order \(words.orderLabel(order)) is \(words.status(order)).")
        switch order.delivery {
        case .parcelLocker(let code):
            response.say("Dostawa do paczkomatu \(code).", "Delivery to parcel locker \(code).")
        case .courier(let address):
            response.say("Dostawa kurierem na adres \(address.street), \(address.postcode) \(address.city).",
                         "Delivery by courier to \(address.street), \(address.postcode) \(address.city).")
        case .storePickup(let id):
            if let store = context.facts.store(id) {
                response.say("Odbiór w sklepie \(store.name).", "Pickup at the \(store.name) store.")
            }
        }
        if let tracking = order.tracking, order.status == .shipped || order.status == .delivered {
            tellTracking(tracking)
        }
        if order.status.isBeforeShipping, let option = context.facts.deliveryOption(order.delivery.method) {
            response.say("Wysyłka zwykle trwa \(option.days) dni robocze.", "Delivery usually takes \(option.days) working days.")
        }
        offerMoreHelp()
    }

    /// "Przesyłka: przewoźnik InPost, numer przesyłki 6200…" and the tracking link: what the
    /// shop's warehouse reported.
    private mutating func tellTracking(_ tracking: Tracking) {
        switch (tracking.carrier, tracking.number) {
        case (let carrier?, let number?):
            response.say("Przesyłka: przewoźnik \(quoted: carrier), numer przesyłki \(quoted: number).",
                         "Parcel: carrier \(quoted: carrier), tracking number \(quoted: number).")
        case (nil, let number?):
            response.say("Numer przesyłki: \(quoted: number).", "Tracking number: \(quoted: number).")
        case (let carrier?, nil):
            response.say("Przesyłkę wiezie \(quoted: carrier).", "The carrier is \(quoted: carrier).")
        case (nil, nil):
            break
        }
        if let url = tracking.url, !response.isSpoken {
            response.say("Śledzenie przesyłki: \(quoted: url)", "Track it here: \(quoted: url)")
        }
    }

    private mutating func offerCancel(_ order: Order) {
        let words = response.words
        switch order.status {
        case .new, .paid, .packed:
            response.say("Czy na pewno anulować zamówienie \(words.orderLabel(order)) na \(order.total)?",
                         "Are you sure you want to cancel order \(words.orderLabel(order)) for \(order.total)?")
            response.offer(response.yesNo)
            state.phase = .confirming(.cancel(order.number))
            return
        case .shipped:
            response.say(
                "Zamówienie nr \(order.number) zostało już wysłane, więc nie da się go anulować. Po doręczeniu można je zwrócić w ciągu \(context.facts.returns.days) dni.",
                "Order no. \(order.number) has already shipped, so it can't be cancelled. Once delivered, you can return it within \(context.facts.returns.days) days.")
        case .delivered:
            response.say(
                "Zamówienie nr \(order.number) zostało już doręczone. Można je zwrócić w ciągu \(context.facts.returns.days) dni od doręczenia.",
                "Order no. \(order.number) has been delivered. You can return it within \(context.facts.returns.days) days of delivery.")
        case .cancelled:
            response.say("Zamówienie nr \(order.number) jest już anulowane.", "Order no. \(order.number) is already cancelled.")
        case .returned:
            response.say("Zamówienie nr \(order.number) wróciło już do sklepu.", "Order no. \(order.number) has already come back to the shop.")
        }
        offerMoreHelp()
    }

    private mutating func offerChange(_ order: Order, _ turn: Turn?) {
        let words = response.words
        guard order.status.isBeforeShipping else {
            response.say("Zamówienia nr \(order.number) nie można już zmienić — jest \(words.status(order)).",
                         "Order no. \(order.number) can no longer be changed: it is \(words.status(order)).")
            offerMoreHelp()
            return
        }
        state.phase = .changingOrder(order.number)
        if let turn, applyChange(order, turn) { return }
        response.say(
            "Co zmienić w zamówieniu nr \(order.number)? Mogę zmienić paczkomat albo adres dostawy; zmianę produktów, rozmiaru lub ilości przekażę konsultantowi.",
            "What should change in order no. \(order.number)? I can change the parcel locker or the delivery address; changes to items, sizes or quantities go to an agent.")
    }

    mutating func changeOrder(_ number: OrderNumber, _ turn: Turn) {
        guard let order = context.customer.order(number) else {
            state.phase = .idle
            begin(turn)
            return
        }
        if applyChange(order, turn) { return }
        if TurnReading.says(yes: false, turn) {
            state.phase = .idle
            response.say("Dobrze, zamówienie zostaje bez zmian.", "All right, the order stays as it is.")
            offerMoreHelp()
            return
        }
        let items = turn.understanding.entities.contains { [.size, .quantity, .product, .color].contains($0.kind) }
            || Folding.hasWord(turn.words, startingWith: ["rozmiar", "ilosc", "produkt", "kolor", "size", "quantity", "item", "colo"])
        if items {
            escalate(.customerRequest, turn: turn, summary: "Zmiana zamówienia nr \(number.digits): \(turn.text.prefix(250))")
            return
        }
        state.phase = .idle
        begin(turn)
    }

    /// A new locker code, or a new address, for an order going by that method.
    private mutating func applyChange(_ order: Order, _ turn: Turn) -> Bool {
        let understanding = turn.understanding
        if let code = understanding.entities(.lockerCode).first.flatMap({ LockerCode($0.value) }) {
            guard case .parcelLocker = order.delivery else {
                response.say("To zamówienie idzie inną metodą dostawy; zmianę metody przekażę konsultantowi.",
                             "That order goes by another delivery method; a change of method goes to an agent.")
                escalate(.customerRequest, turn: turn, summary: "Zmiana dostawy zamówienia nr \(order.number.digits) na paczkomat \(code.value)")
                return true
            }
            response.perform(.changeDelivery(order.number, .parcelLocker(code)))
            return true
        }
        if let postcode = understanding.entities(.postcode).first, let address = SlotReading.address(turn.text, postcodeAt: postcode),
           let code = Postcode(address.postcode) {
            guard case .courier = order.delivery else {
                escalate(.customerRequest, turn: turn, summary: "Zmiana dostawy zamówienia nr \(order.number.digits) na kuriera: \(turn.text.prefix(200))")
                return true
            }
            response.perform(.changeDelivery(order.number, .courier(Address(street: address.street, postcode: code, city: address.city))))
            return true
        }
        return false
    }

    mutating func orderCancelled(_ order: Order) {
        state.phase = .idle
        let paid = order.paymentStatus == .paid
        response.say("Zamówienie nr \(order.number) zostało anulowane.", "Order no. \(order.number) has been cancelled.")
        if paid {
            response.say("Pieniądze zwrócimy w ciągu 14 dni.", "We'll refund the payment within 14 days.")
        }
        offerMoreHelp()
    }

    mutating func deliveryChanged(_ order: Order) {
        state.phase = .idle
        let words = response.words
        let destination: Phrase
        switch order.delivery {
        case .parcelLocker(let code): destination = words.pick("paczkomat \(code)", "parcel locker \(code)")
        case .courier(let address): destination = "\(address.street), \(address.postcode) \(address.city)"
        case .storePickup(let id): destination = Phrase(context.facts.store(id)?.name ?? id)
        }
        response.say("Zmieniono dostawę zamówienia nr \(order.number): \(destination).",
                     "The delivery of order no. \(order.number) is now: \(destination).")
        offerMoreHelp()
    }

    mutating func refused(_ error: CommerceError) {
        if case .ordering(let draft) = state.phase {
            with(OrderingFlow.self) { $0.refusedOrder(error, draft) }
            return
        }
        state.phase = .idle
        switch error {
        case .invalidTransition(let order, _, _):
            response.say("Zamówienia nr \(order) nie można już tak zmienić — jego status właśnie się zmienił.",
                         "Order no. \(order) can no longer be changed that way; its status has just changed.")
            offerMoreHelp()
        case .returnNotPossible:
            response.say("Zwrotu nie da się zgłosić dla tego zamówienia.", "A return can't be opened for that order.")
            offerMoreHelp()
        default:
            response.say("Nie udało się tego zrobić. Czy połączyć z konsultantem?", "That didn't work. Shall I connect you with an agent?")
            response.offer(response.yesNo)
            state.phase = .confirming(.person(reason: String(describing: error)))
        }
    }
}
