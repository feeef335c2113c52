import Foundation
import Commerce
import NLU
import ShopValues

/// Taking an order: product, variant, quantity, more items, delivery, contact, payment, summary,
/// confirmation. Any slot can be corrected at any point; questions asked in between are answered
/// and the open question asked again.
extension Dialogue {
    mutating func startOrder(_ turn: Turn, in context: DialogueContext, _ response: inout Response) {
        startOrder(with: DraftLine(), applying: turn, in: context, &response)
    }

    /// Starts an order whose first line is `line`, for the customer of `context` (their name
    /// and contact filled in), then applies `turn` to it, or asks what is missing without one.
    mutating func startOrder(with line: DraftLine, applying turn: Turn?, in context: DialogueContext, _ response: inout Response) {
        var draft = OrderDraft()
        draft.contactName = context.customer.name
        draft.phone = context.customer.phone
        draft.email = context.customer.email
        draft.current = line
        state.phase = .ordering(draft)
        if let turn {
            continueOrder(draft, with: turn, in: context, asked: false, &response)
            return
        }
        var taking = OrderTaking(draft: draft, context: context, words: response.words)
        taking.advance(&response)
        state.phase = .ordering(taking.draft)
        ask(taking.draft.pending, taking.draft, in: context, &response)
    }

    /// Applies a message to the order being taken and asks what comes next. `asked` says
    /// whether the draft's pending question was put to the customer before this message.
    mutating func continueOrder(
        _ start: OrderDraft, with turn: Turn, in context: DialogueContext, asked: Bool = true, _ response: inout Response
    ) {
        var draft = start
        if Self.abandonsOrder(turn) {
            state.phase = .idle
            response.say("Dobrze, zamówienie zostało anulowane. W czym jeszcze mogę pomóc?",
                         "All right, the order has been dropped. Anything else I can help with?")
            return
        }
        var taking = OrderTaking(draft: draft, context: context, words: response.words)
        var handled = taking.apply(turn, &response)
        let answered = handled
        draft = taking.draft
        if !handled, draft.pending == .confirmation, Self.says(yes: true, turn) {
            placeOrder(draft, in: context, &response)
            return
        }
        if !handled, draft.pending == .confirmation, Self.says(yes: false, turn) {
            askWhatToChange(&response)
            state.phase = .ordering(draft)
            state.misunderstandings = 0
            return
        }
        if !handled, Self.intent(of: turn) == .orderProduct {
            // "chcę coś zamówić" with nothing named yet: the open question is the answer.
            handled = true
        }
        if !handled {
            handled = digress(turn, draft, in: context, &response)
            if handled {
                state.phase = .ordering(draft)
                ask(draft.pending, draft, in: context, &response)
                return
            }
        }
        guard handled else {
            state.phase = .ordering(draft)
            misunderstood(turn, in: context, reask: { [self] response in ask(draft.pending, draft, in: context, &response) }, &response)
            return
        }
        taking = OrderTaking(draft: draft, context: context, words: response.words)
        taking.advance(&response)
        draft = taking.draft
        state.phase = .ordering(draft)
        // The same question again (a refused colour, details given while another was asked) is
        // asked at most twice as it is; from then on it comes with its options and a person.
        // Details given while something else was asked are kept, and said back.
        if answered, draft.pending == start.pending, let kept = Self.keptDetails(from: start, to: draft, in: context, response.words) {
            response.say("Zapisane: \(kept).", "Noted: \(kept).")
        }
        guard asked, answered, draft.pending == start.pending, draft.pending != .confirmation else {
            state.misunderstandings = 0
            ask(draft.pending, draft, in: context, &response)
            return
        }
        state.misunderstandings += 1
        ask(draft.pending, draft, in: context, &response)
        if state.misunderstandings >= context.settings.misunderstandingsBeforeOptions { offerPerson(&response) }
    }

    /// The order details a message added beyond the line being chosen (delivery, contact,
    /// payment), as a list to say back; nil when it added none.
    static func keptDetails(from before: OrderDraft, to after: OrderDraft, in context: DialogueContext, _ words: Phrasebook) -> Phrase? {
        var kept: [Phrase] = []
        let newLocker = after.locker.flatMap { $0 == before.locker ? nil : $0 }
        if let method = after.deliveryMethod, method != before.deliveryMethod {
            kept.append("\(words.deliveryName(method))" + (newLocker.map { " \(locker: $0)" } ?? .empty))
        } else if let locker = newLocker {
            kept.append(words.pick("paczkomat \(locker: locker)", "locker \(locker: locker)"))
        }
        if let store = after.store, store != before.store, let name = context.facts.store(store)?.name { kept.append(Phrase(name)) }
        if after.address != before.address, let address = after.address {
            kept.append("\(address.street), \(postcode: address.postcode) \(address.city)")
        }
        if let name = after.contactName, name != before.contactName { kept.append(Phrase(name)) }
        if let phone = after.phone, phone != before.phone { kept.append("\(phone: phone)") }
        if let email = after.email, email != before.email { kept.append("\(email: email)") }
        if let payment = after.payment, payment != before.payment { kept.append(Phrase(words.payment(payment))) }
        return kept.isEmpty ? nil : kept.joined(separator: ", ")
    }

    /// The summary was turned down: what to change, with examples.
    private func askWhatToChange(_ response: inout Response) {
        if response.isSpoken {
            response.say("Co zmienić? Powiedz na przykład: rozmiar 43, paczkomat albo anuluj.",
                         "What should I change? Say for example: size 43, parcel locker or cancel.")
        } else {
            response.say("Co zmienić? Napisz np. „rozmiar 43”, „dwie pary”, „paczkomat”, „BLIK” albo „anuluj”.",
                         "What should I change? Write e.g. \"size 43\", \"two pairs\", \"parcel locker\", \"BLIK\" or \"cancel\".")
        }
    }

    /// "anuluj", "rezygnuję", "never mind": the customer drops the order being taken.
    static func abandonsOrder(_ turn: Turn) -> Bool {
        Folding.contains(turn.words, anyOf: [
            "anuluj", "anuluje", "rezygnuje", "rezygnuj", "nie chce juz", "jednak nie chce", "zrezygnuje",
            "cancel", "cancel it", "never mind", "nevermind", "forget it",
        ]) && turn.understanding.entities.isEmpty
    }

    /// A yes or a no, tapped or said.
    static func says(yes: Bool, _ turn: Turn) -> Bool {
        if let payload = turn.payload { return payload == (yes ? .yes : .no) }
        // "mój numer to 601 234 567" is an answer with a contact in it, not a yes.
        if !contacts(in: turn).isEmpty { return false }
        if turn.understanding.intent == (yes ? .affirm : .deny) { return true }
        return yes && ["👍", "👌", "ok", "OK", "Ok"].contains(turn.text.trimmingWhitespace)
    }

    /// A question asked in the middle of an order: answered here (the caller asks the open
    /// question again). False when the message is not such a question.
    private mutating func digress(_ turn: Turn, _ draft: OrderDraft, in context: DialogueContext, _ response: inout Response) -> Bool {
        guard turn.payload == nil || Self.tapsMenu(turn) else { return false }
        switch Self.intent(of: turn) {
        case .deliveryInfo: answerDelivery(in: context, &response)
        case .paymentInfo: answerPayment(in: context, &response)
        case .storeInfo: answerStores(turn, in: context, &response)
        case .productInfo: describeProduct(turn, in: context, offerOrder: false, &response)
        case .greet: response.say("Dzień dobry!", "Hello!")
        case .thanks: response.say("Proszę bardzo!", "You're welcome!")
        case .orderStatus, .cancelOrder, .changeOrder, .returnRequest, .complaint, .invoice, .account:
            if response.isSpoken {
                response.say("Chętnie pomogę z tym zaraz po tym zamówieniu. Jeśli chcesz je porzucić, powiedz: anuluj.",
                             "Happy to help with that right after this order. To drop it, say cancel.")
            } else {
                response.say("Chętnie pomogę z tym zaraz po tym zamówieniu (albo napisz „anuluj”, żeby je porzucić).",
                             "Happy to help with that right after this order (or write \"cancel\" to drop it).")
            }
        case .goodbye:
            response.say("Zamówienie poczeka jeszcze chwilę, jeśli zechcesz je dokończyć.",
                         "The order will wait a little while if you want to finish it.")
        case .affirm, .deny, .orderProduct, .humanAgent, .outOfScope:
            return false
        }
        return true
    }

    private mutating func placeOrder(_ draft: OrderDraft, in context: DialogueContext, _ response: inout Response) {
        guard let request = OrderTaking.request(from: draft) else {
            state.phase = .ordering(draft)
            ask(draft.pending, draft, in: context, &response)
            return
        }
        state.misunderstandings = 0
        response.perform(.placeOrder(request))
    }

    mutating func orderPlaced(_ order: Order, _ response: inout Response) {
        state.phase = .idle
        response.say("Zamówienie nr \(order.number) zostało złożone. Do zapłaty: \(order.total).",
                     "Order no. \(order.number) has been placed. Total: \(order.total).")
        switch order.payment {
        case .blik, .card, .bankTransfer:
            response.say("Link do płatności wyślemy na podany kontakt.", "We'll send a payment link to your contact details.")
        case .cashOnDelivery:
            response.say("Zapłacisz przy odbiorze.", "You'll pay on delivery.")
        case .deferred:
            response.say("Zapłacisz w ciągu 30 dni od otrzymania.", "You'll pay within 30 days of delivery.")
        }
        response.say("Dziękujemy!", "Thank you!")
        offerMoreHelp(&response)
    }

    /// The order could not be placed after all (sold out since the summary, say): back to the
    /// question that fixes it.
    mutating func refusedOrder(_ error: CommerceError, _ draft: OrderDraft, in context: DialogueContext, _ response: inout Response) {
        var draft = draft
        let words = response.words
        if case .outOfStock(let sku, _, let available) = error, let index = draft.lines.firstIndex(where: { $0.sku == sku }) {
            var line = draft.lines.remove(at: index)
            let product = line.productID.flatMap(context.catalog.product)
            let variant = product.map { words.line($0, size: line.size, color: line.color, quantity: nil) } ?? sku
            response.say("Niestety, ten wariant właśnie się wyprzedał: \(variant) (zostało: \(available)).",
                         "Sorry, \(variant) has just sold out (left: \(available)).")
            line.sku = nil
            line.quantity = available > 0 ? min(line.quantity ?? 1, available) : nil
            if available == 0 { line.size = nil }
            draft.current = line
        } else {
            response.say("Nie udało się złożyć zamówienia. Sprawdźmy jeszcze raz szczegóły.",
                         "The order could not be placed. Let's check the details again.")
        }
        var taking = OrderTaking(draft: draft, context: context, words: words)
        taking.advance(&response)
        state.phase = .ordering(taking.draft)
        ask(taking.draft.pending, taking.draft, in: context, &response)
    }
}
