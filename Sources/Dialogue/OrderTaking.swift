import Foundation
import Commerce
import NLU
import ShopValues

/// Fills and corrects an order draft from one message, checking every choice against the
/// catalog and stock, and works out the next question.
struct OrderTaking {
    var draft: OrderDraft
    let context: DialogueContext
    let words: Phrasebook

    private var catalog: CatalogSnapshot { context.catalog }
    private var limit: Int { context.facts.orderLineQuantityLimit }

    // MARK: - Reading a message

    /// Applies what the message says to the draft: a tapped chip, the entities found in it
    /// (corrections of any slot), or a plain answer to the open question. False when it says
    /// nothing the order can use.
    mutating func apply(_ turn: Turn, _ response: inout Response) -> Bool {
        if let payload = turn.payload { return apply(payload, &response) }
        // "a ile wyjdzie wysyłka kurierem?" asks; it does not choose the courier.
        if Self.asksAboutTheShop(turn) { return false }
        let corrected = applyEntities(turn, &response)
        // "dwie pary butów do biegania, rozmiar 42": the kind of product still says which to offer.
        if draft.pending == .product, turn.understanding.entities(.product).isEmpty, answer(.product, turn, &response) {
            return true
        }
        if corrected { return true }
        return answer(draft.pending, turn, &response)
    }

    private mutating func apply(_ payload: QuickReply.Payload, _ response: inout Response) -> Bool {
        switch payload {
        case .product(let id): return choose(product: id, &response)
        case .size(let size): return set(size: size, &response)
        case .color(let color): return set(color: color, &response)
        case .quantity(let count): return set(quantity: count, &response)
        case .delivery(let method): return set(deliveryMethod: method)
        case .store(let id):
            guard context.facts.store(id)?.pickup == true else { return false }
            draft.deliveryMethod = "store_pickup"
            draft.store = id
            return true
        case .payment(let method):
            guard let method = PaymentMethod(rawValue: method) else { return false }
            draft.payment = method
            return true
        case .yes:
            guard draft.pending == .moreItems else { return false }
            draft.current = DraftLine()
            return true
        case .no:
            guard draft.pending == .moreItems else { return false }
            draft.cartComplete = true
            return true
        case .order, .start, .getStarted: return false
        }
    }

    /// Every entity the message names, applied where it belongs; true if any was used.
    private mutating func applyEntities(_ turn: Turn, _ response: inout Response) -> Bool {
        let understanding = turn.understanding
        var used = false
        // "which stores do you have?" is a question about stores, even if "store" looks like "Storm".
        let asksSomethingElse = [.storeInfo, .deliveryInfo, .paymentInfo].contains(understanding.intent)
            && understanding.confidence >= 0.6
        let named = understanding.entities(.product).filter { catalog.product($0.value) != nil }
        // "klocki Budowniczy i czapkę Bąbel żółtą 52-54": each product with the details after it.
        if !asksSomethingElse, named.count > 1, Set(named.map(\.value)).count > 1 {
            return applySeveral(named, turn, &response) || used
        }
        if !asksSomethingElse, let product = named.first?.value {
            used = choose(product: product, adding: Self.addsItem(turn), &response) || used
        }
        // "39-42" is a size of socks as the bot listed it, not size 39.
        let listedSize = currentProduct.flatMap { SlotReading.size(in: turn.text, among: Set($0.variants.map(\.size))) }
        if let size = listedSize ?? understanding.entities(.size).first?.value { used = set(size: size, &response) || used }
        if listedSize == nil, understanding.entities(.size).isEmpty, let product = currentProduct,
           let size = Self.relativeSize(in: turn, of: product, color: draft.current?.color) {
            used = set(size: size, &response) || used
        }
        if let color = understanding.entities(.color).first?.value { used = set(color: color, &response) || used }
        // In an address ("Kwiatowa 5 kod 50-123 Wrocław") a number is the house's, not a quantity.
        // While the address is asked, "Lipowa siedem" is a house number too.
        if understanding.entities(.postcode).isEmpty, draft.pending != .address,
           let quantity = understanding.entities(.quantity).first.flatMap({ Int($0.value) }) {
            used = set(quantity: quantity, &response) || used
        }
        if let method = understanding.entities(.deliveryMethod).first?.value { used = set(deliveryMethod: method) || used }
        // "odbiorę w sklepie we Wrocławiu": a pickup store named with the delivery.
        if understanding.entities(.deliveryMethod).first?.value == "store_pickup" || Self.speaksOfPickup(turn),
           let store = SlotReading.store(named: turn.text, among: context.facts.stores.filter(\.pickup)) {
            draft.deliveryMethod = "store_pickup"
            draft.store = store.id
            used = true
        }
        if let code = understanding.entities(.lockerCode).first.flatMap({ LockerCode($0.value) }) {
            draft.deliveryMethod = "parcel_locker"
            draft.locker = code.value
            used = true
        }
        if understanding.entities(.postcode).first != nil, draft.deliveryMethod == "courier" || draft.pending == .address {
            used = readAddress(turn.text, understanding, &response) || used
        }
        if let phone = understanding.entities(.phone).first.flatMap({ PhoneNumber($0.value) }) {
            draft.phone = phone.e164
            response.perform(.claimContact(Identity(.phone, phone.e164)))
            used = true
        }
        if let email = understanding.entities(.email).first.flatMap({ EmailAddress($0.value) }) {
            draft.email = email.value
            response.perform(.claimContact(Identity(.email, email.value)))
            used = true
        }
        if let method = understanding.entities(.paymentMethod).first?.value {
            if let payment = PaymentMethod(rawValue: method), context.facts.paymentMethods.contains(method) {
                draft.payment = payment
                used = true
            } else {
                response.say("Ta forma płatności nie jest dostępna.", "That payment method is not available.")
                used = true
            }
        }
        return used
    }

    /// A question about delivery, payment or the stores asked in the middle of an order: answered
    /// by the dialogue, and nothing in it is taken for an answer.
    static func asksAboutTheShop(_ turn: Turn) -> Bool {
        let understanding = turn.understanding
        guard [.deliveryInfo, .paymentInfo, .storeInfo].contains(understanding.intent), understanding.confidence >= 0.6 else {
            return false
        }
        // Not "do paczkomatu": "do" opens an English question, but a Polish answer too.
        return turn.text.contains("?")
            || ["gdzie", "jakie", "jaki", "jaka", "kiedy", "czy", "ile", "jak", "where", "what", "when", "which", "how"]
            .contains(turn.words.first ?? "")
    }

    /// "odbiorę", "odbiór", "pick up", "collect": the customer will fetch the order.
    static func speaksOfPickup(_ turn: Turn) -> Bool {
        Folding.hasWord(turn.words, startingWith: ["odbior", "odbiore", "odbier", "odebr", "pickup"])
            || Folding.contains(turn.words, anyOf: ["pick up", "pick it up", "collect"])
    }

    /// Several products in one message: each gets the size, colour and quantity written between
    /// the product before it and the product after it; each whose variant is settled goes to
    /// the cart (one of it unless a quantity was given), and the first one still missing
    /// something stays open for the next question. A second one missing something is named
    /// back, to be added once the first is done.
    private mutating func applySeveral(_ named: [Entity], _ turn: Turn, _ response: inout Response) -> Bool {
        let entities = turn.understanding.entities
        var open: DraftLine?
        var later: [String] = []
        for (index, entity) in named.enumerated() {
            let from = index == 0 ? 0 : named[index - 1].end
            let to = index + 1 < named.count ? named[index + 1].start : Int.max
            let own = entities.filter { $0.start >= from && $0.end <= to }
            _ = choose(product: entity.value, adding: index > 0 || Self.addsItem(turn), &response)
            if let size = own.first(where: { $0.kind == .size })?.value { _ = set(size: size, &response) }
            if let color = own.first(where: { $0.kind == .color })?.value { _ = set(color: color, &response) }
            let quantity = own.first(where: { $0.kind == .quantity }).flatMap { Int($0.value) }
            if let quantity { _ = set(quantity: quantity, &response) }
            guard let line = draft.current, line.sku != nil else {
                if open == nil { open = draft.current } else { later.append(entity.value) }
                draft.current = nil
                continue
            }
            if line.quantity == nil, quantity == nil { draft.current?.quantity = 1 }
            advance(&response)
        }
        if let open {
            draft.current = open
            settle(&response)
        }
        if let product = later.first.flatMap(catalog.product), let first = open?.productID.flatMap(catalog.product) {
            draft.queuedProducts = later
            response.say("Po kolei: najpierw \(words.shortName(first)), potem \(words.shortName(product)).",
                         "One at a time: \(words.shortName(first)) first, then \(words.shortName(product)).")
        }
        return true
    }

    /// "i jeszcze…", "dodaj…", "also…": a product named to add, not to replace the last one.
    static func addsItem(_ turn: Turn) -> Bool {
        Folding.contains(turn.words, anyOf: ["jeszcze", "dodaj", "dodatkowo", "rowniez", "tez", "also", "add", "another", "plus"])
    }

    /// A plain answer to the open question, with no entity in it.
    private mutating func answer(_ slot: Slot, _ turn: Turn, _ response: inout Response) -> Bool {
        let text = turn.text
        switch slot {
        case .product:
            if let chosen = SlotReading.choice(in: text, among: draft.offeredProducts) {
                return choose(product: chosen, &response)
            }
            let family = catalog.products(namedBy: turn.words).filter { !$0.inStock.isEmpty }
            guard !family.isEmpty else { return false }
            if family.count == 1 { return choose(product: family[0].id, &response) }
            draft.offeredProducts = family.map(\.id)
            return true
        case .size:
            guard let product = currentProduct else { return false }
            let size = SlotReading.size(in: text, among: Set(product.variants.map(\.size)))
                ?? SlotReading.choice(in: text, among: Self.sizesInStock(product, color: draft.current?.color), ordinalsOnly: true)
            guard let size else { return false }
            return set(size: size, &response)
        case .color:
            guard let product = currentProduct,
                  let color = SlotReading.choice(in: text, among: Self.colorsInStock(product, size: draft.current?.size))
            else { return false }
            return set(color: color, &response)
        case .quantity:
            guard let count = SlotReading.number(in: text) else { return false }
            return set(quantity: count, &response)
        case .moreItems:
            if Folding.contains(turn.words, anyOf: ["to wszystko", "to tyle", "nic wiecej", "nic juz", "wystarczy", "na razie tyle",
                                              "to by bylo tyle", "to koniec", "that s all", "thats all", "that is all", "nothing else",
                                              "nothing more", "that will be all", "that s it", "thats it", "that is it", "i m done",
                                              "im done", "no more", "all done"]) {
                draft.cartComplete = true
                return true
            }
            if TurnReading.says(yes: true, turn) {
                draft.current = DraftLine()
                return true
            }
            if TurnReading.says(yes: false, turn) {
                draft.cartComplete = true
                return true
            }
            let family = catalog.products(namedBy: turn.words).filter { !$0.inStock.isEmpty }
            guard !family.isEmpty else { return false }
            draft.current = DraftLine()
            draft.offeredProducts = family.map(\.id)
            if family.count == 1 { return choose(product: family[0].id, &response) }
            return true
        case .deliveryMethod:
            return false
        case .address:
            if turn.understanding.entities(.postcode).isEmpty, SlotReading.looksLikeAddress(text) || SlotReading.namesAStreet(text) {
                if context.channel.isSpoken {
                    // A written format means nothing on the phone: say how to say it.
                    response.say("Brakuje kodu pocztowego. Powiedz go, proszę, po ulicy i numerze domu, na przykład: trzydzieści jeden, dwieście dwadzieścia dwa.",
                                 "The postcode is missing. Please say it after the street and house number, for example: three one, two two two.")
                } else {
                    response.say("Brakuje kodu pocztowego (w formacie NN-NNN).", "The postcode is missing (format NN-NNN).")
                }
                return true
            }
            return false
        case .locker:
            guard let code = SlotReading.lockerCode(in: text) else {
                guard SlotReading.looksLikeCode(text) else { return false }
                response.say("To nie wygląda na kod paczkomatu: to litery i cyfry, np. \(locker: "WRO01M").",
                             "That doesn't look like a locker code: letters and digits, e.g. \(locker: "WRO01M").")
                return true
            }
            draft.locker = code.value
            return true
        case .store:
            // "gdzie macie sklep w Krakowie?" asks about the store rather than choosing it.
            if turn.understanding.intent == .storeInfo, SlotReading.isQuestion(text) { return false }
            let stores = context.facts.stores.filter(\.pickup)
            guard let store = SlotReading.store(in: text, among: stores) else { return false }
            draft.store = store.id
            return true
        case .name:
            guard let name = SlotReading.name(in: text),
                  name.contains(" ") || turn.understanding.intent == .outOfScope || turn.understanding.confidence < 0.7
            else { return false }
            draft.contactName = name
            response.perform(.rememberName(name))
            return true
        case .contact:
            if let phone = PhoneNumber(text) {
                draft.phone = phone.e164
                response.perform(.claimContact(Identity(.phone, phone.e164)))
                return true
            }
            if SlotReading.looksLikeCode(text) || text.contains("@") {
                response.say("Ten numer lub adres wygląda na niepełny — sprawdź go, proszę.",
                             "That number or address looks incomplete; please check it.")
                return true
            }
            return false
        case .payment, .confirmation:
            return false
        }
    }

    private var currentProduct: Product? { (draft.current?.productID).flatMap(catalog.product) }

    // MARK: - Setting slots, with checks

    /// Puts a product on the line being chosen (or adds a line); a product named later corrects
    /// the last line unless the message adds an item.
    private mutating func choose(product id: String, adding: Bool = false, _ response: inout Response) -> Bool {
        guard let product = catalog.product(id) else { return false }
        draft.offeredProducts = []
        guard !product.inStock.isEmpty else {
            response.say("Niestety, produkt \(words.shortName(product)) jest chwilowo niedostępny.",
                         "Sorry, \(words.shortName(product)) is out of stock at the moment.")
            let alternatives = catalog.products.filter { $0.category == product.category && $0.id != id && !$0.inStock.isEmpty }
            draft.offeredProducts = alternatives.map(\.id)
            if draft.current == nil { draft.current = DraftLine() }
            draft.current?.productID = nil
            return true
        }
        if draft.current == nil {
            if adding || draft.pending == .moreItems || draft.lines.isEmpty {
                draft.current = DraftLine()
            } else {
                draft.current = draft.lines.popLast()
                response.say("Zmieniam na \(words.shortName(product)).", "Changing it to \(words.shortName(product)).")
            }
        }
        if draft.current?.productID != id {
            // Another product: what was chosen for the last one stays only if this one has it.
            if let line = draft.current, line.productID != nil {
                if let size = line.size, !product.variants.contains(where: { $0.size == size }) { draft.current?.size = nil }
                if let color = line.color, !product.variants.contains(where: { $0.color == color }) { draft.current?.color = nil }
            }
            draft.current?.productID = id
            draft.current?.sku = nil
        }
        settle(&response)
        return true
    }

    private mutating func set(size: String, _ response: inout Response) -> Bool {
        if draft.current == nil { bringForward(lineWithSize: size) }
        guard var line = draft.correctionTarget else { return false }
        let announce = draft.pending != .size && line.size != nil && line.size != size
        line.size = size
        line.sku = nil
        moveToCurrent(line)
        if announce { response.say("Zmieniam rozmiar na \(size.replacingOccurrences(of: ".", with: ",")).", "Changing the size to \(size).") }
        settle(&response)
        return true
    }

    private mutating func set(color: String, _ response: inout Response) -> Bool {
        guard var line = draft.correctionTarget else { return false }
        line.color = color
        line.sku = nil
        moveToCurrent(line)
        settle(&response)
        return true
    }

    private mutating func set(quantity: Int, _ response: inout Response) -> Bool {
        guard var line = draft.correctionTarget else { return false }
        let announce = draft.pending != .quantity && line.quantity != nil && line.quantity != quantity
        guard (1...limit).contains(quantity) else {
            response.say("W jednym zamówieniu można zamówić od 1 do \(limit) sztuk jednego produktu.",
                         "One order can have 1 to \(limit) of a product.")
            return true
        }
        line.quantity = quantity
        moveToCurrent(line)
        let product = line.productID.flatMap(catalog.product)
        if announce { response.say("Zmieniam ilość na \(words.count(quantity, of: product)).",
                                   "Changing the quantity to \(words.count(quantity, of: product)).") }
        settle(&response)
        return true
    }

    private mutating func set(deliveryMethod method: String) -> Bool {
        guard context.facts.deliveryOption(method) != nil else { return false }
        if draft.deliveryMethod != method {
            draft.deliveryMethod = method
            draft.address = nil
            draft.locker = nil
            draft.store = nil
        }
        return true
    }

    private mutating func readAddress(_ text: String, _ understanding: Understanding, _ response: inout Response) -> Bool {
        guard let postcode = understanding.entities(.postcode).first else { return false }
        let address = SlotReading.address(text, postcodeAt: postcode)
        guard let address else {
            response.say("Podaj, proszę, pełny adres: ulicę z numerem, kod pocztowy i miasto.",
                         "Please give the full address: street and number, postcode and city.")
            return true
        }
        draft.deliveryMethod = "courier"
        draft.address = address
        return true
    }

    /// A size named after the cart is complete corrects the latest line whose product comes in
    /// that size ("actually size 42" means the shoes, not the socks after them).
    private mutating func bringForward(lineWithSize size: String) {
        guard let index = draft.lines.lastIndex(where: { line in
            line.productID.flatMap(catalog.product)?.variants.contains { $0.size == size } == true
        }), index != draft.lines.count - 1 else { return }
        draft.lines.append(draft.lines.remove(at: index))
    }

    /// A completed line edited again goes back to being the current one, so it is re-checked.
    private mutating func moveToCurrent(_ line: DraftLine) {
        if draft.current != nil {
            draft.current = line
        } else if !draft.lines.isEmpty {
            draft.lines.removeLast()
            draft.current = line
        }
    }

    /// Checks the current line against the catalog: sizes and colours that exist and are in
    /// stock, the quantity against stock; fills a size or colour when only one is possible.
    private mutating func settle(_ response: inout Response) {
        guard var line = draft.current, let id = line.productID, let product = catalog.product(id) else { return }
        let name = words.shortName(product)
        if let size = line.size, !product.variants.contains(where: { $0.size == size }) {
            let sizes = Self.sizesInStock(product, color: nil)
            let others = sizes.isEmpty ? "" : sizesAvailable(sizes, near: size)
            response.say("\(name): nie ma rozmiaru \(Self.shown(size, words)).\(others)", "\(name) doesn't come in size \(size).\(others)")
            response.optionsListed = true
            line.size = nil
        } else if let size = line.size, !product.inStock.contains(where: { $0.size == size }) {
            let sizes = Self.sizesInStock(product, color: nil)
            let others = sizesAvailable(sizes, near: size)
            response.say("\(name): rozmiar \(Self.shown(size, words)) jest niedostępny.\(others)", "\(name) in size \(size) is out of stock.\(others)")
            response.optionsListed = true
            line.size = nil
        }
        var refusedColor = false
        line.color = line.color.flatMap { Self.ownColour($0, of: product) }
        if let color = line.color, !product.inStock.contains(where: { $0.color == color && (line.size == nil || $0.size == line.size) }) {
            refusedColor = true
            let colors = Self.colorsInStock(product, size: line.size)
            let inSize: String = line.size == nil || Set(product.variants.map(\.size)).count == 1 ? "" : words.pick(" w tym rozmiarze", " in that size")
            let others = context.channel.isSpoken ? words.examples(colors.map(words.color)) : words.list(colors.map(words.color))
            response.say("\(name): kolor \(words.color(color)) jest niedostępny\(inSize). Dostępne kolory: \(others).",
                         "\(name) in \(words.color(color)) is not available\(inSize). Colours available: \(others).")
            response.optionsListed = true
            line.color = nil
        }
        if line.size == nil, Set(product.variants.map(\.size)).count == 1 { line.size = product.variants[0].size }
        // "sweter bordowy" when only one size is left in that colour: that size.
        if line.size == nil, let color = line.color, !color.isEmpty, !refusedColor {
            let sizes = Self.sizesInStock(product, color: color)
            if sizes.count == 1 { line.size = sizes[0] }
        }
        // A product that comes in no colour is never asked about one.
        if line.color == nil, product.variants.allSatisfy(\.color.isEmpty) { line.color = "" }
        // The only colour left is filled in, unless the customer just asked for another one:
        // then they choose it themselves.
        if line.color == nil, line.size != nil, !refusedColor {
            let colors = Self.colorsInStock(product, size: line.size)
            if colors.count == 1 { line.color = colors[0] }
        }
        if let size = line.size, let color = line.color,
           let variant = product.variants.first(where: { $0.size == size && $0.color == color }) {
            line.sku = variant.sku
            if let quantity = line.quantity, quantity > variant.stock {
                response.say("Mamy tylko \(words.countAsObject(variant.stock, of: product)) w tym wariancie.",
                             "We only have \(words.count(variant.stock, of: product)) of that.")
                line.quantity = nil
            }
        }
        draft.current = line
    }

    /// " Dostępne rozmiary: 42, 43." after a size that cannot be had: every size in writing, on
    /// the phone the three nearest to the one asked for.
    private func sizesAvailable(_ sizes: [String], near wanted: String) -> String {
        let listed = context.channel.isSpoken ? words.spokenSizes(sizes, near: wanted) : sizes.map(words.shownSize).joined(separator: ", ")
        return words.pick(" Dostępne rozmiary: ", " Sizes available: ") + listed + "."
    }

    // MARK: - The next question

    /// Moves a finished line into the cart (saying what it holds) and works out the open question.
    mutating func advance(_ response: inout Response) {
        if let line = draft.current, line.isComplete, let sku = line.sku, let quantity = line.quantity {
            let product = line.productID.flatMap(catalog.product)
            var inCart = quantity
            if let index = draft.lines.firstIndex(where: { $0.sku == sku }) {
                // The same variant again: one line with the sum, within the limit and the stock.
                let wanted = (draft.lines[index].quantity ?? 0) + quantity
                let available = min(limit, catalog.variant(sku: sku)?.stock ?? limit)
                inCart = min(wanted, available)
                draft.lines[index].quantity = inCart
                if inCart < wanted {
                    response.say("Więcej nie mogę dodać: to najwięcej, ile można zamówić (\(inCart)).",
                                 "I can't add more: that is as many as can be ordered (\(inCart)).")
                }
            } else {
                draft.lines.append(line)
            }
            draft.current = nil
            if let product {
                let item = words.line(product, size: line.size, color: line.color, quantity: inCart)
                response.say("\(item) — w koszyku.", "\(item) — in the cart.")
            }
            // The next product named with it, if any, is chosen now.
            if var queued = draft.queuedProducts, !queued.isEmpty {
                let next = queued.removeFirst()
                draft.queuedProducts = queued.isEmpty ? nil : queued
                if let product = catalog.product(next), !product.inStock.isEmpty {
                    draft.current = DraftLine(productID: next)
                    response.say("Teraz \(words.shortName(product)).", "Now \(words.shortName(product)).")
                    settle(&response)
                }
            }
        }
        draft.pending = nextSlot()
        if draft.pending == .product, draft.current == nil { draft.current = DraftLine() }
    }

    private func nextSlot() -> Slot {
        if let line = draft.current {
            guard let product = line.productID.flatMap(catalog.product) else { return .product }
            if line.size == nil { return .size }
            if line.color == nil { return .color }
            if line.quantity == nil { return .quantity }
            if line.sku == nil { return Set(product.variants.map(\.size)).count > 1 ? .size : .color }
        }
        if draft.lines.isEmpty { return .product }
        if !draft.cartComplete { return .moreItems }
        guard let method = draft.deliveryMethod else { return .deliveryMethod }
        switch method {
        case "courier" where draft.address == nil: return .address
        case "parcel_locker" where draft.locker == nil: return .locker
        case "store_pickup" where draft.store == nil: return .store
        default: break
        }
        if draft.contactName == nil { return .name }
        if draft.phone == nil && draft.email == nil { return .contact }
        if draft.payment == nil { return .payment }
        return .confirmation
    }

    // MARK: - Facts about products and the draft

    /// The product's own word for a colour the customer named: the word itself when the product
    /// comes in it, else the product's colour of the same group ("black" for "czarny" and back);
    /// nil for a product that comes in no colour at all, where a colour means nothing.
    static func ownColour(_ color: String, of product: Product) -> String? {
        let colours = Set(product.variants.map(\.color)).filter { !$0.isEmpty }
        guard !colours.isEmpty else { return nil }
        if colours.contains(color) { return color }
        let names = ColourNames.embedded
        guard let group = names.group(of: color) else { return color }
        return colours.sorted().first { names.group(of: $0) == group } ?? color
    }

    static func sizesInStock(_ product: Product, color: String?) -> [String] {
        var seen = Set<String>()
        return product.inStock.filter { color == nil || $0.color == color }.map(\.size)
            .filter { !$0.isEmpty && seen.insert($0).inserted }
            .sorted { (Double($0) ?? clothing($0), $0) < (Double($1) ?? clothing($1), $1) }
    }

    private static func clothing(_ size: String) -> Double {
        clothingSizes[size] ?? 100
    }

    private static let clothingSizes: [String: Double] = ["XS": 1, "S": 2, "M": 3, "L": 4, "XL": 5, "XXL": 6]

    /// Where a size stands among sizes of its kind (a shoe size's number, XS–XXL in order); nil
    /// for one that does not compare ("39-42").
    static func rank(ofSize size: String) -> Double? {
        Double(size) ?? clothingSizes[size]
    }

    /// How big a size is, to compare sizes of one product: a number, XS–XXL, or an amount
    /// ("200 ml", "1 kg" as 1000 g); nil for one that does not compare.
    static func magnitude(ofSize size: String) -> Double? {
        if let rank = rank(ofSize: size.uppercased()) { return rank }
        let parts = Folding.words(size.replacingOccurrences(of: ",", with: "."))
        guard let first = parts.first, let number = Double(first) else { return nil }
        let thousands: Set<String> = ["kg", "l"]
        return number * (parts.count > 1 && thousands.contains(parts[1]) ? 1_000 : 1)
    }

    /// "mniejszą", "ten większy", "the smallest": the smallest or largest size in stock (in the
    /// chosen colour), when the sizes compare.
    static func relativeSize(in turn: Turn, of product: Product, color: String?) -> String? {
        let smaller = Folding.hasWord(turn.words, startingWith: ["mniejsz", "najmniejsz", "smaller", "smallest"])
        let larger = Folding.hasWord(turn.words, startingWith: ["wieksz", "najwieksz", "bigger", "biggest", "larger", "largest"])
        guard smaller != larger else { return nil }
        let sizes = sizesInStock(product, color: color).compactMap { size in magnitude(ofSize: size).map { (size, $0) } }
        guard sizes.count > 1 else { return nil }
        return (smaller ? sizes.min { $0.1 < $1.1 } : sizes.max { $0.1 < $1.1 })?.0
    }

    static func colorsInStock(_ product: Product, size: String?) -> [String] {
        var seen = Set<String>()
        return product.inStock.filter { size == nil || $0.size == size }.map(\.color).filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Whether a product is counted in pairs: footwear, socks and gloves, known by the demo
    /// catalog's categories or by the words of any shop's names ("Kalosze Kropelka", "Leśne
    /// cotton socks").
    static func isPaired(_ product: Product?) -> Bool {
        guard let product else { return false }
        if ["socks", "running_shoes", "trekking_shoes", "sneakers", "boots", "sandals", "kids_shoes", "slippers"]
            .contains(product.category) { return true }
        let words = Folding.words(product.namePL + " " + product.nameEN + " " + product.category)
        return Folding.hasWord(words, startingWith: pairedWords) || words.contains("but") || words.contains("buty")
    }

    /// Beginnings of words for things sold in pairs, Polish and English.
    private static let pairedWords = [
        "butow", "butki", "kalosz", "kozak", "botk", "sandal", "trampk", "tenisowk", "kapc", "klapk", "skarpet", "podkolan",
        "rekawic", "obuw", "shoe", "boot", "sock", "glove", "slipper", "sneaker", "trainer", "wellies", "mitten",
    ]

    static func lowestPrice(_ product: Product) -> Money {
        (product.inStock.isEmpty ? product.variants : product.inStock).map(\.price).min() ?? .zero()
    }

    private static func shown(_ size: String, _ words: Phrasebook) -> String {
        words.isPolish ? size.replacingOccurrences(of: ".", with: ",") : size
    }

    static func itemsTotal(_ draft: OrderDraft, _ catalog: CatalogSnapshot, currency: String) -> Money {
        draft.allLines.reduce(Money.zero(currency)) { total, line in
            guard let sku = line.sku, let variant = catalog.variant(sku: sku), let quantity = line.quantity else { return total }
            return total + variant.price * quantity
        }
    }

    /// The summary read back before confirmation: lines, delivery, contact, payment, total (on
    /// the phone, `readBack`).
    static func summary(_ draft: OrderDraft, context: DialogueContext, words: Phrasebook) -> Phrase {
        if context.channel.isSpoken { return readBack(draft, context: context, words: words) }
        let facts = context.facts
        let costs = DraftCosts(draft, context: context)
        var parts: [Phrase] = []
        for line in draft.lines {
            guard let sku = line.sku, let variant = context.catalog.variant(sku: sku),
                  let product = context.catalog.product(variant.productID), let quantity = line.quantity else { continue }
            let item = words.line(product, size: line.size, color: line.color, quantity: quantity)
            parts.append("\(item) × \(variant.price) = \(variant.price * quantity)")
        }
        var destination = Phrase(words.deliveryName(costs.method))
        if let locker = draft.locker { destination += " \(locker: locker)" }
        if let address = draft.address { destination += ", \(address.street), \(postcode: address.postcode) \(address.city)" }
        if let store = draft.store.flatMap(facts.store) { destination += ", \(store.name)" }
        let cost: Phrase = costs.delivery.minorUnits == 0 ? words.pick("bezpłatnie", "free") : "\(costs.delivery)"
        parts.append(words.pick("dostawa: \(destination) (\(cost))", "delivery: \(destination) (\(cost))"))
        var payment = Phrase(draft.payment.map(words.payment) ?? "")
        if draft.payment == .cashOnDelivery { payment += " (+\(costs.fee))" }
        parts.append(words.pick("płatność: \(payment)", "payment: \(payment)"))
        let contact: [Phrase] = [draft.contactName.map { Phrase($0) }, draft.phone.map { "\(phone: $0)" }, draft.email.map { "\(email: $0)" }]
            .compactMap { $0 }
        let named = contact.joined(separator: ", ")
        parts.append(words.pick("kontakt: \(named)", "contact: \(named)"))
        let listed = parts.joined(separator: "; ")
        return words.pick("Podsumowanie: \(listed). Razem: \(costs.total).", "Summary: \(listed). Total: \(costs.total).")
    }

    /// The request to place, when the draft is complete.
    static func request(from draft: OrderDraft) -> OrderDraftRequest? {
        let lines = draft.allLines.compactMap { line -> OrderRequestLine? in
            guard let sku = line.sku, let quantity = line.quantity else { return nil }
            return OrderRequestLine(sku: sku, quantity: quantity)
        }
        guard !lines.isEmpty, let method = draft.deliveryMethod, let payment = draft.payment, let name = draft.contactName
        else { return nil }
        let delivery: Delivery
        switch method {
        case "courier":
            guard let address = draft.address, let postcode = Postcode(address.postcode) else { return nil }
            delivery = .courier(Address(street: address.street, postcode: postcode, city: address.city))
        case "parcel_locker":
            guard let code = draft.locker.flatMap({ LockerCode($0) }) else { return nil }
            delivery = .parcelLocker(code)
        case "store_pickup":
            guard let store = draft.store else { return nil }
            delivery = .storePickup(storeID: store)
        default:
            return nil
        }
        let contact = Contact(name: name, phone: draft.phone.flatMap { PhoneNumber($0) }, email: draft.email.flatMap { EmailAddress($0) })
        return OrderDraftRequest(lines: lines, delivery: delivery, payment: payment, contact: contact)
    }
}
