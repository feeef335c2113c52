import Commerce
import Foundation
import NLU
import ShopValues

/// Taking an order: product, variant, quantity, more items, delivery, contact, payment, summary,
/// confirmation. Any slot can be corrected at any point; questions asked in between are answered
/// and the open question asked again. Phase: `ordering` (the draft knows the open question).
struct OrderingFlow: Flow {
    var state: DialogueState
    let context: DialogueContext
    var response: Response

    /// Asks the open question of the order.
    mutating func ask(_ slot: Slot, _ draft: OrderDraft) {
        let words = response.words
        let product = (draft.current?.productID).flatMap(context.catalog.product)
        switch slot {
        case .product: askProduct(draft)
        case .size: askSize(product, draft)
        case .color: askColor(product, draft)
        case .quantity:
            let noun = words.isPolish ? (OrderTaking.isPaired(product) ? "par" : "sztuk") : (OrderTaking.isPaired(product) ? "pairs" : "items")
            response.say("Ile \(noun)?", "How many \(noun)?")
            response.offer((1...3).map { QuickReply("\($0)", .quantity($0)) })
        case .moreItems:
            response.say("Czy dodać coś jeszcze do zamówienia?", "Would you like to add anything else?")
            response.offer(response.yesNo)
        case .deliveryMethod: askDeliveryMethod(draft)
        case .address where response.isSpoken:
            response.say("Podaj adres dostawy: ulicę z numerem, kod pocztowy i miasto.",
                         "Please give the delivery address: street and number, postcode and city.")
        case .address:
            response.say("Podaj adres dostawy: ulicę z numerem, kod pocztowy i miasto (np. ul. Kwiatowa 5, \(postcode: "50-123") Wrocław).",
                         "Please give the delivery address: street and number, postcode and city (e.g. ul. Kwiatowa 5, \(postcode: "50-123") Wrocław).")
        case .locker where response.isSpoken:
            response.say("Podaj kod paczkomatu, na przykład \(locker: "WRO01M").", "Please give the parcel locker code, for example \(locker: "WRO01M").")
        case .locker:
            response.say("Podaj kod paczkomatu (np. \(locker: "WRO01M")).", "Please give the parcel locker code (e.g. \(locker: "WRO01M")).")
        case .store:
            let stores = context.facts.stores.filter(\.pickup)
            let names = words.list(stores.prefix(response.optionLimit(stores.count)).map(\.name))
            response.say("W którym sklepie odbiór: \(names)?", "Which store will you pick it up from: \(names)?")
            response.offer(stores.map { QuickReply($0.name, .store($0.id)) })
        case .name:
            response.say("Na jakie imię i nazwisko złożyć zamówienie?", "What name should the order be under?")
        case .contact:
            response.say("Podaj numer telefonu lub e-mail do kontaktu w sprawie zamówienia.",
                         "Please give a phone number or e-mail for updates about the order.")
        case .payment: askPayment()
        case .confirmation:
            response.say(OrderTaking.summary(draft, context: context, words: words))
            response.say("Czy potwierdzasz zamówienie?", "Do you confirm the order?")
            response.offer(response.yesNo)
        }
    }

    private mutating func askProduct(_ draft: OrderDraft) {
        let words = response.words
        let offered = draft.offeredProducts.compactMap(context.catalog.product)
        guard !offered.isEmpty else {
            // The examples are this shop's: its first product in stock, by name and by kind.
            guard let example = context.catalog.products.first(where: { !$0.inStock.isEmpty }) else {
                response.say("Który produkt chcesz zamówić?", "Which product would you like?")
                return
            }
            let name = words.shortName(example)
            let kind = words.kind(example)
            if response.isSpoken {
                response.say("Który produkt chcesz zamówić? Powiedz nazwę, na przykład \(name), albo rodzaj, na przykład \(kind).",
                             "Which product would you like? Say its name, for example \(name), or a kind, for example \(kind).")
            } else {
                response.say("Który produkt chcesz zamówić? Napisz nazwę, np. \(name), albo rodzaj, np. „\(kind)”.",
                             "Which product would you like? Write its name, e.g. \(name), or a kind, e.g. \"\(kind)\".")
            }
            return
        }
        let listed = offered.prefix(response.optionLimit(5))
        response.say(words.pick("Mamy: ", "We have: ")
                     + words.list(listed.map { "\(words.shortName($0)) (\(OrderTaking.lowestPrice($0)))" })
                     + words.pick(". Który wybierasz?", ". Which one would you like?"))
        response.offer(listed.map { QuickReply(words.shortName($0), .product($0.id)) })
    }

    /// The sizes in stock: all of them in writing; on the phone up to three, else their range.
    private mutating func askSize(_ product: Product?, _ draft: OrderDraft) {
        let words = response.words
        let sizes = product.map { OrderTaking.sizesInStock($0, color: draft.current?.color) } ?? []
        if response.optionsListed {
            response.say("Jaki rozmiar?", "Which size?")
        } else if response.isSpoken {
            let named = words.spokenSizes(sizes)
            response.say("Jaki rozmiar? Dostępne: \(named).", "Which size? Available: \(named).")
        } else {
            let named = sizes.map(words.shownSize).joined(separator: ", ")
            response.say("Jaki rozmiar? Dostępne: \(named).", "Which size? Available: \(named).")
        }
        response.offer(sizes.prefix(11).map { QuickReply(words.shownSize($0), .size($0)) })
    }

    /// The colours in stock: all of them in writing; on the phone three "and more".
    private mutating func askColor(_ product: Product?, _ draft: OrderDraft) {
        let words = response.words
        let colors = product.map { OrderTaking.colorsInStock($0, size: draft.current?.size) } ?? []
        let names = colors.map(words.color)
        if response.optionsListed {
            response.say("Jaki kolor?", "Which colour?")
        } else {
            let named = response.isSpoken ? words.examples(names) : words.list(names)
            response.say("Jaki kolor? Dostępne: \(named).", "Which colour? Available: \(named).")
        }
        response.offer(colors.map { QuickReply(words.color($0), .color($0)) })
    }

    private mutating func askDeliveryMethod(_ draft: OrderDraft) {
        let words = response.words
        let facts = context.facts
        let items = OrderTaking.itemsTotal(draft, context.catalog, currency: facts.currency)
        let options = facts.delivery.prefix(response.optionLimit(facts.delivery.count)).map { option -> Phrase in
            let price = facts.deliveryPrice(option.method, items: items) ?? .zero(facts.currency)
            let cost: Phrase = price.minorUnits == 0 ? words.pick("bezpłatnie", "free") : "\(price)"
            return "\(words.deliveryName(option.method)) (\(cost))"
        }
        let named = words.list(options)
        response.say("Jak dostarczyć zamówienie: \(named)?", "How should we deliver it: \(named)?")
        response.offer(facts.delivery.map { QuickReply(words.deliveryName($0.method), .delivery($0.method)) })
    }

    /// The shop's payment methods; on the phone three of them, cash on delivery with its fee in
    /// words rather than "(+5,00 zł)".
    private mutating func askPayment() {
        let words = response.words
        let methods = context.facts.paymentMethods.compactMap(PaymentMethod.init(rawValue:))
        let names: [Phrase]
        if response.isSpoken {
            names = Phrasebook.spokenOrder(methods).prefix(Phrasebook.spokenOptions).map(words.spokenPayment)
        } else {
            let fee = context.facts.cashOnDeliveryCharge
            names = methods.map { $0 == .cashOnDelivery ? "\(words.payment($0)) (+\(fee))" : Phrase(words.payment($0)) }
        }
        let named = words.list(names)
        response.say("Jak płacisz: \(named)?", "How would you like to pay: \(named)?")
        response.offer(methods.map { QuickReply(words.payment($0), .payment($0.rawValue)) })
    }

    mutating func startOrder(_ turn: Turn) {
        startOrder(with: DraftLine(), applying: turn)
    }

    /// Starts an order whose first line is `line`, for the customer of `context` (their name
    /// and contact filled in), then applies `turn` to it, or asks what is missing without one.
    mutating func startOrder(with line: DraftLine, applying turn: Turn?) {
        var draft = OrderDraft()
        draft.contactName = context.customer.name
        draft.phone = context.customer.phone
        draft.email = context.customer.email
        draft.current = line
        state.phase = .ordering(draft)
        if let turn {
            continueOrder(draft, with: turn, asked: false)
            return
        }
        var taking = OrderTaking(draft: draft, context: context, words: response.words)
        taking.advance(&response)
        state.phase = .ordering(taking.draft)
        ask(taking.draft.pending, taking.draft)
    }

    /// Applies a message to the order being taken and asks what comes next. `asked` says
    /// whether the draft's pending question was put to the customer before this message.
    mutating func continueOrder(
        _ start: OrderDraft, with turn: Turn, asked: Bool = true
    ) {
        var draft = start
        if TurnReading.abandonsOrder(turn) {
            state.phase = .idle
            response.say("Dobrze, zamówienie zostało anulowane. W czym jeszcze mogę pomóc?",
                         "All right, the order has been dropped. Anything else I can help with?")
            return
        }
        var taking = OrderTaking(draft: draft, context: context, words: response.words)
        var handled = taking.apply(turn, &response)
        let answered = handled
        draft = taking.draft
        if !handled, draft.pending == .confirmation, TurnReading.says(yes: true, turn) {
            placeOrder(draft)
            return
        }
        if !handled, draft.pending == .confirmation, TurnReading.says(yes: false, turn) {
            askWhatToChange()
            state.phase = .ordering(draft)
            state.misunderstandings = 0
            return
        }
        if !handled, TurnReading.intent(of: turn) == .orderProduct {
            // "chcę coś zamówić" with nothing named yet: the open question is the answer.
            handled = true
        }
        if !handled {
            handled = digress(turn, draft)
            if handled {
                state.phase = .ordering(draft)
                ask(draft.pending, draft)
                return
            }
        }
        guard handled else {
            state.phase = .ordering(draft)
            misunderstood(turn, reask: { $0.ask(draft.pending, draft) })
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
            ask(draft.pending, draft)
            return
        }
        state.misunderstandings += 1
        ask(draft.pending, draft)
        if state.misunderstandings >= context.settings.misunderstandingsBeforeOptions { offerPerson() }
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
    private mutating func askWhatToChange() {
        if response.isSpoken {
            response.say("Co zmienić? Powiedz na przykład: rozmiar 43, paczkomat albo anuluj.",
                         "What should I change? Say for example: size 43, parcel locker or cancel.")
        } else {
            response.say("Co zmienić? Napisz np. „rozmiar 43”, „dwie pary”, „paczkomat”, „BLIK” albo „anuluj”.",
                         "What should I change? Write e.g. \"size 43\", \"two pairs\", \"parcel locker\", \"BLIK\" or \"cancel\".")
        }
    }

    /// A question asked in the middle of an order: answered here (the caller asks the open
    /// question again). False when the message is not such a question.
    private mutating func digress(_ turn: Turn, _ draft: OrderDraft) -> Bool {
        guard turn.payload == nil || TurnReading.tapsMenu(turn) else { return false }
        switch TurnReading.intent(of: turn) {
        case .deliveryInfo: with(FAQFlow.self) { $0.answerDelivery() }
        case .paymentInfo: with(FAQFlow.self) { $0.answerPayment() }
        case .storeInfo: with(FAQFlow.self) { $0.answerStores(turn) }
        case .productInfo: with(FAQFlow.self) { $0.describeProduct(turn, offerOrder: false) }
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

    private mutating func placeOrder(_ draft: OrderDraft) {
        guard let request = OrderTaking.request(from: draft) else {
            state.phase = .ordering(draft)
            ask(draft.pending, draft)
            return
        }
        state.misunderstandings = 0
        response.perform(.placeOrder(request))
    }

    mutating func orderPlaced(_ order: Order) {
        state.phase = .idle
        response.say("Zamówienie nr \(order.number) zostało złożone. Do zapłaty: \(order.total).",
                     "Order no. \(order.number) has been placed. Total: \(order.total).")
        switch order.payment {
        case .blik, .card, .bankTransfer:
            tellPaymentLink(order)
        case .cashOnDelivery:
            response.say("Zapłacisz przy odbiorze.", "You'll pay on delivery.")
        case .deferred:
            response.say("Zapłacisz w ciągu 30 dni od otrzymania.", "You'll pay within 30 days of delivery.")
        }
        response.say("Dziękujemy!", "Thank you!")
        offerMoreHelp()
    }

    /// Where to pay: the link itself in a chat; on the phone, that it comes by SMS (or e-mail)
    /// when the notifier can send it.
    private mutating func tellPaymentLink(_ order: Order) {
        let settings = context.settings
        switch (settings.paymentLink, response.isSpoken) {
        case (let template?, false):
            response.say("Zapłać tutaj: \(quoted: template.link(for: order))", "Pay here: \(quoted: template.link(for: order))")
        case (_?, true) where settings.sendsVerificationCodes:
            response.say("Link do płatności wyślemy w wiadomości na kontakt podany w zamówieniu.",
                         "We'll send the payment link to the contact details on the order.")
        default:
            response.say("Link do płatności wyślemy na podany kontakt.", "We'll send a payment link to your contact details.")
        }
    }

    /// The order could not be placed after all (sold out since the summary, say): back to the
    /// question that fixes it.
    mutating func refusedOrder(_ error: CommerceError, _ draft: OrderDraft) {
        var draft = draft
        let words = response.words
        if case .tooManyOrders = error {
            let contact = context.facts.contact
            response.say(
                "Złożono już kilka zamówień w krótkim czasie — kolejne przyjmę za jakiś czas. "
                    + "Obsługa klienta: \(quoted: contact.phone), \(contact.hoursPL).",
                "Several orders have been placed in a short while; I can take another one later. "
                    + "Customer service: \(quoted: contact.phone), \(contact.hoursEN).")
            state.phase = .idle
            return
        }
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
        ask(taking.draft.pending, taking.draft)
    }
}
