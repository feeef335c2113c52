import Commerce
import Foundation
import NLU
import ShopValues

/// An invoice for an order: the company's NIP, name and address asked one at a time
/// (`collectingInvoice`), then requested from the engine.
struct InvoiceFlow: Flow {
    var state: DialogueState
    let context: DialogueContext
    var response: Response

    mutating func startInvoice(_ order: Order, _ turn: Turn?) {
        if let invoice = order.invoice {
            response.say(
                "Faktura do zamówienia nr \(order.number) jest wystawiona na \(invoice.company), NIP \(invoice.nip). Wysyłamy ją e-mailem po wysyłce zamówienia.",
                "The invoice for order no. \(order.number) is made out to \(invoice.company), NIP \(invoice.nip). We e-mail it once the order ships.")
            offerMoreHelp()
            return
        }
        var draft = InvoiceDraft()
        draft.nip = turn?.understanding.entities(.nip).first.flatMap { NIP($0.value) }?.digits
        state.phase = .collectingInvoice(order.number, draft)
        askInvoice(draft)
    }

    mutating func askInvoice(_ draft: InvoiceDraft) {
        switch draft.pendingField {
        case "nip": response.say("Podaj, proszę, NIP firmy (10 cyfr).", "Please give the company's NIP (tax id, 10 digits).")
        case "company": response.say("Jaka jest pełna nazwa firmy?", "What is the company's full name?")
        default: response.say("Jaki jest adres firmy (ulica, kod pocztowy, miasto)?", "What is the company's address (street, postcode, city)?")
        }
    }

    mutating func collectInvoice(_ number: OrderNumber, _ start: InvoiceDraft, _ turn: Turn) {
        var draft = start
        let text = turn.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if TurnReading.says(yes: false, turn) || TurnReading.abandonsOrder(turn) {
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
            guard text.count >= 2, text.count <= 200 else { return askInvoice(draft) }
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
        askInvoice(draft)
    }

    mutating func invoiceRequested(_ order: Order) {
        state.phase = .idle
        guard let invoice = order.invoice else { return }
        response.say(
            "Dane do faktury zapisane: \(invoice.company), NIP \(invoice.nip). Fakturę do zamówienia nr \(order.number) wyślemy e-mailem po wysyłce.",
            "Invoice details saved: \(invoice.company), NIP \(invoice.nip). We'll e-mail the invoice for order no. \(order.number) once it ships.")
        offerMoreHelp()
    }
}
