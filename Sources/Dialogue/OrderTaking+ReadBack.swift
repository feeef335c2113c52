import Commerce
import ShopValues

/// The order summary as a caller hears it before saying yes.
extension OrderTaking {
    /// A sentence per item, the delivery with its locker, address or store, payment, contact and
    /// the total. No symbols ("×", "=", "+", brackets); amounts, the phone number, the postcode
    /// and the locker code stay typed for the phone to say.
    static func readBack(_ draft: OrderDraft, context: DialogueContext, words: Phrasebook) -> Phrase {
        let costs = DraftCosts(draft, context: context)
        var sentences: [Phrase] = [words.pick("Podsumowanie zamówienia.", "Here is your order.")]
        sentences += draft.lines.compactMap { spokenLine($0, context.catalog, words) }
        sentences.append(spokenDelivery(draft, costs, context.facts, words))
        if let payment = draft.payment {
            let method = words.spokenPayment(payment)
            sentences.append(words.pick("Płatność: \(method).", "Payment: \(method)."))
        }
        let contact: [Phrase] = [draft.contactName.map { Phrase($0) }, draft.phone.map { "\(phone: $0)" }, draft.email.map { "\(email: $0)" }]
            .compactMap { $0 }
        if !contact.isEmpty {
            let named = contact.joined(separator: ", ")
            sentences.append(words.pick("Kontakt: \(named).", "Contact: \(named)."))
        }
        sentences.append(words.pick("Razem: \(costs.total).", "Total: \(costs.total)."))
        return sentences.joined(separator: " ")
    }

    /// "Aero Run, rozmiar 43, biały, 2 pary po 349,00 zł." / "…, 1 para, 349,00 zł."
    private static func spokenLine(_ line: DraftLine, _ catalog: CatalogSnapshot, _ words: Phrasebook) -> Phrase? {
        guard let sku = line.sku, let variant = catalog.variant(sku: sku), let product = catalog.product(variant.productID),
              let quantity = line.quantity else { return nil }
        let price = variant.price
        let each: Phrase = quantity == 1 ? ", \(price)" : words.pick(" po \(price)", " at \(price) each")
        return "\(words.line(product, size: line.size, color: line.color, quantity: quantity))\(each)."
    }

    /// "Dostawa: Paczkomat InPost, kod WRO01M, bezpłatnie." / "Dostawa: Kurier DPD na adres
    /// ul. Kwiatowa 5, 50-123 Wrocław, 14,99 zł." / "Dostawa: Odbiór w sklepie Kraków, Floriańska, bezpłatnie."
    private static func spokenDelivery(_ draft: OrderDraft, _ costs: DraftCosts, _ facts: ShopFacts, _ words: Phrasebook) -> Phrase {
        var destination = Phrase(words.deliveryName(costs.method))
        switch costs.method {
        case "parcel_locker":
            if let locker = draft.locker { destination += words.pick(", kod \(locker: locker)", ", code \(locker: locker)") }
        case "courier":
            if let address = draft.address {
                destination += words.pick(" na adres ", " to ") + "\(address.street), \(postcode: address.postcode) \(address.city)"
            }
        default:
            if let store = draft.store.flatMap(facts.store) { destination += " \(store.name)" }
        }
        let cost: Phrase = costs.delivery.minorUnits == 0 ? words.pick("bezpłatnie", "free") : "\(costs.delivery)"
        return words.pick("Dostawa: \(destination), \(cost).", "Delivery: \(destination), \(cost).")
    }
}

/// What an order draft comes to: the items, the delivery (free above the shop's threshold),
/// the cash-on-delivery fee, and all together.
struct DraftCosts {
    /// The delivery method priced ("courier" until one is chosen).
    let method: String
    let items: Money
    let delivery: Money
    let fee: Money

    var total: Money { items + delivery + fee }

    init(_ draft: OrderDraft, context: DialogueContext) {
        let facts = context.facts
        method = draft.deliveryMethod ?? "courier"
        items = OrderTaking.itemsTotal(draft, context.catalog, currency: facts.currency)
        delivery = facts.deliveryPrice(method, items: items) ?? .zero(facts.currency)
        fee = draft.payment == .cashOnDelivery ? facts.cashOnDeliveryCharge : .zero(facts.currency)
    }
}
