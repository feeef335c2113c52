import Foundation

/// The channel a conversation happens on.
public enum ConversationChannel: String, Sendable, Hashable, Codable, CaseIterable {
    case messenger, voice, web
}

/// Who answers the customer: the bot, or a person after an escalation.
public enum ConversationMode: String, Sendable, Hashable, Codable {
    case bot, human
}

/// One conversation with a customer on one channel, with the dialogue's state.
public struct Conversation: Sendable, Hashable {
    public let id: Int64
    public let customerID: Int64
    public let channel: ConversationChannel
    /// The channel's own id of the conversation: a Messenger PSID, a call id, a web chat session.
    public let externalID: String?
    public let language: String
    public let mode: ConversationMode
    /// The dialogue's state as JSON; its shape belongs to the dialogue, not to this store.
    public let state: String
    /// Bumped on every state change, so two writers cannot overwrite each other unnoticed.
    public let stateVersion: Int64
    public let createdAt: Date
    public let updatedAt: Date
    public let closedAt: Date?
}

/// Which way a message went.
public enum MessageDirection: String, Sendable, Hashable, Codable {
    case inbound = "in"
    case outbound = "out"
}

/// Who wrote a message.
public enum MessageAuthor: String, Sendable, Hashable, Codable {
    case customer, bot, agent, system
}

/// A message to store: the customer's (with what the classifier made of it) or an answer.
public struct NewMessage: Sendable, Hashable {
    public let direction: MessageDirection
    public let author: MessageAuthor
    public let text: String
    public let intent: String?
    public let confidence: Double?
    /// The channel's id of the message (a Messenger `mid`), when it has one.
    public let externalID: String?

    /// A message from the customer, with its intent and the classifier's confidence.
    public static func fromCustomer(_ text: String, intent: String?, confidence: Double?, externalID: String? = nil) -> NewMessage {
        NewMessage(direction: .inbound, author: .customer, text: text, intent: intent, confidence: confidence, externalID: externalID)
    }

    /// A message to the customer, from the bot, an agent or the system.
    public static func reply(_ text: String, from author: MessageAuthor, externalID: String? = nil) -> NewMessage {
        NewMessage(direction: .outbound, author: author, text: text, intent: nil, confidence: nil, externalID: externalID)
    }
}

/// A stored message of a transcript.
public struct Message: Sendable, Hashable {
    public let id: Int64
    public let conversationID: Int64
    public let direction: MessageDirection
    public let author: MessageAuthor
    public let channel: ConversationChannel
    public let text: String
    public let intent: String?
    public let confidence: Double?
    public let externalID: String?
    public let createdAt: Date
}
