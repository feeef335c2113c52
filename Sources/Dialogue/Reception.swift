import Commerce
import Foundation
import NLU
import ShopValues

/// Where every message comes in: an expired order dropped, attachments kept, secrets warned
/// about, a person on request, then the flow whose phase is open takes the message (nothing
/// open: `begin`).
struct Reception: Flow {
    var state: DialogueState
    let context: DialogueContext
    var response: Response

    /// What the event makes the bot say and do. An unclear spoken message changes nothing but
    /// the count of unclear turns; a message may switch the reply's language first.
    mutating func handle(_ event: DialogueEvent) -> [DialogueAction] {
        if case .message(let turn) = event, context.channel.isSpoken,
           turn.isUnclear(below: context.settings.lowRecognitionConfidence) {
            with(UnclearSpeechFlow.self) { $0.askToRepeat(turn) }
            return response.actions
        }
        if case .message(let turn) = event {
            adoptLanguage(of: turn)
            response = Response(words: Phrasebook(language: state.language, facts: context.facts), channel: context.channel)
        }
        switch event {
        case .message(let turn): receive(turn)
        case .orderPlaced(let order): with(OrderingFlow.self) { $0.orderPlaced(order) }
        case .orderCancelled(let order): with(OrderServiceFlow.self) { $0.orderCancelled(order) }
        case .returnOpened(let returnCase, let order): with(ReturnFlow.self) { $0.returnOpened(returnCase, order: order) }
        case .deliveryChanged(let order): with(OrderServiceFlow.self) { $0.deliveryChanged(order) }
        case .invoiceRequested(let order): with(InvoiceFlow.self) { $0.invoiceRequested(order) }
        case .refused(let error): with(OrderServiceFlow.self) { $0.refused(error) }
        case .verification(let outcome): with(AccountFlow.self) { $0.verification(outcome) }
        }
        if !state.phase.gathersComplaint, !mayStartComplaint(after: event) { state.complaintAttachments = [] }
        return response.actions
    }

    /// Keeps the message's attachments with the state, each URL once; `handle` drops them again
    /// unless a complaint is being made or may start next.
    mutating func keepAttachments(of turn: Turn) {
        for attachment in turn.attachments where !state.complaintAttachments.contains(where: { $0.url == attachment.url }) {
            state.complaintAttachments.append(attachment)
        }
    }

    /// Attachments sent alone with nothing pending wait one more message: a complaint started
    /// next takes them.
    private func mayStartComplaint(after event: DialogueEvent) -> Bool {
        guard case .message(let turn) = event else { return false }
        return turn.isAttachmentOnly && state.phase == .idle
    }

    /// How sure the detector must be before a first message sets the conversation's language.
    private static let clearLanguage = 0.8

    private mutating func adoptLanguage(of turn: Turn) {
        let understanding = turn.understanding
        let words = turn.words.filter { $0.contains(where: \.isLetter) }.count
        if state.lastActivity == nil {
            if let hint = context.languageHint {
                state.language = hint
            } else if words >= 1, understanding.intent != .outOfScope || words >= 2,
                      understanding.languageConfidence >= Self.clearLanguage {
                // Gibberish ("blablabla qwerty") leans to no language: the shop's own stays.
                state.language = understanding.language
            }
        } else if words >= 4, understanding.intent != .outOfScope, understanding.confidence >= 0.8,
                  understanding.entities.isEmpty {
            // Only a clear sentence switches language: names, addresses and short answers
            // ("ok", "Jan Kowalski", "ul. Kwiatowa 5") say little about it.
            state.language = understanding.language
        }
    }

    private mutating func receive(_ turn: Turn) {
        if case .ordering = state.phase, let last = state.lastActivity,
           context.now.timeIntervalSince(last) > context.settings.staleOrderAfter {
            state.phase = .idle
            response.say("Poprzednie, niedokończone zamówienie wygasło.", "The earlier unfinished order has expired.")
        }
        state.lastActivity = context.now
        state.unclearTurns = 0
        keepAttachments(of: turn)
        if !turn.secrets.isEmpty {
            warnAboutSecrets()
            return
        }
        if TurnReading.wantsPerson(turn) {
            escalate(.customerRequest, turn: turn)
            return
        }
        let answered = with(ComplaintFlow.self) { $0.answerAttachments(of: turn) }
        if answered { return }
        if TurnReading.tapsMenu(turn), !state.phase.isOrdering {
            // A persistent-menu button or Get Started leaves what was pending (an order keeps it
            // as a digression).
            state.phase = .idle
        }
        switch state.phase {
        case .idle, .withAgent, .offeredOptions:
            state.phase = .idle
            begin(turn)
        case .ordering(let draft):
            with(OrderingFlow.self) { $0.continueOrder(draft, with: turn) }
        case .awaitingOrder(let request):
            with(OrderServiceFlow.self) { $0.awaitOrder(for: request, turn) }
        case .confirming(let confirmation):
            with(ConfirmationFlow.self) { $0.confirm(confirmation, turn) }
        case .offeringCode(let request, let contact):
            with(AccountFlow.self) { $0.answerCodeOffer(for: request, to: contact, turn) }
        case .awaitingCode(let request, let contact):
            with(AccountFlow.self) { $0.awaitCode(for: request, from: contact, turn) }
        case .describingComplaint(let number):
            with(ComplaintFlow.self) { $0.describeComplaint(number, turn) }
        case .collectingInvoice(let number, let draft):
            with(InvoiceFlow.self) { $0.collectInvoice(number, draft, turn) }
        case .changingOrder(let number):
            with(OrderServiceFlow.self) { $0.changeOrder(number, turn) }
        }
    }

    private mutating func warnAboutSecrets() {
        response.say(
            "Proszę nie podawać w rozmowie numerów kart, kodów CVV i BLIK ani haseł — ta wiadomość została ukryta. Płatność odbywa się przez bezpieczny link do płatności albo przy odbiorze.",
            "Please don't share card numbers, CVV or BLIK codes, or passwords in the chat; I've hidden that message. Payment happens through a secure payment link or on delivery.")
        if case .ordering(let draft) = state.phase { with(OrderingFlow.self) { $0.ask(draft.pending, draft) } }
    }
}
