import Commerce
import Dialogue
import NLU
import ShopValues
import Testing

/// Taking an order from the first message to the placed order, question by question.
@Suite struct OrderingFlowTests {
    /// Naming a product opens the order and asks for the size among those in stock.
    @Test func namingAProductAsksForItsSize() {
        var chat = Chat()
        let actions = chat.say(OrderScript().answer(nil))
        expectState(chat, "ordering.size")
        assertReply(actions, contains: "Jaki rozmiar? Dostępne: 42, 43.")
        #expect(chips(actions).map(\.payload) == [.size("42"), .size("43")])
    }

    /// Each answer moves to the next question, in order, and the line lands in the cart.
    @Test func questionsFollowInOrder() {
        var chat = Chat()
        let script = OrderScript()
        chat.say(script.answer(nil))
        var asked: [String] = [chat.state.summary]
        var cart = ""
        while let pending = chat.draft?.pending, pending != .confirmation {
            let actions = chat.say(script.answer(pending))
            if pending == .quantity { cart = replyText(actions) }
            asked.append(chat.state.summary)
        }
        #expect(asked == ["ordering.size", "ordering.color", "ordering.quantity", "ordering.more_items", "ordering.delivery_method",
                          "ordering.locker", "ordering.name", "ordering.contact", "ordering.payment", "ordering.confirmation"])
        #expect(cart.contains("Aero Run, rozmiar 43, czarny, 1 para — w koszyku."))
    }

    /// A yes to the summary places exactly what was chosen: SKU and quantity, locker, BLIK, contact.
    @Test func confirmationPlacesTheOrder() throws {
        var chat = Chat()
        chat.order(until: .confirmation)
        let actions = chat.say(OrderScript().answer(.confirmation))
        let request = try #require(placedOrder(actions))
        #expect(request.lines == [OrderRequestLine(sku: "AERO-43-BLK", quantity: 1)])
        #expect(request.delivery == .parcelLocker(LockerCode("WRO01M")!))
        #expect(request.payment == .blik)
        #expect(request.contact == Contact(name: "Anna Kowalska", phone: PhoneNumber("+48600123456")))
    }

    /// Courier delivery carries the address read around the postcode.
    @Test func courierOrderCarriesTheAddress() throws {
        var chat = Chat()
        let script = OrderScript(route: .courier)
        chat.order(until: .confirmation, script)
        let request = try #require(placedOrder(chat.say(script.answer(.confirmation))))
        #expect(request.delivery == .courier(Address(street: "ul. Kwiatowa 5", postcode: Postcode("50-123")!, city: "Wrocław")))
    }

    /// Store pickup names the store picked by its city.
    @Test func storePickupCarriesTheStore() throws {
        var chat = Chat()
        let script = OrderScript(route: .store)
        chat.order(until: .confirmation, script)
        let request = try #require(placedOrder(chat.say(script.answer(.confirmation))))
        #expect(request.delivery == .storePickup(storeID: "wro-swidnicka"))
    }

    /// The summary reads back the lines, delivery, payment, contact and the total in Polish money.
    @Test func summaryReadsBackTheOrder() {
        var chat = Chat()
        chat.order(until: .payment)
        let actions = chat.say(OrderScript().answer(.payment))
        assertReply(actions, contains: "Podsumowanie: Aero Run, rozmiar 43, czarny, 1 para × 349,00 zł = 349,00 zł",
                    "Paczkomat InPost WRO01M", "płatność: BLIK", "kontakt: Anna Kowalska, 600 123 456",
                    "Razem: 349,00 zł.", "Czy potwierdzasz zamówienie?")
        #expect(chips(actions).map(\.payload) == [.yes, .no])
    }

    /// A known customer is not asked for their name and contact again.
    @Test func knownCustomerSkipsNameAndContact() {
        var chat = Chat(customer: CustomerSnapshot(id: 7, name: "Jan Nowak", phone: "+48600999888"))
        chat.order(until: .locker)
        chat.say(OrderScript().answer(.locker))
        expectState(chat, "ordering.payment")
    }

    /// The placed order's number and total are told and the conversation is idle again.
    @Test func placedOrderIsAnnouncedWithItsNumber() throws {
        let book = try OrderBook()
        let customer = try book.customer()
        let order = try book.order(for: customer, placedDaysAgo: 0)
        var chat = Chat()
        chat.order(until: .confirmation)
        chat.say(OrderScript().answer(.confirmation))
        let actions = chat.send(.orderPlaced(order))
        expectState(chat, "idle")
        assertReply(actions, contains: "Zamówienie nr \(order.number) zostało złożone.", "Do zapłaty: 349,00 zł.",
                    "Link do płatności wyślemy")
    }

    /// "tak" to "anything else?" starts a second line; the order then carries both.
    @Test func secondItemJoinsTheOrder() throws {
        var chat = Chat()
        chat.order(until: .moreItems)
        chat.say("tak", .affirm)
        expectState(chat, "ordering.product")
        chat.say("skarpety Merino", .outOfScope, .product("merino-socks", "Merino"))
        expectState(chat, "ordering.quantity")
        chat.say("3", .outOfScope, .quantity(3))
        chat.order(until: .confirmation)
        let request = try #require(placedOrder(chat.say("tak", .affirm)))
        #expect(request.lines == [OrderRequestLine(sku: "AERO-43-BLK", quantity: 1), OrderRequestLine(sku: "MERINO-GRY", quantity: 3)])
    }

    /// Product info describes price, sizes and colours in stock, offers to order, and a yes
    /// starts the order at the size.
    @Test func productInfoOffersToOrder() {
        var chat = Chat()
        let info = chat.say("ile kosztują Aero Run?", .productInfo, .product("aero-run", "Aero Run"))
        assertReply(info, contains: "Buty do biegania Aero Run: 349,00 zł.", "Dostępne rozmiary: 42, 43.", "Kolory: czarny i niebieski.",
                    "Czy chcesz zamówić?")
        expectState(chat, "confirming.order")
        let yes = chat.say("tak", .affirm)
        expectState(chat, "ordering.size")
        #expect(chat.draft?.current?.productID == "aero-run")
        assertReply(yes, contains: "Jaki rozmiar?")
    }

    /// "I want to order" with no product asks which product without apologising for a misunderstanding.
    @Test func orderWithoutProductAsksWhichOne() {
        var chat = Chat()
        let actions = chat.say("chcę coś zamówić", .orderProduct)
        expectState(chat, "ordering.product")
        assertReply(actions, contains: "Który produkt chcesz zamówić?")
        assertReply(actions, lacks: "nie rozumiem")
        #expect(chat.state.misunderstandings == 0)
    }

    /// Tapping "Zamówienie" in the menu starts an order and asks which product, with no apology.
    @Test func orderChipAsksWhichProduct() {
        var chat = Chat()
        let actions = chat.say(tap(.start(.order), "Zamówienie"))
        expectState(chat, "ordering.product")
        assertReply(actions, lacks: "nie rozumiem")
    }

    /// "anuluj" mid-order drops the draft.
    @Test func cancellingMidOrderDropsTheDraft() {
        var chat = Chat()
        chat.order(until: .quantity)
        let actions = chat.say("anuluj", .cancelOrder)
        expectState(chat, "idle")
        assertReply(actions, contains: "zamówienie zostało anulowane")
        assertNoEffects(actions)
    }
}
