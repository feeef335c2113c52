import Commerce
import Foundation
import Wire

/// What an agent's console sends over `/ws/agent` (CONTRACT.md), checked.
enum AgentRequest: Equatable {
    case auth(token: String)
    case claim(escalationID: Int64)
    case send(conversationID: Int64, text: String)
    case label(messageID: Int64, intent: String)
    case resolve(escalationID: Int64, returnToBot: Bool)
    /// The agent knows the conversation's customer and `customerID` are one person: merge them.
    case linkCustomer(conversationID: Int64, customerID: Int64)
    /// The next page of the queue.
    case queueMore

    /// The longest reply an agent may send in one frame.
    static let maximumTextLength = 4_000

    /// Reads one text frame.
    static func parse(_ text: String) throws(FrameProblem) -> AgentRequest {
        let frame = try RequestFrame(text)
        switch frame.type {
        case "auth": return .auth(token: try frame.string("token"))
        case "claim": return .claim(escalationID: try frame.id("escalation_id"))
        case "send":
            return .send(
                conversationID: try frame.id("conversation_id"), text: try frame.text("text", maximum: maximumTextLength))
        case "label": return .label(messageID: try frame.id("message_id"), intent: try frame.string("intent"))
        case "resolve":
            return .resolve(escalationID: try frame.id("escalation_id"), returnToBot: try frame.optionalBool("return_to_bot") ?? true)
        case "link_customer":
            return .linkCustomer(conversationID: try frame.id("conversation_id"), customerID: try frame.id("customer_id"))
        case "queue_more": return .queueMore
        default: throw .unknownType(frame.type, known: "auth, claim, send, label, resolve, link_customer or queue_more")
        }
    }
}

/// The frames the server sends to agents, `type` first (CONTRACT.md).
enum AgentFrame {
    static func ready(agent: String) -> String {
        #"{"type":"ready","agent":{"name":"# + JSONText.quoted(agent) + "}}"
    }

    static func error(_ code: String, _ message: String) -> String { RequestFrame.error(code: code, message: message) }

    /// `customer_message{conversation_id, message_id, text, channel, intent, confidence}`: the
    /// intent as the classifier read it, so the agent can correct it at once.
    static func customerMessage(
        conversationID: Int64, messageID: Int64, text: String, channel: String, intent: String, confidence: Double
    ) -> String {
        #"{"type":"customer_message","conversation_id":\#(conversationID),"message_id":\#(messageID),"text":"#
            + JSONText.quoted(text) + #","channel":"# + JSONText.quoted(channel) + #","intent":"# + JSONText.quoted(intent)
            + #","confidence":\#((confidence * 1_000).rounded() / 1_000)}"#
    }

    /// `sent{conversation_id, message_id, text, created_at}`: the agent's reply is stored and on
    /// its way through the customer's channel.
    static func sent(_ message: Message) -> String {
        #"{"type":"sent","conversation_id":\#(message.conversationID),"message_id":\#(message.id),"text":"#
            + JSONText.quoted(message.text) + #","created_at":"# + JSONText.quoted(Timestamps.text(message.createdAt)) + "}"
    }

    /// `{"type":…,` followed by the fields of an encoded object (its own braces dropped).
    static func typed(_ type: String, _ encoded: Data) -> String {
        let body = String(decoding: encoded, as: UTF8.self)
        guard body.count > 2 else { return #"{"type":"# + JSONText.quoted(type) + "}" }
        return #"{"type":"# + JSONText.quoted(type) + "," + body.dropFirst()
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
