import Commerce

/// Photos and files the customer sends. The bot does not look at them: while a complaint is being
/// made they are attached to it (and go into its escalation); elsewhere the bot says what it can
/// do with them.
extension Dialogue {
    /// Keeps the message's attachments with the state, each URL once; `handle` drops them again
    /// unless a complaint is being made or may start next.
    mutating func keepAttachments(of turn: Turn) {
        for attachment in turn.attachments where !state.complaintAttachments.contains(where: { $0.url == attachment.url }) {
            state.complaintAttachments.append(attachment)
        }
    }

    /// Answers what a message's attachments ask for: during a complaint an acknowledgement (and,
    /// for attachments alone, the complaint's open question again); elsewhere, for attachments
    /// alone, what the bot can do with them. True when nothing is left for the message's text.
    mutating func answerAttachments(of turn: Turn, in context: DialogueContext, _ response: inout Response) -> Bool {
        guard !turn.attachments.isEmpty else { return false }
        switch state.phase {
        case .describingComplaint:
            acknowledge(turn.attachments, &response)
            guard turn.isAttachmentOnly else { return false }
            response.say("Opisz, proszę, w kilku słowach, co się stało.", "Please describe in a few words what happened.")
        case .awaitingOrder(.complaint):
            acknowledge(turn.attachments, &response)
            guard turn.isAttachmentOnly else { return false }
            askComplaintOrder(in: context, &response)
        case .awaitingOrder:
            guard turn.isAttachmentOnly else { return false }
            explainAttachmentsLater(&response)
            response.say("Podaj, proszę, numer zamówienia (6 cyfr).", "Please give the order number (6 digits).")
        case .ordering(let draft):
            guard turn.isAttachmentOnly else { return false }
            explainAttachmentsLater(&response)
            ask(draft.pending, draft, in: context, &response)
        case .collectingInvoice(_, let draft):
            guard turn.isAttachmentOnly else { return false }
            explainAttachmentsLater(&response)
            askInvoice(draft, &response)
        case .idle, .offeredOptions, .withAgent, .confirming, .changingOrder, .offeringCode, .awaitingCode:
            guard turn.isAttachmentOnly else { return false }
            state.phase = .idle
            explainAttachments(turn.attachments, &response)
        }
        return true
    }

    /// The line for an escalation's summary that lists the attachments kept, if any.
    var attachmentsLine: String? {
        guard !state.complaintAttachments.isEmpty else { return nil }
        return "Załączniki: " + state.complaintAttachments.map(\.url).joined(separator: ", ")
    }

    private func acknowledge(_ attachments: [Attachment], _ response: inout Response) {
        let name = Self.name(of: attachments)
        response.say("Dziękuję, \(name.polish) dołączę do reklamacji.", "Thank you, I'll attach the \(name.english) to the complaint.")
    }

    /// Outside anything pending: attachments go with a complaint, which the customer can start
    /// next (the attachments are kept for it).
    private func explainAttachments(_ attachments: [Attachment], _ response: inout Response) {
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
    private func explainAttachmentsLater(_ response: inout Response) {
        response.say(
            "Dziękuję. Zdjęcia i pliki mogę dołączyć do reklamacji — gdy skończymy, napisz „reklamacja” i prześlij je ponownie.",
            "Thank you. I can attach photos and files to a complaint: when we're done here, write \"complaint\" and send them again.")
    }

    /// Which order a complaint is about, asked again: a choice among the orders it can be about,
    /// else the number.
    private func askComplaintOrder(in context: DialogueContext, _ response: inout Response) {
        let words = response.words
        let orders = context.customer.orders.filter { Self.fits(.complaint, $0, in: context) }.prefix(response.optionLimit(4))
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
}
