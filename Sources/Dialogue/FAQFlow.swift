import Commerce
import Foundation
import NLU
import ShopValues

/// Questions about the shop answered from its facts and catalog: greetings, what it sells and
/// for how much, delivery, payment, stores. Nothing here waits for an answer but a product
/// described ("shall I order it?", `ConfirmationFlow`).
struct FAQFlow: Flow {
    var state: DialogueState
    let context: DialogueContext
    var response: Response

    mutating func greet() {
        let words = response.words
        response.say("Dzień dobry!", "Hello!")
        if let latest = context.customer.orders.first, [.new, .paid, .packed, .shipped].contains(latest.status) {
            response.say("Widzę zamówienie \(words.orderLabel(latest)) — jest \(words.status(latest)).",
                         "I can see order \(words.orderLabel(latest)): it is \(words.status(latest)).")
        }
        offerMenu(intro: words.pick("W czym mogę pomóc?", "How can I help?"))
    }

    mutating func describeProduct(
        _ turn: Turn, about discussed: String? = nil, offerOrder: Bool = true
    ) {
        let words = response.words
        // A kind the shop sells one product of ("ile kosztuje szal?") is that product.
        let onlyOfItsKind = context.catalog.products(namedBy: turn.words).filter { !$0.inStock.isEmpty }
        let named = turn.understanding.entities(.product).first.flatMap { context.catalog.product($0.value) }
            ?? discussed.flatMap(context.catalog.product)
            ?? (onlyOfItsKind.count == 1 ? onlyOfItsKind.first : nil)
        guard let product = named else {
            let family = context.catalog.products(namedBy: turn.words).filter { !$0.inStock.isEmpty }
            guard !family.isEmpty else {
                // "co macie?": what the shop has, by kind, with prices from.
                if TurnReading.asksWhatIsSold(turn) {
                    listRange(offerOrder: offerOrder)
                    return
                }
                let example = context.catalog.products.first { !$0.inStock.isEmpty }.map(words.shortName)
                if let example {
                    response.say(response.isSpoken ? words.pick("O który produkt chodzi? Powiedz jego nazwę, na przykład \(example).",
                                                                "Which product do you mean? Say its name, for example \(example).")
                                                   : words.pick("O który produkt chodzi? Napisz jego nazwę, np. \(example).",
                                                                "Which product do you mean? Write its name, e.g. \(example)."))
                } else {
                    response.say("O który produkt chodzi?", "Which product do you mean?")
                }
                return
            }
            let listed = family.prefix(response.optionLimit(5))
            let priced: [Phrase] = listed.map { "\(words.shortName($0)) (\(words.pick("od", "from")) \(OrderTaking.lowestPrice($0)))" }
            response.say("Mamy: \(words.list(priced)).", "We have: \(words.list(priced)).")
            if offerOrder {
                response.say("Który wybierasz?", "Which one would you like?")
                response.offer(listed.map { QuickReply(words.shortName($0), .product($0.id)) })
            }
            return
        }
        guard !product.inStock.isEmpty else {
            response.say("\(words.name(product)) jest chwilowo niedostępny.", "\(words.name(product)) is out of stock at the moment.")
            if offerOrder { offerMoreHelp() }
            return
        }
        let size = turn.understanding.entities(.size).first.map(\.value).flatMap { size in
            product.variants.contains { $0.size == size } ? size : nil
        }
        let color = turn.understanding.entities(.color).first.flatMap { OrderTaking.ownColour($0.value, of: product) }
        // "do you have the Halny in navy, size S?": the answer is about that variant first.
        var available = true
        if size != nil || (color.map { !$0.isEmpty } ?? false) {
            let asked = words.line(product, size: size, color: color, quantity: nil)
            let matching = product.inStock.filter { (size == nil || $0.size == size) && (color == nil || $0.color == color) }
            if let price = matching.map(\.price).min() {
                response.say("Tak, mamy: \(asked) — \(price).", "Yes, we have \(asked): \(price).")
            } else {
                available = false
                response.say("\(asked): niedostępne.", "\(asked): not available.")
            }
        }
        if !available || (size == nil && color == nil) {
            response.say(Self.description(of: product, spoken: response.isSpoken, words))
        }
        if offerOrder {
            response.say("Czy chcesz zamówić?", "Would you like to order it?")
            response.offer(response.yesNo)
            // That variant goes into the order on "yes" (one that is not available is chosen again).
            state.phase = .confirming(.order(productID: product.id, size: available ? size : nil, color: available ? color : nil))
        }
    }

    /// Every product in stock (up to what the channel can list), with its price from, grouped
    /// by nothing more than the catalog's order.
    private mutating func listRange(offerOrder: Bool) {
        let words = response.words
        let products = context.catalog.products.filter { !$0.inStock.isEmpty }
        guard !products.isEmpty else {
            response.say("W tej chwili nie mamy nic na stanie.", "We have nothing in stock at the moment.")
            return
        }
        let listed = products.prefix(response.optionLimit(8))
        let priced: [Phrase] = listed.map { "\(words.name($0)) (\(words.pick("od", "from")) \(OrderTaking.lowestPrice($0)))" }
        let more: String = products.count > listed.count ? words.pick(" i więcej.", " and more.") : "."
        response.say(words.pick("Mamy: ", "We have: ") + words.list(priced, or: false) + Phrase(more))
        if offerOrder {
            response.say("Co wybierasz?", "Which one would you like?")
            response.offer(listed.prefix(response.optionLimit(5)).map { QuickReply(words.shortName($0), .product($0.id)) })
        }
    }

    /// "Buty do biegania Aero Run: 349,00 zł. Dostępne rozmiary: … Kolory: …"; on the phone
    /// the sizes as a range and three colours "and more".
    private static func description(of product: Product, spoken: Bool, _ words: Phrasebook) -> Phrase {
        let sizes = OrderTaking.sizesInStock(product, color: nil)
        let colors = OrderTaking.colorsInStock(product, size: nil).map(words.color)
        let prices = Self.pricesBySize(product)
        // Sizes that cost differently are priced one by one: "100 ml — 59,00 zł, 250 ml — 89,00 zł".
        if Set(prices.map(\.price)).count > 1 {
            let priced: [Phrase] = prices.map { "\(words.shownSize($0.size)) — \($0.price)" }
            var text: Phrase = "\(words.name(product)): \(priced.joined(separator: ", "))."
            if !colors.isEmpty {
                text += Phrase(words.pick(" Kolory: ", " Colours: ") + (spoken ? words.examples(colors, or: false) : words.list(colors, or: false)) + ".")
            }
            return text
        }
        var text: Phrase = "\(words.name(product)): \(OrderTaking.lowestPrice(product))."
        if !sizes.isEmpty {
            text += Phrase(words.pick(" Dostępne rozmiary: ", " Sizes in stock: ")
                + (spoken ? words.spokenSizes(sizes) : sizes.map(words.shownSize).joined(separator: ", ")) + ".")
        }
        if !colors.isEmpty {
            text += Phrase(words.pick(" Kolory: ", " Colours: ") + (spoken ? words.examples(colors, or: false) : words.list(colors, or: false)) + ".")
        }
        return text
    }

    /// Each size in stock with its lowest price, in the catalog's order of sizes.
    private static func pricesBySize(_ product: Product) -> [(size: String, price: Money)] {
        OrderTaking.sizesInStock(product, color: nil).compactMap { size in
            product.inStock.filter { $0.size == size }.map(\.price).min().map { (size, $0) }
        }
    }

    mutating func answerDelivery() {
        guard !response.isSpoken else { return tellDelivery() }
        let words = response.words
        let facts = context.facts
        let options = facts.delivery.map { option -> Phrase in
            var text: Phrase = "\(words.deliveryName(option.method)) — \(option.priceMoney(facts.currency))"
            if let free = option.freeFrom.flatMap({ Money(decimal: $0, currency: facts.currency) }) {
                text += words.pick(", za darmo od \(free)", ", free from \(free)")
            }
            return text + words.pick(", \(option.days) dni robocze", ", \(option.days) working days")
        }
        response.say(words.pick("Dostawa: ", "Delivery: ") + options.joined(separator: "; ") + ".")
        let abroad = facts.countries.filter { $0 != "PL" }
        if !abroad.isEmpty, let price = Money(decimal: facts.internationalDeliveryPrice, currency: facts.currency) {
            response.say("Wysyłamy też do: \(abroad.joined(separator: ", ")) (\(price)).",
                         "We also ship to \(abroad.joined(separator: ", ")) (\(price)).")
        }
    }

    /// Delivery options, prices, free-delivery thresholds and times as a caller hears them: up to
    /// three options, no dashes, and three of the countries abroad.
    private mutating func tellDelivery() {
        let words = response.words
        let facts = context.facts
        let options = facts.delivery.prefix(Phrasebook.spokenOptions).map { option -> Phrase in
            let price = option.priceMoney(facts.currency)
            var text: Phrase = "\(words.deliveryName(option.method)) "
                + (price.minorUnits == 0 ? words.pick("bezpłatnie", "free") : words.pick("za \(price)", "for \(price)"))
            if let free = option.freeFrom.flatMap({ Money(decimal: $0, currency: facts.currency) }) {
                text += words.pick(", za darmo od \(free)", ", free from \(free)")
            }
            return text + Phrase(", " + words.spokenWorkingDays(option.days))
        }
        response.say(words.pick("Dostawa: ", "Delivery: ") + options.joined(separator: "; ") + ".")
        let abroad = facts.countries.filter { $0 != "PL" }.map(words.spokenCountry)
        if !abroad.isEmpty, let price = Money(decimal: facts.internationalDeliveryPrice, currency: facts.currency) {
            let some = abroad.count > Phrasebook.spokenOptions ? words.pick("na przykład ", "for example ") : ""
            let countries = words.list(Array(abroad.prefix(Phrasebook.spokenOptions)), or: false)
            response.say("Wysyłamy też za granicę, \(some)do \(countries), za \(price).",
                         "We also ship abroad, \(some)to \(countries), for \(price).")
        }
    }

    mutating func answerPayment() {
        guard !response.isSpoken else { return tellPayment() }
        let words = response.words
        let methods = context.facts.paymentMethods.compactMap(PaymentMethod.init(rawValue:)).map(words.payment)
        let fee = context.facts.cashOnDeliveryCharge
        response.say("Można zapłacić: \(words.list(methods)). Za pobraniem dopłata \(fee).",
                     "You can pay by: \(words.list(methods)). Cash on delivery costs \(fee) extra.")
        response.say("Płatność odbywa się przez bezpieczny link albo przy odbiorze — nigdy nie podawaj w rozmowie danych karty ani kodu BLIK.",
                     "Payment goes through a secure link or on delivery; never share card details or BLIK codes in the chat.")
    }

    /// Payment methods as a caller hears them: three of them, and no card details on the phone.
    private mutating func tellPayment() {
        let words = response.words
        let methods = context.facts.paymentMethods.compactMap(PaymentMethod.init(rawValue:))
        let named = words.examples(Phrasebook.spokenOrder(methods).map(words.payment), or: false)
        let fee = context.facts.cashOnDeliveryCharge
        response.say("Można zapłacić: \(named). Za pobraniem dopłata \(fee).", "You can pay by: \(named). Cash on delivery costs \(fee) extra.")
        response.say("Płatność odbywa się przez bezpieczny link albo przy odbiorze. Nigdy nie podawaj w rozmowie danych karty ani kodu BLIK.",
                     "Payment goes through a secure link or on delivery. Never give card details or BLIK codes during a call.")
    }

    mutating func answerStores(_ turn: Turn) {
        let words = response.words
        let facts = context.facts
        let asked = Set(turn.words)
        let named = facts.stores.filter { store in
            Folding.words(store.name).contains { name in asked.contains { $0.count >= 4 && name.hasPrefix(String($0.prefix(5))) } }
        }
        let stores = named.isEmpty ? facts.stores : named
        for store in stores.prefix(response.optionLimit(stores.count)) {
            let hours = store.hours.map { response.isSpoken ? Self.spokenHours($0, words) : Self.hours($0, words) }.joined(separator: ", ")
            let pickup: String = store.pickup ? words.pick(" (odbiór zamówień).", " (order pickup).") : "."
            response.say("\(store.name): \(quoted: store.address), \(hours)\(pickup)")
        }
        if named.isEmpty, response.isSpoken {
            response.say("Obsługa klienta: \(quoted: facts.contact.phone), \(facts.contact.hoursPL).",
                         "Customer service: \(quoted: facts.contact.phone), \(facts.contact.hoursEN).")
        } else if named.isEmpty {
            response.say("Obsługa klienta: \(quoted: facts.contact.phone), \(email: facts.contact.email), \(facts.contact.hoursPL).",
                         "Customer service: \(quoted: facts.contact.phone), \(email: facts.contact.email), \(facts.contact.hoursEN).")
        }
    }

    /// "pon.–pt. 10:00–20:00", "niedz. nieczynne".
    private static func hours(_ hour: ShopFacts.OpeningHours, _ words: Phrasebook) -> String {
        let days = Self.days(hour.days, words)
        guard hour.closed != true, let open = hour.open, let close = hour.close else { return days + words.pick(" nieczynne", " closed") }
        return "\(days) \(open)–\(close)"
    }

    /// "od poniedziałku do piątku od 10:00 do 20:00", "w niedzielę nieczynne": no abbreviations
    /// or dashes for a caller.
    private static func spokenHours(_ hour: ShopFacts.OpeningHours, _ words: Phrasebook) -> String {
        let days = words.spokenDays(hour.days)
        guard hour.closed != true, let open = hour.open, let close = hour.close else { return days + words.pick(" nieczynne", " closed") }
        return days + words.pick(" od \(open) do \(close)", " \(open) to \(close)")
    }

    private static func days(_ range: String, _ words: Phrasebook) -> String {
        let polish = ["mon": "pon.", "tue": "wt.", "wed": "śr.", "thu": "czw.", "fri": "pt.", "sat": "sob.", "sun": "niedz."]
        let english = ["mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri", "sat": "Sat", "sun": "Sun"]
        let names = words.isPolish ? polish : english
        return range.split(separator: "-").map { names[String($0)] ?? String($0) }.joined(separator: "–")
    }
}

extension ShopFacts.DeliveryOption {
    func priceMoney(_ currency: String) -> Money { Money(decimal: price, currency: currency) ?? .zero(currency) }
}
