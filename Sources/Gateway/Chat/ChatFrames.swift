import Commerce
import Foundation

/// What a web chat page sends over `/ws/chat` (CONTRACT.md), checked.
enum ChatRequest: Equatable {
    case hello(session: String?, language: String?)
    case message(clientID: String, text: String)

    /// The longest message a customer may send in one frame.
    static let maximumTextLength = 4_000

    static func parse(_ frame: String) throws(ChatFrameError) -> ChatRequest {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(frame.utf8))
        } catch {
            throw .malformed("The frame is not valid JSON.")
        }
        guard case .object(let object) = value else { throw .malformed("A frame is a JSON object with a type.") }
        guard case .string(let type)? = object["type"] else { throw .invalid("type is required.") }
        switch type {
        case "hello":
            return .hello(session: try optionalString(object, "session", type), language: try optionalString(object, "language", type))
        case "message":
            guard case .string(let clientID)? = object["client_id"], !clientID.isEmpty, clientID.count <= 100 else {
                throw .invalid("message.client_id must be a string of 1–100 characters.")
            }
            guard case .string(let text)? = object["text"] else { throw .invalid("message.text must be a string.") }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.count <= maximumTextLength else {
                throw .invalid("message.text must be 1–\(maximumTextLength) characters.")
            }
            return .message(clientID: clientID, text: trimmed)
        default:
            throw .unknownType(type)
        }
    }

    private static func optionalString(_ object: [String: JSONValue], _ key: String, _ type: String) throws(ChatFrameError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw .invalid("\(type).\(key) must be a string.")
        }
    }
}

/// Why a chat frame was refused; sent back as `error{code, message}`, the socket stays open.
enum ChatFrameError: Error, Equatable {
    case malformed(String)
    case invalid(String)
    case unknownType(String)
    case helloRequired
    case helloAgain

    var code: String {
        switch self {
        case .malformed: "malformed_frame"
        case .invalid: "invalid_frame"
        case .unknownType: "unknown_type"
        case .helloRequired: "hello_required"
        case .helloAgain: "already_started"
        }
    }

    var message: String {
        switch self {
        case .malformed(let message), .invalid(let message): message
        case .unknownType(let type): "Unknown frame type \"\(type.prefix(40))\": hello or message."
        case .helloRequired: "Send hello{session?, language?} first."
        case .helloAgain: "This socket has said hello already; reconnect to start another session."
        }
    }
}

/// The frames the server sends to a web chat page, `type` first.
enum ChatFrame {
    static func welcome(session: String, conversationID: Int64) -> String {
        #"{"type":"welcome","session":"# + JSONText.quoted(session) + #","conversation_id":\#(conversationID)}"#
    }

    static func ack(_ clientID: String) -> String {
        #"{"type":"ack","client_id":"# + JSONText.quoted(clientID) + "}"
    }

    static func error(_ code: String, _ message: String) -> String {
        #"{"type":"error","code":"# + JSONText.quoted(code) + #","message":"# + JSONText.quoted(message) + "}"
    }

    /// A reply from the outbox: `message{from, text, quick_replies}` (the quick replies as stored).
    static func message(_ item: OutboxItem) -> String {
        let from = item.author == .agent ? "agent" : "bot"
        let quickReplies = item.quickRepliesJSON.isEmpty ? "[]" : item.quickRepliesJSON
        return #"{"type":"message","from":"\#(from)","text":"# + JSONText.quoted(item.text) + #","quick_replies":"# + quickReplies + "}"
    }
}
