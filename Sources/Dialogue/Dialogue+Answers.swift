import Commerce
import ShopValues
import NLU

/// Answers from the shop facts and the catalog: greetings, products, delivery, payment, stores,
/// account questions.
extension Dialogue {
    func greet(in context: DialogueContext, _ response: inout Response) {
        let words = response.words
        response.say("Dzień dobry!", "Hello!")
        if let latest = context.customer.orders.first, [.new, .paid, .shipped].contains(latest.status) {
            response.say("Widzę zamówienie \(words.orderLabel(latest)) — jest \(words.status(latest)).",
                         "I can see order \(words.orderLabel(latest)): it is \(words.status(latest)).")
        }
        offerMenu(intro: words.pick("W czym mogę pomóc?", "How can I help?"), &response)
    }

    mutating func describeProduct(
        _ turn: Turn, in context: DialogueContext, about discussed: String? = nil, offerOrder: Bool = true, _ response: inout Response
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
                if Self.asksWhatIsSold(turn) {
                    listRange(in: context, offerOrder: offerOrder, &response)
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
            if offerOrder { offerMoreHelp(&response) }
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

    /// "co macie?", "co sprzedajecie?", "what do you sell?": the shop's range.
    static func asksWhatIsSold(_ turn: Turn) -> Bool {
        Folding.contains(turn.words, anyOf: ["co macie", "co sprzedajecie", "co oferujecie", "co jest w ofercie", "jaka oferta",
                                             "co mozna kupic", "co polecacie", "what do you have", "what do you sell",
                                             "what can i buy", "what do you offer"])
    }

    /// Every product in stock (up to what the channel can list), with its price from, grouped
    /// by nothing more than the catalog's order.
    private mutating func listRange(in context: DialogueContext, offerOrder: Bool, _ response: inout Response) {
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

    func answerDelivery(in context: DialogueContext, _ response: inout Response) {
        guard !response.isSpoken else { return tellDelivery(in: context, &response) }
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
    private func tellDelivery(in context: DialogueContext, _ response: inout Response) {
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

    func answerPayment(in context: DialogueContext, _ response: inout Response) {
        guard !response.isSpoken else { return tellPayment(in: context, &response) }
        let words = response.words
        let methods = context.facts.paymentMethods.compactMap(PaymentMethod.init(rawValue:)).map(words.payment)
        let fee = context.facts.cashOnDeliveryCharge
        response.say("Można zapłacić: \(words.list(methods)). Za pobraniem dopłata \(fee).",
                     "You can pay by: \(words.list(methods)). Cash on delivery costs \(fee) extra.")
        response.say("Płatność odbywa się przez bezpieczny link albo przy odbiorze — nigdy nie podawaj w rozmowie danych karty ani kodu BLIK.",
                     "Payment goes through a secure link or on delivery; never share card details or BLIK codes in the chat.")
    }

    /// Payment methods as a caller hears them: three of them, and no card details on the phone.
    private func tellPayment(in context: DialogueContext, _ response: inout Response) {
        let words = response.words
        let methods = context.facts.paymentMethods.compactMap(PaymentMethod.init(rawValue:))
        let named = words.examples(Phrasebook.spokenOrder(methods).map(words.payment), or: false)
        let fee = context.facts.cashOnDeliveryCharge
        response.say("Można zapłacić: \(named). Za pobraniem dopłata \(fee).", "You can pay by: \(named). Cash on delivery costs \(fee) extra.")
        response.say("Płatność odbywa się przez bezpieczny link albo przy odbiorze. Nigdy nie podawaj w rozmowie danych karty ani kodu BLIK.",
                     "Payment goes through a secure link or on delivery. Never give card details or BLIK codes during a call.")
    }

    func answerStores(_ turn: Turn, in context: DialogueContext, _ response: inout Response) {
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

    mutating func answerAccount(_ turn: Turn, in context: DialogueContext, _ response: inout Response) {
        let text = turn.text
        if Folding.hasWord(text, startingWith: ["usun", "skasow", "delete", "remove", "zamkn", "close"]) {
            response.say("Usunięcie konta i danych osobowych wykonuje konsultant. Czy połączyć z konsultantem?",
                         "Deleting an account and personal data is done by an agent. Shall I connect you?")
            response.offer(response.yesNo)
            state.phase = .confirming(.person(reason: "Usunięcie konta / danych (RODO)"))
        } else if Folding.hasWord(text, startingWith: ["hasl", "haslo", "password", "zalog", "login", "logow", "log"]) {
            response.say("Hasło ustawisz na nowo na stronie logowania: „Nie pamiętasz hasła?” — link przyjdzie na e-mail konta. Nie podawaj tu hasła.",
                         "You can reset your password on the login page (\"Forgot password?\"); a link goes to the account's e-mail. Don't share your password here.")
            offerMoreHelp(&response)
        } else if Folding.hasWord(text, startingWith: ["rejestr", "zaloz", "register", "sign", "utworz", "create"]) {
            response.say("Konto założysz na stronie sklepu przyciskiem „Zarejestruj się”. Zamówić można też bez konta — tutaj, w rozmowie.",
                         "You can create an account on the shop's website (\"Sign up\"). You can also order without an account, right here.")
            offerMoreHelp(&response)
        } else if Folding.hasWord(text, startingWith: ["newsletter", "wypis", "unsubscrib"]) {
            response.say("Z newslettera wypiszesz się linkiem na dole każdej wiadomości z newslettera.",
                         "You can unsubscribe with the link at the bottom of every newsletter e-mail.")
            offerMoreHelp(&response)
        } else {
            if response.isSpoken {
                response.say("W sprawach konta pomoże konsultant. Czy połączyć?", "An agent can help with account matters. Shall I put you through?")
            } else {
                response.say("W sprawach konta (logowanie, hasło, rejestracja, dane) pomoże konsultant. Czy połączyć?",
                             "An agent can help with account matters (login, password, registration, data). Shall I connect you?")
            }
            response.offer(response.yesNo)
            state.phase = .confirming(.person(reason: "Sprawa konta: \(text.prefix(200))"))
        }
    }
}

extension ShopFacts.DeliveryOption {
    func priceMoney(_ currency: String) -> Money { Money(decimal: price, currency: currency) ?? .zero(currency) }
}
