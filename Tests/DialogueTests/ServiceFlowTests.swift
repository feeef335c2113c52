import Commerce
import Dialogue
import NLU
import ShopValues
import Testing

/// Service about the customer's own orders: status, cancel, return, complaint, invoice; real
/// orders from a temp database, the dialogue step itself pure.
@Suite struct ServiceFlowTests {
    let book: OrderBook
    let customer: Int64

    init() throws {
        book = try OrderBook()
        customer = try book.customer()
    }

    func chat(with orders: [Order]) -> Chat {
        Chat(customer: book.snapshot(customer, orders: orders))
    }

    /// The status of the customer's only order is told with its delivery, no number needed.
    @Test func statusOfTheOnlyOrder() throws {
        let order = try book.order(for: customer, placedDaysAgo: 1)
        var chat = chat(with: [order])
        let actions = chat.say("gdzie jest moje zamówienie?", .orderStatus)
        assertReply(actions, contains: "Zamówienie nr \(order.number)", "czeka na płatność", "Dostawa do paczkomatu WRO01M.")
        assertNoEffects(actions)
        expectState(chat, "idle")
    }

    /// With no orders the bot asks for the number and waits for it.
    @Test func statusWithoutOrdersAsksForTheNumber() {
        var chat = chat(with: [])
        let actions = chat.say("gdzie jest moje zamówienie?", .orderStatus)
        assertReply(actions, contains: "Nie widzę zamówień", "numer zamówienia (6 cyfr)")
        expectState(chat, "awaiting_order.status")
    }

    /// A number that belongs to someone else gets the same answer as one that does not exist,
    /// and nothing of that order.
    @Test func someoneElsesOrderLooksNonexistent() throws {
        let mine = try book.order(for: customer, placedDaysAgo: 2)
        let stranger = try book.customer()
        let theirs = try book.order(for: stranger, placedDaysAgo: 1, path: [.paid], delivery: .parcelLocker(LockerCode("KRA123A")!))
        let missing = unusedOrderNumber(except: [mine.number, theirs.number])
        var asked = chat(with: [mine])
        let theirsReply = replyText(asked.say("status \(theirs.number)", .orderStatus, .orderNumber(theirs.number)))
        var other = chat(with: [mine])
        let missingReply = replyText(other.say("status \(missing)", .orderStatus, .orderNumber(missing)))
        #expect(theirsReply.replacingOccurrences(of: theirs.number.digits, with: "#")
                == missingReply.replacingOccurrences(of: missing.digits, with: "#"))
        #expect(!theirsReply.contains("KRA123A") && !theirsReply.contains("Aero") && !theirsReply.contains("opłacone"))
        expectState(asked, "awaiting_order.status")
    }

    /// Cancelling a new order asks for a yes, then asks Commerce to cancel it.
    @Test func cancelAfterConfirmation() throws {
        let order = try book.order(for: customer, placedDaysAgo: 1)
        var chat = chat(with: [order])
        let ask = chat.say("chcę anulować zamówienie", .cancelOrder)
        assertReply(ask, contains: "Czy na pewno anulować zamówienie nr \(order.number)", "349,00 zł")
        assertNoEffects(ask)
        expectState(chat, "confirming.cancel")
        let yes = chat.say("tak", .affirm)
        #expect(effects(yes) == [.cancelOrder(order.number)])
        expectState(chat, "idle")
    }

    /// A "no" to the cancellation keeps the order.
    @Test func cancelDeclinedKeepsTheOrder() throws {
        let order = try book.order(for: customer, placedDaysAgo: 1)
        var chat = chat(with: [order])
        chat.say("anuluj zamówienie", .cancelOrder)
        let no = chat.say("nie", .deny)
        assertNoEffects(no)
        assertReply(no, contains: "nie zostało anulowane")
        expectState(chat, "idle")
    }

    /// A shipped order cannot be cancelled: the bot says so politely, points to returns, does nothing.
    @Test func shippedOrderCannotBeCancelled() throws {
        let order = try book.order(for: customer, placedDaysAgo: 3, path: [.paid, .shipped])
        var chat = chat(with: [order])
        let actions = chat.say("anuluj zamówienie \(order.number)", .cancelOrder, .orderNumber(order.number))
        assertReply(actions, contains: "zostało już wysłane", "nie da się go anulować", "14 dni")
        assertNoEffects(actions)
        expectState(chat, "idle")
    }

    /// A delivered order within 14 days can be returned after a yes.
    @Test func returnWithinFourteenDays() throws {
        let order = try book.order(for: customer, placedDaysAgo: 10, path: [.paid, .shipped, .delivered], lastStepDaysAgo: 5)
        var chat = chat(with: [order])
        let offer = chat.say("chcę zwrócić buty", .returnRequest)
        assertReply(offer, contains: "można zwrócić do", "Czy zgłosić zwrot")
        expectState(chat, "confirming.return")
        let yes = chat.say("tak", .affirm)
        #expect(effects(yes).count == 1)
        guard case .openReturn(let number, _)? = effects(yes).first else {
            Issue.record("no return opened: \(yes)")
            return
        }
        #expect(number == order.number)
    }

    /// Past 14 days from delivery the return period has ended: no return, a complaint is suggested.
    @Test func returnAfterFourteenDaysIsRefused() throws {
        let order = try book.order(for: customer, placedDaysAgo: 30, path: [.paid, .shipped, .delivered], lastStepDaysAgo: 20)
        var chat = chat(with: [order])
        let actions = chat.say("chcę zwrócić buty", .returnRequest)
        assertReply(actions, contains: "Termin zwrotu zamówienia nr \(order.number) minął", "reklamację")
        assertNoEffects(actions)
        expectState(chat, "idle")
    }

    /// A complaint is handed to a person; an angry message about a damaged item ranks above a calm one.
    @Test func complaintPriorityFollowsSeverityAndTone() throws {
        let order = try book.order(for: customer, placedDaysAgo: 10, path: [.paid, .shipped, .delivered], lastStepDaysAgo: 3)
        var calm = chat(with: [order])
        let calmActions = calm.say("Chciałabym złożyć reklamację, szew przy lewym bucie się pruje", .complaint)
        var angry = chat(with: [order])
        let angryActions = angry.say("Buty przyszły uszkodzone, podeszwa pękła!! To skandal, żądam zwrotu pieniędzy", .complaint)
        let calmEscalation = try #require(escalation(calmActions))
        let angryEscalation = try #require(escalation(angryActions))
        #expect(calmEscalation.reason == .complaint && angryEscalation.reason == .complaint)
        #expect(angryEscalation.priority > calmEscalation.priority)
        #expect(angryEscalation.summary.contains("Reklamacja zamówienia nr \(order.number)"))
        assertReply(angryActions, contains: "Reklamacja zamówienia nr \(order.number) została przyjęta", "14 dni")
        expectState(angry, "with_agent")
    }

    /// A bare "reklamacja" asks what happened; the description then files the complaint.
    @Test func complaintAsksForADescription() throws {
        let order = try book.order(for: customer, placedDaysAgo: 10, path: [.paid, .shipped, .delivered], lastStepDaysAgo: 3)
        var chat = chat(with: [order])
        let ask = chat.say("reklamacja", .complaint)
        assertReply(ask, contains: "Opisz, proszę, co jest nie tak")
        expectState(chat, "complaint.description")
        let filed = chat.say("odkleiła się podeszwa", .complaint)
        #expect(escalation(filed)?.reason == .complaint)
    }

    /// An invoice collects NIP, company and address one at a time, then asks Commerce to add it.
    @Test func invoiceCollectsCompanyDetails() throws {
        let order = try book.order(for: customer, placedDaysAgo: 1)
        var chat = chat(with: [order])
        assertReply(chat.say("potrzebuję fakturę", .invoice), contains: "NIP")
        expectState(chat, "invoice.nip")
        assertReply(chat.say("526-025-09-95", .outOfScope, .nip("5260250995")), contains: "nazwa firmy")
        expectState(chat, "invoice.company")
        assertReply(chat.say("Biegacz sp. z o.o."), contains: "adres firmy")
        let done = chat.say("ul. Kwiatowa 5, 50-123 Wrocław", .outOfScope, .postcode("50-123"))
        let details = InvoiceDetails(company: "Biegacz sp. z o.o.", nip: try #require(NIP("5260250995")),
                                     address: "ul. Kwiatowa 5, 50-123 Wrocław")
        #expect(effects(done) == [.requestInvoice(order.number, details)])
        expectState(chat, "idle")
    }

    /// A NIP with a wrong check digit is refused and asked again.
    @Test func invalidNIPIsAskedAgain() throws {
        let order = try book.order(for: customer, placedDaysAgo: 1)
        var chat = chat(with: [order])
        chat.say("faktura", .invoice)
        let actions = chat.say("5260250994")
        assertReply(actions, contains: "Ten NIP się nie zgadza")
        expectState(chat, "invoice.nip")
    }
}
