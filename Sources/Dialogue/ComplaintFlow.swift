import Commerce
import Foundation
import NLU
import ShopValues

/// A complaint about an order: what happened, then a person takes it (an escalation with the
/// description and any photos). Photos and files the customer sends are attached to the
/// complaint being made; elsewhere the bot says what it can do with them. Phase:
/// `describingComplaint`.
struct ComplaintFlow: Flow {
    var state: DialogueState
    let context: DialogueContext
    var response: Response

    /// Answers what a message's attachments ask for: during a complaint an acknowledgement (and,
    /// for attachments alone, the complaint's open question again); elsewhere, for attachments
    /// alone, what the bot can do with them. True when nothing is left for the message's text.
    mutating func answerAttachments(of turn: Turn) -> Bool {
        guard !turn.attachments.isEmpty else { return false }
        switch state.phase {
        case .describingComplaint:
            acknowledge(turn.attachments)
            guard turn.isAttachmentOnly else { return false }
            response.say("Opisz, proszę, w kilku słowach, co się stało.", "Please describe in a few words what happened.")
        case .awaitingOrder(.complaint):
            acknowledge(turn.attachments)
            guard turn.isAttachmentOnly else { return false }
            askComplaintOrder()
        case .awaitingOrder:
            guard turn.isAttachmentOnly else { return false }
            explainAttachmentsLater()
            response.say("Podaj, proszę, numer zamówienia (6 cyfr).", "Please give the order number (6 digits).")
        case .ordering(let draft):
            guard turn.isAttachmentOnly else { return false }
            explainAttachmentsLater()
            with(OrderingFlow.self) { $0.ask(draft.pending, draft) }
        case .collectingInvoice(_, let draft):
            guard turn.isAttachmentOnly else { return false }
            explainAttachmentsLater()
            with(InvoiceFlow.self) { $0.askInvoice(draft) }
        case .idle, .offeredOptions, .withAgent, .confirming, .changingOrder, .offeringCode, .awaitingCode:
            guard turn.isAttachmentOnly else { return false }
            state.phase = .idle
            explainAttachments(turn.attachments)
        }
        return true
    }

    private mutating func acknowledge(_ attachments: [Attachment]) {
        let name = Self.name(of: attachments)
        response.say("Dziękuję, \(name.polish) dołączę do reklamacji.", "Thank you, I'll attach the \(name.english) to the complaint.")
    }

    /// Outside anything pending: attachments go with a complaint, which the customer can start
    /// next (the attachments are kept for it).
    private mutating func explainAttachments(_ attachments: [Attachment]) {
        let name = Self.name(of: attachments)
        let these = attachments.count == 1 ? "this" : "these"
        response.say(
            "Dziękuję. Zdjęcia i pliki mogę dołączyć do reklamacji — jeśli coś jest nie tak z zamówieniem, napisz „reklamacja” albo wybierz poniżej, a dołączę do niej \(name.polish).",
            "Thank you. I can attach photos and files to a complaint: if something is wrong with an order, write \"complaint\" or choose below, and I'll attach \(these) \(name.english) to it.")
        response.offer([
            QuickReply(response.words.pick("Reklamacja", "Complaint"), .start(.complaint)),
            response.personChip,
        ])
    }

    /// In the middle of something else: attachments go with a complaint, once this is done.
    private mutating func explainAttachmentsLater() {
        response.say(
            "Dziękuję. Zdjęcia i pliki mogę dołączyć do reklamacji — gdy skończymy, napisz „reklamacja” i prześlij je ponownie.",
            "Thank you. I can attach photos and files to a complaint: when we're done here, write \"complaint\" and send them again.")
    }

    /// Which order a complaint is about, asked again: a choice among the orders it can be about,
    /// else the number.
    private mutating func askComplaintOrder() {
        let words = response.words
        let orders = context.customer.orders.filter { OrderServiceFlow.fits(.complaint, $0, in: context) }.prefix(response.optionLimit(4))
        guard !orders.isEmpty else {
            response.say("Podaj, proszę, numer zamówienia (6 cyfr).", "Please give the order number (6 digits).")
            return
        }
        let labels = words.list(orders.map(words.orderLabel))
        response.say("Którego zamówienia dotyczy reklamacja? \(labels).", "Which order is the complaint about? \(labels).")
        response.offer(orders.map { QuickReply($0.number.digits, .order($0.number.digits)) })
    }

    /// How the bot names attachments, in the accusative in Polish: "zdjęcie", "pliki", "załączniki".
    static func name(of attachments: [Attachment]) -> (polish: String, english: String) {
        let one = attachments.count == 1
        let kinds = Set(attachments.map(\.kind))
        guard kinds.count == 1, let kind = kinds.first else { return ("załączniki", "attachments") }
        switch kind {
        case .image: return one ? ("zdjęcie", "photo") : ("zdjęcia", "photos")
        case .video: return one ? ("film", "video") : ("filmy", "videos")
        case .audio: return one ? ("nagranie", "recording") : ("nagrania", "recordings")
        case .file: return one ? ("plik", "file") : ("pliki", "files")
        case .other: return one ? ("załącznik", "attachment") : ("załączniki", "attachments")
        }
    }

    mutating func takeComplaint(_ order: Order, _ turn: Turn?) {
        guard let turn, TurnReading.describesProblem(turn.text) else {
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
        fileComplaint(order.number, description: turn.text, turn: turn)
    }

    mutating func describeComplaint(_ number: OrderNumber, _ turn: Turn) {
        guard turn.words.count >= 2 || turn.understanding.intent == .complaint else {
            misunderstood(turn, reask: { flow in
                flow.response.say("Opisz, proszę, w kilku słowach, co się stało.", "Please describe in a few words what happened.")
            })
            return
        }
        fileComplaint(number, description: turn.text, turn: turn)
    }

    private mutating func fileComplaint(_ number: OrderNumber, description: String, turn: Turn) {
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
        response.perform(.complaintFiled(number))
        escalate(.complaint, turn: turn, summary: "Reklamacja zamówienia nr \(number.digits): \(description.prefix(400))")
    }
}
