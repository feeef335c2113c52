import Commerce
import Foundation
import NLU
import ShopValues

/// Service about the customer's own orders: status, cancel, change, return, complaint, invoice.
/// A number that is not the customer's is answered exactly like one that does not exist.
extension Dialogue {
    mutating func serve(_ request: ServiceRequest, _ turn: Turn?, in context: DialogueContext, _ response: inout Response) {
        let words = response.words
        switch findOrder(for: request, turn, in: context) {
        case .found(let order):
            perform(request, on: order, turn, in: context, &response)
        case .notFound(let number):
            response.say(
                "Nie znajduję zamówienia nr \(number) wśród zamówień powiązanych z tą rozmową. Sprawdź, proszę, numer.",
                "I can't find order no. \(number) among the orders linked to this conversation. Please check the number.")
            state.phase = .awaitingOrder(request)
        case .malformed:
            response.say("Ten numer zamówienia wygląda na błędny — ma 6 cyfr, sprawdź je, proszę.",
                         "That order number looks wrong: it has 6 digits, please check them.")
            state.phase = .awaitingOrder(request)
        case .choose(let orders):
            let listed = orders.prefix(response.optionLimit(4))
            let labels = words.list(listed.map(words.orderLabel))
            response.say("Którego zamówienia to dotyczy? \(labels).", "Which order is it about? \(labels).")
            response.offer(listed.map { QuickReply($0.number.digits, .order($0.number.digits)) })
            state.phase = .awaitingOrder(request)
        case .none:
            introduce(request, in: context, &response)
            if let contact = turn.flatMap({ Self.contacts(in: $0).first }) ?? context.customer.unprovedContacts.first {
                offerCode(for: request, to: contact, turn, in: context, &response)
                return
            }
            response.say("Podaj, proszę, numer zamówienia (6 cyfr).", "Please give the order number (6 digits).")
            state.phase = .awaitingOrder(request)
        }
    }

    private enum OrderLookup {
        case found(Order)
        case notFound(String)
        case malformed
        case choose([Order])
        case none
    }

    /// The order a request is about: the number given (only among the customer's own orders), else
    /// the one order it can be about, else a choice.
    private func findOrder(for request: ServiceRequest, _ turn: Turn?, in context: DialogueContext) -> OrderLookup {
        let customer = context.customer
        var given: String?
        if case .order(let digits)? = turn?.payload { given = digits }
        given = given ?? turn?.understanding.entities(.orderNumber).first?.value
        if given == nil, let turn, let digits = Self.sixDigits(in: turn.text) {
            guard OrderNumber(digits) != nil else { return .malformed }
            given = digits
        }
        if let given {
            guard let number = OrderNumber(given), let order = customer.order(number) else { return .notFound(given) }
            return .found(order)
        }
        let candidates = customer.orders.filter { Self.fits(request, $0, in: context) }
        if candidates.count == 1 { return .found(candidates[0]) }
        if candidates.count > 1 {
            let open = candidates.filter { [.new, .paid, .shipped].contains($0.status) }
            if request == .status, open.count == 1 { return .found(open[0]) }
            return .choose(candidates)
        }
        // No order fits (none delivered to return, none left to cancel…): the latest one, so the
        // answer explains why, rather than asking for a number that would not help.
        if let latest = customer.orders.first { return .found(latest) }
        return .none
    }

    static func fits(_ request: ServiceRequest, _ order: Order, in context: DialogueContext) -> Bool {
        switch request {
        case .status: true
        case .cancel, .change: order.status == .new || order.status == .paid
        case .returns:
            order.status == .delivered && order.history.last(where: { $0.status == .delivered }).map {
                context.now.timeIntervalSince($0.at) <= TimeInterval(context.facts.returns.days) * 86_400
            } == true
        case .complaint: order.status == .delivered || order.status == .shipped
        case .invoice: order.status != .cancelled
        }
    }

    static func sixDigits(in text: String) -> String? {
        let runs = text.split { !$0.isASCIIDigit }
        return runs.count == 1 && runs[0].count == 6 ? String(runs[0]) : nil
    }

    /// What the bot says about a request before asking for the number of an order it cannot see.
    private func introduce(_ request: ServiceRequest, in context: DialogueContext, _ response: inout Response) {
        let facts = context.facts
        switch request {
        case .returns:
            response.say(
                "Zakupy można zwrócić bez podania przyczyny w ciągu \(facts.returns.days) dni od doręczenia; pieniądze oddajemy w ciągu \(facts.returns.refundDays) dni od zgłoszenia zwrotu.",
                "You can return goods without giving a reason within \(facts.returns.days) days of delivery; we refund within \(facts.returns.refundDays) days of the return notice.")
        case .complaint:
            response.say("Przykro mi, że coś jest nie tak. Reklamację rozpatrujemy w ciągu \(facts.complaints.answerDays) dni.",
                         "I'm sorry something is wrong. We answer complaints within \(facts.complaints.answerDays) days.")
        case .status, .cancel, .change, .invoice:
            response.say("Nie widzę zamówień powiązanych z tą rozmową.", "I don't see any orders linked to this conversation.")
        }
    }

    mutating func awaitOrder(for request: ServiceRequest, _ turn: Turn, in context: DialogueContext, _ response: inout Response) {
        if let contact = Self.contacts(in: turn).first {
            claimsContacts(turn, &response)
            offerCode(for: request, to: contact, turn, in: context, &response)
            return
        }
        let hasNumber = turn.payload.map { if case .order = $0 { true } else { false } } ?? false
            || !turn.understanding.entities(.orderNumber).isEmpty || Self.sixDigits(in: turn.text) != nil
        if hasNumber {
            serve(request, turn, in: context, &response)
            return
        }
        if Self.says(yes: false, turn) {
            state.phase = .idle
            response.say("Dobrze. W czym jeszcze mogę pomóc?", "All right. Anything else I can help with?")
            return
        }
        let intent = Self.intent(of: turn)
        if ![.outOfScope, .affirm, .deny].contains(intent) {
            state.phase = .idle
            begin(turn, in: context, &response)
            return
        }
        misunderstood(turn, in: context, reask: { response in
            response.say("Podaj, proszę, numer zamówienia (6 cyfr).", "Please give the order number (6 digits).")
        }, &response)
    }

    private mutating func perform(_ request: ServiceRequest, on order: Order, _ turn: Turn?, in context: DialogueContext,
                                  _ response: inout Response) {
        state.phase = .idle
        switch request {
        case .status: tellStatus(order, in: context, &response)
        case .cancel: offerCancel(order, in: context, &response)
        case .change: offerChange(order, turn, in: context, &response)
        case .returns: offerReturn(order, in: context, &response)
        case .complaint: takeComplaint(order, turn, in: context, &response)
        case .invoice: startInvoice(order, turn, in: context, &response)
        }
    }

    private func tellStatus(_ order: Order, in context: DialogueContext, _ response: inout Response) {
        let words = response.words
        response.say("Zamówienie \(words.orderLabel(order)) jest \(words.status(order)).",
                     "Order \(words.orderLabel(order)) is \(words.status(order)).")
        switch order.delivery {
        case .parcelLocker(let code):
            response.say("Dostawa do paczkomatu \(code).", "Delivery to parcel locker \(code).")
        case .courier(let address):
            response.say("Dostawa kurierem na adres \(address.street), \(address.postcode) \(address.city).",
                         "Delivery by courier to \(address.street), \(address.postcode) \(address.city).")
        case .storePickup(let id):
            if let store = context.facts.store(id) {
                response.say("Odbiór w sklepie \(store.name).", "Pickup at the \(store.name) store.")
            }
        }
        if order.status == .new || order.status == .paid, let option = context.facts.deliveryOption(order.delivery.method) {
            response.say("Wysyłka zwykle trwa \(option.days) dni robocze.", "Delivery usually takes \(option.days) working days.")
        }
        offerMoreHelp(&response)
    }

    private mutating func offerCancel(_ order: Order, in context: DialogueContext, _ response: inout Response) {
        let words = response.words
        switch order.status {
        case .new, .paid:
            response.say("Czy na pewno anulować zamówienie \(words.orderLabel(order)) na \(order.total)?",
                         "Are you sure you want to cancel order \(words.orderLabel(order)) for \(order.total)?")
            response.offer(response.yesNo)
            state.phase = .confirming(.cancel(order.number))
            return
        case .shipped:
            response.say(
                "Zamówienie nr \(order.number) zostało już wysłane, więc nie da się go anulować. Po doręczeniu można je zwrócić w ciągu \(context.facts.returns.days) dni.",
                "Order no. \(order.number) has already shipped, so it can't be cancelled. Once delivered, you can return it within \(context.facts.returns.days) days.")
        case .delivered:
            response.say(
                "Zamówienie nr \(order.number) zostało już doręczone. Można je zwrócić w ciągu \(context.facts.returns.days) dni od doręczenia.",
                "Order no. \(order.number) has been delivered. You can return it within \(context.facts.returns.days) days of delivery.")
        case .cancelled:
            response.say("Zamówienie nr \(order.number) jest już anulowane.", "Order no. \(order.number) is already cancelled.")
        }
        offerMoreHelp(&response)
    }

    private mutating func offerChange(_ order: Order, _ turn: Turn?, in context: DialogueContext, _ response: inout Response) {
        let words = response.words
        guard order.status == .new || order.status == .paid else {
            response.say("Zamówienia nr \(order.number) nie można już zmienić — jest \(words.status(order)).",
                         "Order no. \(order.number) can no longer be changed: it is \(words.status(order)).")
            offerMoreHelp(&response)
            return
        }
        state.phase = .changingOrder(order.number)
        if let turn, applyChange(order, turn, in: context, &response) { return }
        response.say(
            "Co zmienić w zamówieniu nr \(order.number)? Mogę zmienić paczkomat albo adres dostawy; zmianę produktów, rozmiaru lub ilości przekażę konsultantowi.",
            "What should change in order no. \(order.number)? I can change the parcel locker or the delivery address; changes to items, sizes or quantities go to an agent.")
    }

    mutating func changeOrder(_ number: OrderNumber, _ turn: Turn, in context: DialogueContext, _ response: inout Response) {
        guard let order = context.customer.order(number) else {
            state.phase = .idle
            begin(turn, in: context, &response)
            return
        }
        if applyChange(order, turn, in: context, &response) { return }
        if Self.says(yes: false, turn) {
            state.phase = .idle
            response.say("Dobrze, zamówienie zostaje bez zmian.", "All right, the order stays as it is.")
            offerMoreHelp(&response)
            return
        }
        let items = turn.understanding.entities.contains { [.size, .quantity, .product, .color].contains($0.kind) }
            || Folding.hasWord(turn.words, startingWith: ["rozmiar", "ilosc", "produkt", "kolor", "size", "quantity", "item", "colo"])
        if items {
            escalate(.customerRequest, turn: turn, summary: "Zmiana zamówienia nr \(number.digits): \(turn.text.prefix(250))",
                     in: context, &response)
            return
        }
        state.phase = .idle
        begin(turn, in: context, &response)
    }

    /// A new locker code, or a new address, for an order going by that method.
    private mutating func applyChange(_ order: Order, _ turn: Turn, in context: DialogueContext, _ response: inout Response) -> Bool {
        let understanding = turn.understanding
        if let code = understanding.entities(.lockerCode).first.flatMap({ LockerCode($0.value) }) {
            guard case .parcelLocker = order.delivery else {
                response.say("To zamówienie idzie inną metodą dostawy; zmianę metody przekażę konsultantowi.",
                             "That order goes by another delivery method; a change of method goes to an agent.")
                escalate(.customerRequest, turn: turn, summary: "Zmiana dostawy zamówienia nr \(order.number.digits) na paczkomat \(code.value)",
                         in: context, &response)
                return true
            }
            response.perform(.changeDelivery(order.number, .parcelLocker(code)))
            return true
        }
        if let postcode = understanding.entities(.postcode).first, let address = SlotReading.address(turn.text, postcodeAt: postcode),
           let code = Postcode(address.postcode) {
            guard case .courier = order.delivery else {
                escalate(.customerRequest, turn: turn, summary: "Zmiana dostawy zamówienia nr \(order.number.digits) na kuriera: \(turn.text.prefix(200))",
                         in: context, &response)
                return true
            }
            response.perform(.changeDelivery(order.number, .courier(Address(street: address.street, postcode: code, city: address.city))))
            return true
        }
        return false
    }

    private mutating func offerReturn(_ order: Order, in context: DialogueContext, _ response: inout Response) {
        let words = response.words
        let days = context.facts.returns.days
        guard order.status == .delivered, let delivered = order.history.last(where: { $0.status == .delivered }) else {
            explainReturnAfterDelivery(order, &response)
            return
        }
        let deadline = delivered.at.addingTimeInterval(TimeInterval(days) * 86_400)
        guard context.now <= deadline else {
            response.say(
                "Termin zwrotu zamówienia nr \(order.number) minął \(words.day(deadline)) (\(days) dni od doręczenia). Jeśli towar ma wadę, można złożyć reklamację.",
                "The return period for order no. \(order.number) ended on \(words.day(deadline)) (\(days) days after delivery). If the goods are faulty, you can file a complaint.")
            offerMoreHelp(&response)
            return
        }
        response.say(
            "Zamówienie \(words.orderLabel(order)) można zwrócić do \(words.day(deadline)). Czy zgłosić zwrot wszystkich produktów z tego zamówienia?",
            "Order \(words.orderLabel(order)) can be returned until \(words.day(deadline)). Shall I open a return for all its items?")
        response.offer(response.yesNo)
        state.phase = .confirming(.returnItems(order.number))
    }

    /// A return asked for before delivery: when it becomes possible, and that an order not yet
    /// shipped can be cancelled instead.
    private func explainReturnAfterDelivery(_ order: Order, _ response: inout Response) {
        let words = response.words
        response.say("Zwrot jest możliwy po doręczeniu zamówienia; nr \(order.number) jest \(words.status(order)).",
                     "A return is possible once the order is delivered; no. \(order.number) is \(words.status(order)).")
        if order.status == .new || order.status == .paid, response.isSpoken {
            response.say("Jeszcze nie wysłane zamówienie można anulować. Wystarczy powiedzieć: anuluj zamówienie.",
                         "An order that hasn't shipped can be cancelled: just say cancel my order.")
        } else if order.status == .new || order.status == .paid {
            response.say("Jeszcze nie wysłane zamówienie można anulować — napisz „anuluj zamówienie”.",
                         "An order that hasn't shipped can be cancelled: write \"cancel my order\".")
        }
        offerMoreHelp(&response)
    }

    private mutating func takeComplaint(_ order: Order, _ turn: Turn?, in context: DialogueContext, _ response: inout Response) {
        guard let turn, Self.describesProblem(turn.text) else {
            if response.isSpoken {
                response.say(
                    "Opisz, proszę, co jest nie tak z zamówieniem nr \(order.number) i czego oczekujesz, na przykład naprawy, wymiany albo zwrotu pieniędzy.",
                    "Please describe what is wrong with order no. \(order.number) and what you would like, for example a repair, a replacement or a refund.")
            } else {
                response.say(
                    "Opisz, proszę, co jest nie tak z zamówieniem nr \(order.number) i czego oczekujesz: naprawy, wymiany, obniżenia ceny czy zwrotu pieniędzy.",
                    "Please describe what is wrong with order no. \(order.number) and what you would like: a repair, a replacement, a price reduction or a refund.")
            }
            state.phase = .describingComplaint(order.number)
            return
        }
        fileComplaint(order.number, description: turn.text, turn: turn, in: context, &response)
    }

    /// Whether a message says what is wrong, beyond "chcę złożyć reklamację do zamówienia 123455".
    static func describesProblem(_ text: String) -> Bool {
        let generic = ["reklamac", "complain", "chcial", "chce", "chcę", "zloz", "zglos", "zamowien", "order", "dzien", "dobry",
                       "witam", "hello", "would", "like", "want", "make", "file", "prosze", "please", "moje", "mojego", "about",
                       "with", "dotycz", "sprawie", "have", "mam", "problem"]
        let words = Folding.words(text).filter { word in
            word.count > 2 && !word.allSatisfy(\.isNumber) && !generic.contains { word.hasPrefix($0) }
        }
        return words.count >= 3
    }

    mutating func describeComplaint(_ number: OrderNumber, _ turn: Turn, in context: DialogueContext, _ response: inout Response) {
        guard turn.words.count >= 2 || turn.understanding.intent == .complaint else {
            misunderstood(turn, in: context, reask: { response in
                response.say("Opisz, proszę, w kilku słowach, co się stało.", "Please describe in a few words what happened.")
            }, &response)
            return
        }
        fileComplaint(number, description: turn.text, turn: turn, in: context, &response)
    }

    private mutating func fileComplaint(_ number: OrderNumber, description: String, turn: Turn, in context: DialogueContext,
                                        _ response: inout Response) {
        let days = context.facts.complaints.answerDays
        response.say(
            "Reklamacja zamówienia nr \(number.digits) została przyjęta. Przekazuję ją konsultantowi — odpowiemy najpóźniej w ciągu \(days) dni.",
            "The complaint about order no. \(number) has been registered. I'm passing it to an agent; we will answer within \(days) days at the latest.")
        let attachments = state.complaintAttachments
        if !attachments.isEmpty {
            let name = Self.name(of: attachments)
            let verb = attachments.count == 1 ? "is" : "are"
            response.say("Dołączono do niej \(name.polish).", "The \(name.english) \(verb) attached to it.")
        } else if !response.isSpoken {
            // A caller cannot send photos on the phone.
            response.say("Zdjęcia wady można przesłać tutaj.", "You can send photos of the defect here.")
        }
        escalate(.complaint, turn: turn, summary: "Reklamacja zamówienia nr \(number.digits): \(description.prefix(400))", in: context, &response)
    }

    private mutating func startInvoice(_ order: Order, _ turn: Turn?, in context: DialogueContext, _ response: inout Response) {
        if let invoice = order.invoice {
            response.say(
                "Faktura do zamówienia nr \(order.number) jest wystawiona na \(invoice.company), NIP \(invoice.nip). Wysyłamy ją e-mailem po wysyłce zamówienia.",
                "The invoice for order no. \(order.number) is made out to \(invoice.company), NIP \(invoice.nip). We e-mail it once the order ships.")
            offerMoreHelp(&response)
            return
        }
        var draft = InvoiceDraft()
        draft.nip = turn?.understanding.entities(.nip).first.flatMap { NIP($0.value) }?.digits
        state.phase = .collectingInvoice(order.number, draft)
        askInvoice(draft, &response)
    }

    func askInvoice(_ draft: InvoiceDraft, _ response: inout Response) {
        switch draft.pendingField {
        case "nip": response.say("Podaj, proszę, NIP firmy (10 cyfr).", "Please give the company's NIP (tax id, 10 digits).")
        case "company": response.say("Jaka jest pełna nazwa firmy?", "What is the company's full name?")
        default: response.say("Jaki jest adres firmy (ulica, kod pocztowy, miasto)?", "What is the company's address (street, postcode, city)?")
        }
    }

    mutating func collectInvoice(_ number: OrderNumber, _ start: InvoiceDraft, _ turn: Turn, in context: DialogueContext,
                                 _ response: inout Response) {
        var draft = start
        let text = turn.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if Self.says(yes: false, turn) || Dialogue.abandonsOrder(turn) {
            state.phase = .idle
            response.say("Dobrze, bez faktury. W czym jeszcze mogę pomóc?", "All right, no invoice. Anything else?")
            return
        }
        switch draft.pendingField {
        case "nip":
            let digits = turn.understanding.entities(.nip).first?.value ?? text.filter(\.isASCIIDigit)
            guard let nip = NIP(digits) else {
                response.say("Ten NIP się nie zgadza — sprawdź, proszę, cyfry (10 cyfr).", "That NIP doesn't check out; please check the 10 digits.")
                state.phase = .collectingInvoice(number, draft)
                return
            }
            draft.nip = nip.digits
        case "company":
            guard text.count >= 2, text.count <= 200 else { return askInvoice(draft, &response) }
            draft.company = text
        default:
            guard text.count >= 6, text.count <= 200, text.contains(where: \.isNumber) else {
                response.say("Podaj, proszę, pełny adres z kodem pocztowym.", "Please give the full address with the postcode.")
                state.phase = .collectingInvoice(number, draft)
                return
            }
            draft.address = text
        }
        if let nip = draft.nip.flatMap({ NIP($0) }), let company = draft.company, let address = draft.address {
            state.phase = .idle
            response.perform(.requestInvoice(number, InvoiceDetails(company: company, nip: nip, address: address)))
            return
        }
        state.phase = .collectingInvoice(number, draft)
        askInvoice(draft, &response)
    }

    mutating func confirm(_ confirmation: Confirmation, _ turn: Turn, in context: DialogueContext, _ response: inout Response) {
        if Self.says(yes: true, turn) {
            state.phase = .idle
            state.misunderstandings = 0
            switch confirmation {
            case .cancel(let number): response.perform(.cancelOrder(number))
            case .returnItems(let number): response.perform(.openReturn(number, reason: "zwrot bez podania przyczyny (rozmowa)"))
            case .person(let reason):
                escalate(.customerRequest, turn: turn, summary: reason, in: context, &response)
            case .order(let product, let size, let color):
                // "yes, one" and "tak, dwie": whatever else the answer says is applied too.
                startOrder(
                    with: DraftLine(productID: product, size: size, color: color),
                    applying: Self.continuesWith(product, turn) ? turn : nil, in: context, &response)
            }
            return
        }
        if Self.says(yes: false, turn) {
            state.phase = .idle
            switch confirmation {
            case .cancel: response.say("Dobrze, zamówienie nie zostało anulowane.", "All right, the order stays as it is.")
            case .returnItems: response.say("Dobrze, bez zwrotu.", "All right, no return.")
            case .person, .order: break
            }
            response.say("W czym jeszcze mogę pomóc?", "Anything else I can help with?")
            return
        }
        // "a jest bordowy L?" after a product was described: the same product, that variant.
        if case .order(let product, _, _) = confirmation, SlotReading.isQuestion(turn.text),
           turn.understanding.entities(.product).allSatisfy({ $0.value == product }),
           !turn.understanding.entities(.size).isEmpty || !turn.understanding.entities(.color).isEmpty {
            state.phase = .idle
            describeProduct(turn, in: context, about: product, &response)
            return
        }
        // "to poproszę ten większy, 250 ml" after a product was described: an order of it.
        if case .order(let product, let size, let color) = confirmation, Self.continuesWith(product, turn) {
            startOrder(with: DraftLine(productID: product, size: size, color: color), applying: turn, in: context, &response)
            return
        }
        state.phase = .idle
        begin(turn, in: context, &response)
    }

    /// Whether a message after a product's description goes on with it: it wants to buy, or
    /// names a size, colour or quantity, and names no other product.
    static func continuesWith(_ product: String, _ turn: Turn) -> Bool {
        let understanding = turn.understanding
        guard understanding.entities(.product).allSatisfy({ $0.value == product }) else { return false }
        // "a jest w rozmiarze L?" asks again; it does not order.
        return wantsToBuy(turn) || !SlotReading.isQuestion(turn.text)
            && (!understanding.entities(.size).isEmpty || !understanding.entities(.color).isEmpty || !understanding.entities(.quantity).isEmpty)
    }

    mutating func orderCancelled(_ order: Order, _ response: inout Response) {
        state.phase = .idle
        let paid = order.history.contains { $0.status == .paid }
        response.say("Zamówienie nr \(order.number) zostało anulowane.", "Order no. \(order.number) has been cancelled.")
        if paid {
            response.say("Pieniądze zwrócimy w ciągu 14 dni.", "We'll refund the payment within 14 days.")
        }
        offerMoreHelp(&response)
    }

    mutating func returnOpened(_ returnCase: ReturnCase, order: OrderNumber, in context: DialogueContext, _ response: inout Response) {
        state.phase = .idle
        response.say(
            "Zwrot nr \(returnCase.id) do zamówienia nr \(order) został zgłoszony. Odeślij paczkę w ciągu \(context.facts.returns.days) dni"
                + (context.facts.returns.freeViaParcelLocker ? " (nadanie w paczkomacie jest bezpłatne)" : "")
                + ". Pieniądze zwrócimy w ciągu \(context.facts.returns.refundDays) dni.",
            "Return no. \(returnCase.id) for order no. \(order) has been opened. Please send the parcel back within \(context.facts.returns.days) days"
                + (context.facts.returns.freeViaParcelLocker ? " (free from a parcel locker)" : "")
                + ". We'll refund within \(context.facts.returns.refundDays) days.")
        offerMoreHelp(&response)
    }

    mutating func deliveryChanged(_ order: Order, in context: DialogueContext, _ response: inout Response) {
        state.phase = .idle
        let words = response.words
        let destination: Phrase
        switch order.delivery {
        case .parcelLocker(let code): destination = words.pick("paczkomat \(code)", "parcel locker \(code)")
        case .courier(let address): destination = "\(address.street), \(address.postcode) \(address.city)"
        case .storePickup(let id): destination = Phrase(context.facts.store(id)?.name ?? id)
        }
        response.say("Zmieniono dostawę zamówienia nr \(order.number): \(destination).",
                     "The delivery of order no. \(order.number) is now: \(destination).")
        offerMoreHelp(&response)
    }

    mutating func invoiceRequested(_ order: Order, _ response: inout Response) {
        state.phase = .idle
        guard let invoice = order.invoice else { return }
        response.say(
            "Dane do faktury zapisane: \(invoice.company), NIP \(invoice.nip). Fakturę do zamówienia nr \(order.number) wyślemy e-mailem po wysyłce.",
            "Invoice details saved: \(invoice.company), NIP \(invoice.nip). We'll e-mail the invoice for order no. \(order.number) once it ships.")
        offerMoreHelp(&response)
    }

    mutating func refused(_ error: CommerceError, in context: DialogueContext, _ response: inout Response) {
        if case .ordering(let draft) = state.phase {
            refusedOrder(error, draft, in: context, &response)
            return
        }
        state.phase = .idle
        switch error {
        case .invalidTransition(let order, _, _):
            response.say("Zamówienia nr \(order) nie można już tak zmienić — jego status właśnie się zmienił.",
                         "Order no. \(order) can no longer be changed that way; its status has just changed.")
            offerMoreHelp(&response)
        case .returnNotPossible:
            response.say("Zwrotu nie da się zgłosić dla tego zamówienia.", "A return can't be opened for that order.")
            offerMoreHelp(&response)
        default:
            response.say("Nie udało się tego zrobić. Czy połączyć z konsultantem?", "That didn't work. Shall I connect you with an agent?")
            response.offer(response.yesNo)
            state.phase = .confirming(.person(reason: String(describing: error)))
        }
    }
}
