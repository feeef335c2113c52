import Commerce
import Dialogue
import Testing

/// The text of the step's reply ("" when it said nothing).
func replyText(_ actions: [DialogueAction]) -> String {
    actions.compactMap { if case .reply(let reply) = $0 { reply.text } else { nil } }.joined(separator: " ")
}

/// The quick replies of the step's reply.
func chips(_ actions: [DialogueAction]) -> [QuickReply] {
    actions.flatMap { action -> [QuickReply] in if case .reply(let reply) = action { reply.quickReplies } else { [] } }
}

/// Every action but the replies.
func effects(_ actions: [DialogueAction]) -> [DialogueAction] {
    actions.filter { if case .reply = $0 { false } else { true } }
}

/// The reply says each of `fragments`.
func assertReply(_ actions: [DialogueAction], contains fragments: String..., sourceLocation: SourceLocation = #_sourceLocation) {
    let text = replyText(actions)
    for fragment in fragments {
        #expect(text.contains(fragment), "reply \"\(text)\" lacks \"\(fragment)\"", sourceLocation: sourceLocation)
    }
}

/// The reply says none of `fragments`.
func assertReply(_ actions: [DialogueAction], lacks fragments: String..., sourceLocation: SourceLocation = #_sourceLocation) {
    let text = replyText(actions)
    for fragment in fragments {
        #expect(!text.contains(fragment), "reply \"\(text)\" has \"\(fragment)\"", sourceLocation: sourceLocation)
    }
}

/// The step only talked: no order placed, cancelled, escalated…
func assertNoEffects(_ actions: [DialogueAction], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(effects(actions).isEmpty, "unexpected actions \(effects(actions))", sourceLocation: sourceLocation)
}

/// The conversation stands where `summary` says ("ordering.size", "idle"…).
func expectState(_ chat: Chat, _ summary: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(chat.state.summary == summary, sourceLocation: sourceLocation)
}

/// The order the step asked to place.
func placedOrder(_ actions: [DialogueAction]) -> OrderDraftRequest? {
    actions.lazy.compactMap { if case .placeOrder(let request) = $0 { request } else { nil } }.first
}

/// The escalation the step opened: reason, priority and summary.
func escalation(_ actions: [DialogueAction]) -> (reason: EscalationReason, priority: Int, summary: String)? {
    actions.lazy.compactMap { action -> (EscalationReason, Int, String)? in
        if case .escalate(let reason, let priority, let summary) = action { (reason, priority, summary) } else { nil }
    }.first
}

/// The step asks again what it asked with `slot` open and leaves the conversation there.
func assertAsksAgain(_ chat: Chat, _ slot: Slot, _ actions: [DialogueAction], sourceLocation: SourceLocation = #_sourceLocation) {
    expectState(chat, "ordering.\(slot.rawValue)", sourceLocation: sourceLocation)
    if let question = OrderQuestion.polish[slot] {
        assertReply(actions, contains: question, sourceLocation: sourceLocation)
    }
}

/// How each order question begins in Polish.
enum OrderQuestion {
    static let polish: [Slot: String] = [
        .product: "Który", .size: "Jaki rozmiar?", .color: "Jaki kolor?", .quantity: "Ile par?",
        .moreItems: "Czy dodać coś jeszcze", .deliveryMethod: "Jak dostarczyć zamówienie", .address: "Podaj adres dostawy",
        .locker: "Podaj kod paczkomatu", .store: "W którym sklepie odbiór", .name: "Na jakie imię i nazwisko",
        .contact: "Podaj numer telefonu lub e-mail", .payment: "Jak płacisz", .confirmation: "Czy potwierdzasz zamówienie?",
    ]
}
