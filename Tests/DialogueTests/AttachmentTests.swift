import Commerce
import Dialogue
import NLU
import Testing

/// Photos and files: attached to a complaint while one is being made, explained elsewhere, never
/// a misunderstanding.
@Suite struct AttachmentTests {
    let book: OrderBook
    let customer: Int64

    init() throws {
        book = try OrderBook()
        customer = try book.customer()
    }

    /// A chat with one order delivered three days ago, so a complaint can be about it.
    func chatWithDeliveredOrder() throws -> (Chat, Order) {
        let order = try book.order(for: customer, placedDaysAgo: 10, path: [.paid, .shipped, .delivered], lastStepDaysAgo: 3)
        return (Chat(customer: book.snapshot(customer, orders: [order])), order)
    }

    /// A photo sent with the description is acknowledged and listed in the complaint's escalation.
    @Test func photoWithTheDescriptionGoesIntoTheEscalation() throws {
        var (chat, order) = try chatWithDeliveredOrder()
        chat.say("reklamacja", .complaint)
        let filed = chat.say(message("podeszwa odkleiła się po tygodniu", .complaint, attachments: [photo("sole")]))
        assertReply(filed, contains: "Dziękuję, zdjęcie dołączę do reklamacji.",
                    "Reklamacja zamówienia nr \(order.number) została przyjęta", "Dołączono do niej zdjęcie.")
        let escalated = try #require(escalation(filed))
        #expect(escalated.reason == .complaint)
        #expect(escalated.summary.contains("Reklamacja zamówienia nr \(order.number): podeszwa odkleiła się"))
        #expect(escalated.summary.contains("Załączniki: https://cdn.example.com/sole.jpg"))
        expectState(chat, "with_agent")
        #expect(chat.state.complaintAttachments.isEmpty)
    }

    /// A photo alone while the description is awaited is kept, and the bot asks for a few words
    /// too (not a misunderstanding); the description then files the complaint with both photos.
    @Test func photoAloneAsksForWordsAndIsKept() throws {
        var (chat, order) = try chatWithDeliveredOrder()
        chat.say("reklamacja", .complaint)
        let first = chat.say(sending(photo("1")))
        assertReply(first, contains: "Dziękuję, zdjęcie dołączę do reklamacji.", "Opisz, proszę, w kilku słowach, co się stało.")
        assertReply(first, lacks: "nie rozumiem")
        assertNoEffects(first)
        expectState(chat, "complaint.description")
        #expect(chat.state.misunderstandings == 0)
        let second = chat.say(sending(photo("2"), photo("3")))
        assertReply(second, contains: "Dziękuję, zdjęcia dołączę do reklamacji.")
        #expect(chat.state.complaintAttachments.map(\.url) == ["1", "2", "3"].map { "https://cdn.example.com/\($0).jpg" })
        let filed = chat.say("szew przy lewym bucie się pruje", .complaint)
        assertReply(filed, contains: "Reklamacja zamówienia nr \(order.number) została przyjęta", "Dołączono do niej zdjęcia.")
        let summary = try #require(escalation(filed)).summary
        #expect(summary.hasSuffix("\nZałączniki: https://cdn.example.com/1.jpg, https://cdn.example.com/2.jpg, https://cdn.example.com/3.jpg"))
    }

    /// The same in English: the acknowledgement and the question in the customer's language.
    @Test func photoAloneDuringAComplaintInEnglish() throws {
        var (chat, order) = try chatWithDeliveredOrder()
        chat.say("I want to file a complaint", .complaint, language: .english)
        expectState(chat, "complaint.description")
        let ask = chat.say(sending(Attachment(kind: .file, url: "https://cdn.example.com/receipt.pdf")))
        assertReply(ask, contains: "Thank you, I'll attach the file to the complaint.", "Please describe in a few words what happened.")
        let filed = chat.say("The sole came off after a week", .complaint, language: .english)
        assertReply(filed, contains: "The complaint about order no. \(order.number) has been registered", "The file is attached to it.")
        #expect(try #require(escalation(filed)).summary.contains("Załączniki: https://cdn.example.com/receipt.pdf"))
    }

    /// A photo sent while the complaint's order is awaited is kept; the choice of order is asked
    /// again, and the complaint filed later carries the photo.
    @Test func photoWhileTheOrderIsAwaited() throws {
        let older = try book.order(for: customer, placedDaysAgo: 20, path: [.paid, .shipped, .delivered], lastStepDaysAgo: 12)
        let newer = try book.order(for: customer, placedDaysAgo: 10, path: [.paid, .shipped, .delivered], lastStepDaysAgo: 3)
        var chat = Chat(customer: book.snapshot(customer, orders: [newer, older]))
        chat.say("chcę złożyć reklamację", .complaint)
        expectState(chat, "awaiting_order.complaint")
        let again = chat.say(sending(photo()))
        assertReply(again, contains: "Dziękuję, zdjęcie dołączę do reklamacji.", "Którego zamówienia dotyczy reklamacja?")
        #expect(chips(again).map(\.payload) == [.order(newer.number.digits), .order(older.number.digits)])
        expectState(chat, "awaiting_order.complaint")
        chat.say(tap(.order(older.number.digits), "\(older.number)"))
        expectState(chat, "complaint.description")
        let filed = chat.say("pękła podeszwa w prawym bucie", .complaint)
        let summary = try #require(escalation(filed)).summary
        #expect(summary.contains("Reklamacja zamówienia nr \(older.number)") && summary.contains("Załączniki: https://cdn.example.com/1.jpg"))
    }

    /// A photo alone with nothing pending says what the bot can do with it, offers to start a
    /// complaint, and is not a misunderstanding.
    @Test(arguments: [Language.polish, .english])
    func photoAloneWhileIdleIsExplained(_ language: Language) throws {
        var (chat, _) = try chatWithDeliveredOrder()
        chat.say(language == .polish ? "xyz qwe" : "xyz qwe abc", language: language)
        #expect(chat.state.misunderstandings == 1)
        let actions = chat.say(sending(photo()))
        if language == .polish {
            assertReply(actions, contains: "Zdjęcia i pliki mogę dołączyć do reklamacji", "napisz „reklamacja”", "dołączę do niej zdjęcie")
        } else {
            assertReply(actions, contains: "I can attach photos and files to a complaint", "write \"complaint\"", "attach this photo")
        }
        assertReply(actions, lacks: "nie rozumiem", "don't understand")
        #expect(chips(actions).map(\.payload) == [.start(.complaint), .start(.person)])
        assertNoEffects(actions)
        expectState(chat, "idle")
        #expect(chat.state.misunderstandings == 1)
    }

    /// A complaint started right after a photo sent alone takes the photo with it.
    @Test func complaintStartedAfterAPhotoTakesIt() throws {
        var (chat, order) = try chatWithDeliveredOrder()
        chat.say(sending(photo("broken")))
        let ask = chat.say(tap(.start(.complaint), "Reklamacja"))
        assertReply(ask, contains: "Opisz, proszę, co jest nie tak z zamówieniem nr \(order.number)")
        let filed = chat.say("klej puścił na czubku buta", .complaint)
        #expect(try #require(escalation(filed)).summary.contains("Załączniki: https://cdn.example.com/broken.jpg"))
    }

    /// A photo sent alone and followed by something else is not kept.
    @Test func photoFollowedBySomethingElseIsDropped() throws {
        var (chat, _) = try chatWithDeliveredOrder()
        chat.say(sending(photo()))
        #expect(chat.state.complaintAttachments.count == 1)
        chat.say("gdzie jest moje zamówienie?", .orderStatus)
        #expect(chat.state.complaintAttachments.isEmpty)
    }

    /// A photo alone in the middle of an order is answered, and the open question asked again
    /// with the draft untouched.
    @Test(arguments: [Slot.size, .quantity, .deliveryMethod, .confirmation])
    func photoAloneMidOrderReasksTheQuestion(_ slot: Slot) {
        var chat = Chat()
        chat.order(until: slot)
        let before = chat.state.phase
        let actions = chat.say(sending(photo()))
        assertReply(actions, contains: "Zdjęcia i pliki mogę dołączyć do reklamacji", "prześlij je ponownie")
        assertAsksAgain(chat, slot, actions)
        #expect(chat.state.phase == before)
        #expect(chat.state.misunderstandings == 0)
        #expect(chat.state.complaintAttachments.isEmpty)
        assertNoEffects(actions)
    }

    /// The same in English.
    @Test func photoAloneMidOrderInEnglish() {
        var chat = Chat()
        chat.order(until: .color, OrderScript(language: .english))
        let actions = chat.say(sending(photo()))
        assertReply(actions, contains: "I can attach photos and files to a complaint", "send them again", "Which colour")
        expectState(chat, "ordering.color")
    }

    /// A message with text and a photo outside a complaint is read by its text.
    @Test func textWithAPhotoMidOrderIsReadByItsText() {
        var chat = Chat()
        chat.order(until: .size)
        let actions = chat.say(message("43", .outOfScope, [.size("43")], attachments: [photo()]))
        assertReply(actions, lacks: "Zdjęcia i pliki")
        expectState(chat, "ordering.color")
        #expect(chat.state.complaintAttachments.isEmpty)
    }
}
