import Dialogue
import Engine
import NLU

/// Turns what a turn did into what the phone platform does next: the bot's words made
/// speakable, then listen again, put the caller through to people, or hang up.
package struct VoiceReplyBuilder: Sendable {
    /// Recogniser hints taken from the options just offered, at most this many.
    static let maximumHints = 10

    package func reply(to outcome: TurnOutcome, callID: String, seq: Int) -> VoiceReply {
        let language = outcome.language
        let tag = Self.languageTag(language)
        var parts = outcome.replies.map(\.parts).joined(separator: [.words(" ")]).filter { $0 != .words("") }
        let transfer = transferAction(outcome)
        if parts.isEmpty, transfer != nil {
            parts = [.words(language == .english
                ? "Connecting you to a consultant, please hold." : "Łączę z konsultantem, proszę chwilę poczekać.")]
        }
        var actions: [VoiceAction] = []
        if !parts.isEmpty {
            let spoken = SpokenReply.render(Array(parts), language: language)
            let interruptible = transfer == nil && !outcome.endsConversation
            actions.append(.say(VoiceAction.Say(text: spoken.text, ssml: spoken.ssml, language: tag, bargeIn: interruptible)))
        }
        if let transfer {
            actions.append(transfer)
        } else if outcome.endsConversation {
            actions.append(.hangup(reason: "completed"))
        } else {
            let hints = outcome.replies.last?.quickReplies.prefix(Self.maximumHints).map(\.title) ?? []
            actions.append(.listen(VoiceAction.Listen(hints: Array(hints), language: tag)))
        }
        return VoiceReply(callID: callID, inReplyToSeq: seq, actions: actions)
    }

    /// A transfer when the turn handed the call to a person (or a person has it already).
    private func transferAction(_ outcome: TurnOutcome) -> VoiceAction? {
        guard outcome.mode == .human else { return nil }
        let context = VoiceAction.Transfer.Context(
            reason: outcome.escalation?.reason.rawValue ?? "with_agent", conversationID: outcome.conversationID,
            escalationID: outcome.escalation?.id)
        return .transfer(VoiceAction.Transfer(target: .init(queue: Self.queue(for: outcome.language)), context: context))
    }

    /// The agents' queue for callers speaking `language`: "support-pl", "support-en".
    package static func queue(for language: Language) -> String { "support-\(language.rawValue)" }

    package static func languageTag(_ language: Language) -> String {
        switch language {
        case .polish: "pl-PL"
        case .english: "en-US"
        }
    }
}
