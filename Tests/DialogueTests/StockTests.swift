import Commerce
import Dialogue
import NLU
import Testing

/// Choices are checked against the catalog's stock and the shop's per-line limit.
@Suite struct StockTests {
    /// A size that is sold out is named as such, the sizes in stock offered, and the size asked again.
    @Test func soldOutSizeOffersWhatIsThere() {
        var chat = Chat()
        chat.order(until: .size)
        let actions = chat.say("44", .outOfScope, .size("44"))
        assertReply(actions, contains: "Aero Run: rozmiar 44 jest niedostępny. Dostępne rozmiary: 42, 43.")
        assertAsksAgain(chat, .size, actions)
        #expect(chat.draft?.current?.size == nil)
    }

    /// A size the product does not come in is told apart from a sold-out one.
    @Test func unknownSizeIsNamed() {
        var chat = Chat()
        chat.order(until: .size)
        let actions = chat.say("47", .outOfScope, .size("47"))
        assertReply(actions, contains: "Aero Run: nie ma rozmiaru 47.")
        assertAsksAgain(chat, .size, actions)
    }

    /// A sold-out product is named as such and the in-stock products of its kind offered.
    @Test func soldOutProductOffersAlternatives() {
        var chat = Chat()
        let actions = chat.say("Chcę zamówić Storm Run", .orderProduct, .product("storm-run", "Storm Run"))
        assertReply(actions, contains: "Niestety, produkt Storm Run jest chwilowo niedostępny.", "Mamy: Aero Run (349,00 zł)")
        #expect(chips(actions).map(\.payload) == [.product("aero-run")])
        expectState(chat, "ordering.product")
        chat.say(tap(.product("aero-run"), "Aero Run"))
        expectState(chat, "ordering.size")
    }

    /// More than the per-line limit is refused and the quantity asked again.
    @Test func quantityAboveTheLimitIsRefused() {
        var chat = Chat()
        chat.order(until: .quantity)
        let actions = chat.say("25", .outOfScope, .quantity(25))
        assertReply(actions, contains: "od 1 do 20")
        assertAsksAgain(chat, .quantity, actions)
        #expect(chat.draft?.current?.quantity == nil)
    }

    /// More than the variant's stock is refused with what there is, and asked again.
    @Test func quantityAboveStockIsRefused() {
        var chat = Chat()
        chat.order(until: .color)
        chat.say("niebieskie", .outOfScope, .color("blue", "niebieskie"))
        let actions = chat.say("5", .outOfScope, .quantity(5))
        assertReply(actions, contains: "Mamy tylko 3 pary w tym wariancie.")
        assertAsksAgain(chat, .quantity, actions)
    }

    /// The same variant added again is checked against stock for the sum, not line by line.
    @Test func repeatedVariantIsCheckedForTheSum() {
        var chat = Chat()
        chat.order(until: .moreItems)
        chat.say("tak, jeszcze Aero Run", .affirm, .product("aero-run", "Aero Run"))
        chat.say("43", .outOfScope, .size("43"))
        chat.say("czarne", .outOfScope, .color("black", "czarne"))
        let actions = chat.say("5", .outOfScope, .quantity(5))
        let inCart = chat.draft?.lines.filter { $0.sku == "AERO-43-BLK" }.compactMap(\.quantity).reduce(0, +) ?? 0
        #expect(inCart <= 5, "cart holds \(inCart) of a variant with 5 in stock; reply: \(replyText(actions))")
    }

    /// Sold out between the summary and placing: the customer is told and chooses the size again.
    @Test func refusalAfterConfirmationGoesBackToChoosing() {
        var chat = Chat()
        chat.order(until: .confirmation)
        chat.say("tak", .affirm)
        let actions = chat.send(.refused(.outOfStock(sku: "AERO-43-BLK", requested: 1, available: 0)))
        assertReply(actions, contains: "właśnie się wyprzedał")
        assertAsksAgain(chat, .size, actions)
        assertNoEffects(actions)
        #expect(chat.draft?.lines.isEmpty == true)
    }
}
