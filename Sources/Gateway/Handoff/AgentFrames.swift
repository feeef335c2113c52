import Foundation

/// What an agent's console sends over `/ws/agent` (CONTRACT.md), checked.
enum AgentRequest: Equatable {
    case auth(token: String)
    case claim(escalationID: Int64)
    case send(conversationID: Int64, text: String)
    case label(messageID: Int64, intent: String)
    case resolve(escalationID: Int64, returnToBot: Bool)

    /// The longest reply an agent may send in one frame.
    static let maximumTextLength = 4_000

    /// Reads one text frame.
    static func parse(_ frame: String) throws(AgentFrameError) -> AgentRequest {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(frame.utf8))
        } catch {
            throw .malformed("The frame is not valid JSON.")
        }
        guard case .object(let object) = value else { throw .malformed("A frame is a JSON object with a type.") }
        guard case .string(let type)? = object["type"] else { throw .invalid("type is required.") }
        let fields = FrameFields(object: object, type: type)
        switch type {
        case "auth": return .auth(token: try fields.string("token"))
        case "claim": return .claim(escalationID: try fields.id("escalation_id"))
        case "send":
            let text = try fields.string("text").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, text.count <= maximumTextLength else {
                throw .invalid("send.text must be 1–\(maximumTextLength) characters.")
            }
            return .send(conversationID: try fields.id("conversation_id"), text: text)
        case "label": return .label(messageID: try fields.id("message_id"), intent: try fields.string("intent"))
        case "resolve":
            return .resolve(escalationID: try fields.id("escalation_id"), returnToBot: try fields.bool("return_to_bot") ?? true)
        default: throw .unknownType(type)
        }
    }
}

/// Why a console frame was refused; sent back as `error{code, message}`.
enum AgentFrameError: Error, Equatable {
    case malformed(String)
    case invalid(String)
    case unknownType(String)

    var code: String {
        switch self {
        case .malformed: "malformed_frame"
        case .invalid: "invalid_frame"
        case .unknownType: "unknown_type"
        }
    }

    var message: String {
        switch self {
        case .malformed(let message), .invalid(let message): message
        case .unknownType(let type):
            "Unknown frame type \"\(type.prefix(40))\": auth, claim, send, label or resolve."
        }
    }
}

private struct FrameFields {
    let object: [String: JSONValue]
    let type: String

    func string(_ key: String) throws(AgentFrameError) -> String {
        guard case .string(let text)? = object[key] else { throw .invalid("\(type).\(key) must be a string.") }
        return text
    }

    func id(_ key: String) throws(AgentFrameError) -> Int64 {
        guard case .number(let number)? = object[key], let id = Int64(exactly: number), id > 0 else {
            throw .invalid("\(type).\(key) must be a positive whole number.")
        }
        return id
    }

    func bool(_ key: String) throws(AgentFrameError) -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        default: throw .invalid("\(type).\(key) must be true or false.")
        }
    }
}

/// The frames the server sends to agents, `type` first (CONTRACT.md).
enum AgentFrame {
    static func ready(agent: String) -> String {
        #"{"type":"ready","agent":{"name":"# + JSONText.quoted(agent) + "}}"
    }

    static func error(_ code: String, _ message: String) -> String {
        #"{"type":"error","code":"# + JSONText.quoted(code) + #","message":"# + JSONText.quoted(message) + "}"
    }

    static func customerMessage(conversationID: Int64, messageID: Int64, text: String, channel: String) -> String {
        #"{"type":"customer_message","conversation_id":\#(conversationID),"message_id":\#(messageID),"text":"#
            + JSONText.quoted(text) + #","channel":"# + JSONText.quoted(channel) + "}"
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
