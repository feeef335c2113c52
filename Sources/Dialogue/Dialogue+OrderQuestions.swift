import Commerce
import ShopValues

/// The questions of an order, each naming in words what can be answered; on the phone a
/// question names at most three options (the chips, which hint the recogniser, keep them all).
extension Dialogue {
    /// Asks the open question of the order.
    func ask(_ slot: Slot, _ draft: OrderDraft, in context: DialogueContext, _ response: inout Response) {
        let words = response.words
        let product = (draft.current?.productID).flatMap(context.catalog.product)
        switch slot {
        case .product: askProduct(draft, in: context, &response)
        case .size: askSize(product, draft, &response)
        case .color: askColor(product, draft, &response)
        case .quantity:
            let noun = words.isPolish ? (OrderTaking.isPaired(product) ? "par" : "sztuk") : (OrderTaking.isPaired(product) ? "pairs" : "items")
            response.say("Ile \(noun)?", "How many \(noun)?")
            response.offer((1...3).map { QuickReply("\($0)", .quantity($0)) })
        case .moreItems:
            response.say("Czy dodać coś jeszcze do zamówienia?", "Would you like to add anything else?")
            response.offer(response.yesNo)
        case .deliveryMethod: askDeliveryMethod(draft, in: context, &response)
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
        case .payment: askPayment(in: context, &response)
        case .confirmation:
            response.say(OrderTaking.summary(draft, context: context, words: words))
            response.say("Czy potwierdzasz zamówienie?", "Do you confirm the order?")
            response.offer(response.yesNo)
        }
    }

    private func askProduct(_ draft: OrderDraft, in context: DialogueContext, _ response: inout Response) {
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
    private func askSize(_ product: Product?, _ draft: OrderDraft, _ response: inout Response) {
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
    private func askColor(_ product: Product?, _ draft: OrderDraft, _ response: inout Response) {
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

    private func askDeliveryMethod(_ draft: OrderDraft, in context: DialogueContext, _ response: inout Response) {
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
    private func askPayment(in context: DialogueContext, _ response: inout Response) {
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
}
