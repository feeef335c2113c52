import Commerce
import Foundation
import NLU

/// The conversation as a pure state machine: one event in, the new state and the actions out.
/// It routes: a message goes through `Reception` to the flow whose phase is open (ordering,
/// order service, returns, complaints, invoices, account, shop questions), and an outcome the
/// engine reports goes to the flow that asked for it.
///
/// Nothing here touches the database, the clock or the network: the engine fetches the
/// snapshots of `DialogueContext`, performs the actions and feeds their outcomes back as events.
public struct Dialogue: Sendable {
    public internal(set) var state: DialogueState

    public init(state: DialogueState = DialogueState()) {
        self.state = state
    }

    /// Handles one event; returns what to say and do, in order.
    public mutating func handle(_ event: DialogueEvent, in context: DialogueContext) -> [DialogueAction] {
        var reception = Reception(
            state: state, context: context,
            response: Response(words: Phrasebook(language: state.language, facts: context.facts), channel: context.channel))
        let actions = reception.handle(event)
        state = reception.state
        return actions
    }

    /// An agent handed the conversation back: the bot starts afresh (its state before the
    /// handoff is stale by now).
    public mutating func returnFromAgent() {
        state.phase = .idle
        state.misunderstandings = 0
        state.unclearTurns = 0
        state.complaintAttachments = []
    }

    /// Whether the message starts a request about the customer's orders, the only step that may
    /// offer a code to a contact typed earlier (so the engine reads those contacts for it alone).
    public static func asksAboutOrders(_ turn: Turn) -> Bool { TurnReading.asksAboutOrders(turn) }

    /// The six digits of a code in a short message ("123456", "123 456", "Kod weryfikacyjny: 123-456").
    public static func verificationCode(in text: String) -> String? { TurnReading.verificationCode(in: text) }
}
