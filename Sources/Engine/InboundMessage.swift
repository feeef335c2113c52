import Commerce
import Dialogue
import Foundation
import NLU

/// One customer message from any channel, as a channel adapter hands it to the engine.
public struct InboundMessage: Sendable {
    /// Who sent it: an identity on the channel, or (the terminal chat) a customer by id.
    public enum Sender: Sendable, Hashable {
        case identity(Identity)
        case customer(Int64)
    }

    /// The channel it came through (its adapter's profile).
    public let channel: ChannelProfile
    public let sender: Sender
    /// The conversation's id on the channel: a Messenger PSID, a call id, a web chat session.
    public let thread: String
    public let text: String
    /// The payload of a tapped quick reply, as the channel delivered it.
    public let payload: String?
    /// The channel's id for this message (a Messenger `mid`), stored with it.
    public let eventID: String?
    /// The language the channel says the customer speaks, if it knows.
    public let language: Language?
    /// The inbox row the message came from: the turn marks it handled in its own transaction, and
    /// a row handled already is not handled again (`EngineError.alreadyHandled`).
    public let inboxID: Int64?
    /// Photos and files sent with the message (their links; the text may be empty).
    public let attachments: [Attachment]
    /// How sure the speech recogniser was of `text`, for a spoken message that says.
    public let recognitionConfidence: Double?
    /// For a message that carries its own key (a phone call's turn): acted on once, however
    /// often it arrives.
    public let onceOnly: OnceOnly?

    /// Secrets the channel masked in `text` before it stored the message (a Messenger event is
    /// stored masked before its turn): the turn still knows the customer sent them.
    public let maskedSecrets: Set<SensitiveText.Kind>

    public init(
        channel: ChannelProfile, sender: Sender, thread: String, text: String, payload: String? = nil, eventID: String? = nil,
        language: Language? = nil, inboxID: Int64? = nil, attachments: [Attachment] = [], recognitionConfidence: Double? = nil,
        onceOnly: OnceOnly? = nil, maskedSecrets: Set<SensitiveText.Kind> = []
    ) {
        self.maskedSecrets = maskedSecrets
        self.channel = channel
        self.sender = sender
        self.thread = thread
        self.text = text
        self.payload = payload
        self.eventID = eventID
        self.language = language
        self.inboxID = inboxID
        self.attachments = attachments
        self.recognitionConfidence = recognitionConfidence
        self.onceOnly = onceOnly
    }

    /// The channel the conversation is stored under.
    package var storedChannel: ConversationChannel { channel.stored }

    /// Whether replies are pushed later (and so go through the outbox) rather than returned.
    package var pushesReplies: Bool { channel.pushesReplies }
}

/// A message's own key, under which it is acted on at most once: the key goes into the inbox
/// in the turn's transaction together with what `record` makes of the outcome (the reply a
/// caller heard), so a repeat of the key finds that record and the turn does not run again
/// (`EngineError.repeated`).
public struct OnceOnly: Sendable {
    public let key: String
    /// What was received, kept with the key (the request as the channel sent it).
    public let event: String
    public let record: @Sendable (TurnOutcome) -> String

    public init(key: String, event: String, record: @escaping @Sendable (TurnOutcome) -> String) {
        self.key = key
        self.event = event
        self.record = record
    }
}

/// What one turn did: the replies to give the customer and what changed.
public struct TurnOutcome: Sendable {
    public let conversationID: Int64
    public let customerID: Int64
    /// The stored customer message (its id is what an agent's `label` names).
    public let messageID: Int64
    public let understanding: Understanding
    /// The bot's replies, in order; empty when a person has the conversation.
    public let replies: [Reply]
    /// The language the bot answers in.
    public let language: Language
    /// Who answers the conversation after this turn.
    public let mode: ConversationMode
    /// Where the dialogue stands ("ordering.size", "idle", …).
    public let state: String
    /// An escalation this turn opened (or found open).
    public let escalation: Escalation?
    /// An order this turn placed.
    public let placedOrder: Order?
    /// Identities this turn linked to the customer (a proved contact, and the merges it made).
    public let linked: [LinkOutcome]
    /// Contacts the customer typed this turn: claims on their own record, keys to nothing.
    public let claimed: [Identity]
    /// Whether the turn queued a notification (a one-time code) for the notifier.
    public let notificationsQueued: Bool
    /// Whether the conversation is over after this turn (a phone call hangs up).
    public let endsConversation: Bool
    /// The products whose stock this turn changed (an order placed or cancelled), for the
    /// engine to read again once the turn has committed.
    let changedStock: Set<String>
}
