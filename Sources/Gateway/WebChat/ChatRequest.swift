import Foundation
import NLU

/// What a web chat page sends over `/ws/chat` (CONTRACT.md), checked.
enum ChatRequest: Equatable {
    /// Starts a session, or resumes `session` when the server issued it.
    case hello(session: String?, language: Language?)
    /// A customer message; `clientID` is the page's own id for it (a resend carries the same).
    case message(clientID: String, text: String)

    /// The longest message a customer may send in one frame, in characters.
    static let maximumTextLength = 4_000
    /// The longest `client_id` a page may use.
    static let maximumClientIDLength = 100

    /// Reads one text frame.
    static func parse(_ frame: String) throws(ChatFrameError) -> ChatRequest {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(frame.utf8))
        } catch {
            throw .malformed("The frame is not valid JSON.")
        }
        guard case .object(let object) = value else { throw .malformed("A frame is a JSON object with a type.") }
        guard case .string(let type)? = object["type"] else { throw .invalid("type is required and must be a string.") }
        let fields = ChatFrameFields(object: object, type: type)
        switch type {
        case "hello":
            return .hello(session: try fields.optionalString("session"), language: try fields.optionalString("language").flatMap(language))
        case "message":
            let clientID = try fields.string("client_id")
            guard !clientID.isEmpty, clientID.count <= maximumClientIDLength else {
                throw .invalid("message.client_id must be 1–\(maximumClientIDLength) characters.")
            }
            let text = try fields.string("text").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, text.count <= maximumTextLength else {
                throw .invalid("message.text must be 1–\(maximumTextLength) characters.")
            }
            return .message(clientID: clientID, text: text)
        default:
            throw .unknownType(type)
        }
    }

    /// The language a page names (`pl`, `en`, `pl-PL`, `en_GB`…); nil for one the bot does not
    /// speak, which leaves it to the first message.
    static func language(_ tag: String) -> Language? {
        switch tag.prefix(2).lowercased() {
        case "pl": .polish
        case "en": .english
        default: nil
        }
    }
}

/// Why a chat frame was refused; sent back as `error{code, message}`, the socket stays open and
/// nothing changed.
enum ChatFrameError: Error, Equatable {
    /// Not JSON, or not a JSON object.
    case malformed(String)
    /// A field missing or of the wrong kind; the message says which.
    case invalid(String)
    case unknownType(String)
    /// A `message` before the `hello`.
    case helloRequired
    /// A second `hello` on one socket.
    case alreadyStarted

    var code: String {
        switch self {
        case .malformed: "malformed_frame"
        case .invalid: "invalid_frame"
        case .unknownType: "unknown_type"
        case .helloRequired: "hello_required"
        case .alreadyStarted: "already_started"
        }
    }

    var message: String {
        switch self {
        case .malformed(let message), .invalid(let message): message
        case .unknownType(let type): "Unknown frame type \"\(type.prefix(40))\": hello or message."
        case .helloRequired: "Send hello{session?, language?} first."
        case .alreadyStarted: "This socket has said hello already; reconnect to start another session."
        }
    }
}

/// Typed reads of a frame's fields, each error naming the field.
private struct ChatFrameFields {
    let object: [String: JSONValue]
    let type: String

    func string(_ key: String) throws(ChatFrameError) -> String {
        guard case .string(let text)? = object[key] else { throw .invalid("\(type).\(key) is required and must be a string.") }
        return text
    }

    /// Absent and null are nil.
    func optionalString(_ key: String) throws(ChatFrameError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw .invalid("\(type).\(key) must be a string.")
        }
    }
}
