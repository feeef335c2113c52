import Foundation
import WebServer

/// A request body that must be one JSON object of known fields, read field by field; every
/// problem is a 400 `HTTPError` naming the field, so a caller learns exactly what to fix.
package struct JSONBody {
    private let object: [String: JSONValue]

    /// Reads `data`; refuses anything but an object whose every key is in `fields`.
    package init(_ data: Data, fields: Set<String>) throws(HTTPError) {
        let value: JSONValue
        do {
            value = try JSONReader.value(of: data)
        } catch {
            throw Self.invalid("malformed_json", "The body is not JSON: \(error.description).")
        }
        guard case .object(let object) = value else { throw Self.invalid("invalid_body", "The body must be a JSON object.") }
        if let unknown = object.keys.sorted().first(where: { !fields.contains($0) }) {
            throw Self.invalid(
                "unknown_field", "Unknown field \"\(unknown.prefix(40))\"; the fields are \(fields.sorted().joined(separator: ", ")).")
        }
        self.object = object
    }

    /// Whether `key` is present and not null.
    package func has(_ key: String) -> Bool {
        switch object[key] {
        case nil, .null?: false
        default: true
        }
    }

    /// A string of 1…`maximum` characters once trimmed.
    package func text(_ key: String, maximum: Int) throws(HTTPError) -> String {
        guard let text = try optionalText(key, maximum: maximum) else {
            throw Self.invalid("invalid_field", "\(key) is required and must be a string.")
        }
        return text
    }

    /// Absent and null are nil; otherwise a string of 1…`maximum` characters once trimmed, with
    /// no control characters.
    package func optionalText(_ key: String, maximum: Int) throws(HTTPError) -> String? {
        switch object[key] {
        case nil, .null?:
            return nil
        case .string(let raw)?:
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, text.count <= maximum else {
                throw Self.invalid("invalid_field", "\(key) must be 1–\(maximum) characters.")
            }
            guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw Self.invalid("invalid_field", "\(key) must not contain control characters.")
            }
            return text
        default:
            throw Self.invalid("invalid_field", "\(key) must be a string.")
        }
    }

    /// The text of an amount sent as a JSON number (`349.5` → `"349.50"`); nil when the field is
    /// not a number, or one with more than two decimals (which no amount has).
    package func optionalNumberText(_ key: String) -> String? {
        guard case .number(let number)? = object[key], number.isFinite, abs(number) < 1e13 else { return nil }
        let hundredths = (number * 100).rounded()
        guard abs(hundredths - number * 100) < 1e-6 else { return nil }
        return String(format: "%.2f", hundredths / 100)
    }

    /// Absent and null are nil; otherwise a whole number within `range`.
    package func optionalInteger(_ key: String, in range: ClosedRange<Int>) throws(HTTPError) -> Int? {
        switch object[key] {
        case nil, .null?:
            return nil
        case .number(let number)?:
            guard let whole = Int(exactly: number), range.contains(whole) else {
                throw Self.invalid("invalid_field", "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
            }
            return whole
        default:
            throw Self.invalid("invalid_field", "\(key) must be a number.")
        }
    }

    private static func invalid(_ code: String, _ message: String) -> HTTPError {
        HTTPError(.badRequest, code: code, message: message)
    }
}
