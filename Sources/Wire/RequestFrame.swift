import Foundation

/// One request frame of a WebSocket endpoint (`/ws/chat`, `/ws/agent`): a JSON object whose
/// `type` says what it asks, with typed reads of its fields. Every problem is a `FrameProblem`
/// that names the field.
package struct RequestFrame {
    package let type: String
    private let object: [String: JSONValue]

    package init(_ text: String) throws(FrameProblem) {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw .malformed("The frame is not valid JSON.")
        }
        guard case .object(let object) = value else { throw .malformed("A frame is a JSON object with a type.") }
        guard case .string(let type)? = object["type"] else { throw .invalid("type is required and must be a string.") }
        self.type = type
        self.object = object
    }

    package func string(_ key: String) throws(FrameProblem) -> String {
        guard case .string(let text)? = object[key] else { throw .invalid("\(type).\(key) is required and must be a string.") }
        return text
    }

    /// Absent and null are nil.
    package func optionalString(_ key: String) throws(FrameProblem) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw .invalid("\(type).\(key) must be a string.")
        }
    }

    /// A positive whole number (a database id).
    package func id(_ key: String) throws(FrameProblem) -> Int64 {
        guard case .number(let number)? = object[key], let id = Int64(exactly: number), id > 0 else {
            throw .invalid("\(type).\(key) must be a positive whole number.")
        }
        return id
    }

    /// Absent and null are nil.
    package func optionalBool(_ key: String) throws(FrameProblem) -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        default: throw .invalid("\(type).\(key) must be true or false.")
        }
    }

    /// Text of 1…`maximum` characters once trimmed.
    package func text(_ key: String, maximum: Int) throws(FrameProblem) -> String {
        let text = try string(key).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= maximum else { throw .invalid("\(type).\(key) must be 1–\(maximum) characters.") }
        return text
    }

    /// `error{code, message}`, as both endpoints send it.
    package static func error(code: String, message: String) -> String {
        #"{"type":"error","code":"# + JSONText.quoted(code) + #","message":"# + JSONText.quoted(message) + "}"
    }
}

/// Why a request frame was refused; sent back as `error{code, message}`, and nothing changed.
package enum FrameProblem: Error, Equatable {
    /// Not JSON, or not a JSON object.
    case malformed(String)
    /// A field missing or of the wrong kind; the message says which.
    case invalid(String)
    /// A `type` the endpoint does not take; `known` lists those it does, for the message.
    case unknownType(String, known: String)

    package var code: String {
        switch self {
        case .malformed: "malformed_frame"
        case .invalid: "invalid_frame"
        case .unknownType: "unknown_type"
        }
    }

    package var message: String {
        switch self {
        case .malformed(let message), .invalid(let message): message
        case .unknownType(let type, let known): "Unknown frame type \"\(type.prefix(40))\": \(known)."
        }
    }
}
