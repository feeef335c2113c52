import Commerce
import Dialogue
import Foundation
import Storage

/// A turn worked out before its transaction: the dialogue step run against a read snapshot,
/// off the writer, leaving the writer only the writes. Valid while the conversation is still at
/// `conversation.stateVersion`.
struct TurnPlan: Sendable {
    let customerID: Int64
    let conversation: Conversation
    let state: DialogueState
    let stateJSON: String
    let replies: [Reply]
}

extension TurnCommit {
    /// The common turn, planned on a reader: a known customer in an open bot conversation whose
    /// step only replies. Nil for everything else (a new customer or conversation, human mode, an
    /// order, an escalation, a link…), which the writer then handles from the start.
    mutating func plan() throws -> TurnPlan? {
        guard case .identity(let identity) = prepared.message.sender,
              let customer = try Customers().customerID(for: identity, in: db),
              let conversation = try Conversations().open(
                  channel: prepared.message.storedChannel, externalID: prepared.message.thread, in: db),
              conversation.mode == .bot, conversation.customerID == customer
        else { return nil }
        customerID = customer
        var dialogue = Dialogue(
            state: engine.states.state(of: conversation.id, at: conversation.stateVersion)
                ?? DialogueStateJSON.decode(conversation.state))
        if case .withAgent = dialogue.state.phase { return nil }
        let context = try makeContext(now: engine.now(), withOrders: Self.needsOrders(dialogue.state, prepared.turn))
        var replies: [Reply] = []
        for action in dialogue.handle(.message(prepared.turn), in: context) {
            guard case .reply(let reply) = action else { return nil }
            replies.append(reply)
        }
        return TurnPlan(
            customerID: customer, conversation: conversation, state: dialogue.state,
            stateJSON: DialogueStateJSON.encode(dialogue.state), replies: replies)
    }

    /// Writes a planned turn, if the conversation has not moved since it was planned; nil if it
    /// has (the caller runs the turn from the start).
    mutating func commit(_ plan: TurnPlan) throws -> TurnOutcome? {
        guard let current = try Conversations().stamp(of: plan.conversation.id, in: db),
              current.stateVersion == plan.conversation.stateVersion, current.mode == .bot, current.customerID == plan.customerID
        else { return nil }
        let now = engine.now()
        let clock: Now = { now }
        customerID = plan.customerID
        let understood = prepared.turn.understanding
        let stored = try Conversations(now: clock).appendInTurn(
            .fromCustomer(prepared.storedText, intent: understood.intent.rawValue, confidence: understood.confidence,
                          externalID: prepared.message.eventID),
            to: plan.conversation, in: db)
        try store(plan.replies, in: plan.conversation, clock: clock)
        let version = try Conversations(now: clock).saveState(
            plan.stateJSON, of: plan.conversation.id, expectedVersion: plan.conversation.stateVersion,
            reached: plan.state.funnelStep, in: db)
        engine.states.remember(plan.state, of: plan.conversation.id, at: version)
        return outcome(
            plan.conversation, stored, replies: plan.replies, mode: .bot, state: plan.state.summary,
            language: plan.state.language)
    }
}
