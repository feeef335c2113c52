import Foundation
import NLU
import ShopValues
import Wire

/// One speech-to-text result of a phone call (`gw.voice.transcript/v1`), checked.
public struct VoiceTranscript: Sendable, Equatable {
    public static let schemaName = "gw.voice.transcript/v1"

    /// The gateway's id of the call, stable for the whole call.
    public let callID: String
    /// The caller's number as sent (E.164, or "anonymous" and the like when withheld).
    public let from: String
    /// The caller's number, when `from` is one.
    public let caller: PhoneNumber?
    /// The number called (the shop's line), if sent.
    public let to: String?
    /// The turn number within the call.
    public let seq: Int
    /// False for an interim result that may still change: never acted on.
    public let isFinal: Bool
    /// BCP-47 as sent, normalised ("pl-pl" → "pl-PL").
    public let language: String?
    /// What the recogniser heard, best first.
    public let alternatives: [SpeechAlternative]
    public let provider: String?
    public let providerCallID: String?
    /// Keys the caller pressed, if any.
    public let dtmf: String?
    /// Why the utterance ended ("silence", "no_input", …).
    public let endReason: String?

    public init(
        callID: String, from: String, to: String? = nil, seq: Int, isFinal: Bool = true, language: String? = nil,
        alternatives: [SpeechAlternative], provider: String? = nil, providerCallID: String? = nil, dtmf: String? = nil,
        endReason: String? = nil
    ) {
        self.callID = callID
        self.from = from
        caller = PhoneNumber(from)
        self.to = to
        self.seq = seq
        self.isFinal = isFinal
        self.language = language.map(Self.normalizedLanguageTag)
        self.alternatives = alternatives
        self.provider = provider
        self.providerCallID = providerCallID
        self.dtmf = dtmf
        self.endReason = endReason
    }

    /// The language the caller speaks, as far as the line says.
    public var spokenLanguage: Language? { language.flatMap(Language.init(tag:)) }

    /// "pl-pl" → "pl-PL", "pl_PL" → "pl-PL", "en" → "en".
    static func normalizedLanguageTag(_ tag: String) -> String {
        let parts = tag.split(whereSeparator: { $0 == "-" || $0 == "_" })
        guard let first = parts.first else { return tag }
        return ([first.lowercased()] + parts.dropFirst().map { $0.count == 2 ? $0.uppercased() : String($0) })
            .joined(separator: "-")
    }
}

/// One hypothesis of the recogniser.
public struct SpeechAlternative: Sendable, Equatable, Codable {
    public let transcript: String
    /// 0–1; nil when the recogniser gave none (Google gives it for the top hypothesis only).
    public let confidence: Double?

    public init(transcript: String, confidence: Double?) {
        self.transcript = transcript
        self.confidence = confidence
    }
}

/// Why a voice request was refused (400), with what was wrong.
public enum VoiceRequestError: Error, Equatable, CustomStringConvertible {
    case notJSON
    case notAnObject
    case wrongSchema(String)
    case missing(field: String)
    case invalid(field: String, reason: String)

    public var description: String {
        switch self {
        case .notJSON: "The body is not valid JSON."
        case .notAnObject: "The body must be a JSON object (gw.voice.transcript/v1)."
        case .wrongSchema(let schema): "schema must be \(VoiceTranscript.schemaName), not \"\(schema)\"."
        case .missing(let field): "\(field) is required."
        case .invalid(let field, let reason): "\(field) \(reason)."
        }
    }
}

extension VoiceTranscript {
    /// The longest transcript taken (a minute of speech is far shorter).
    static let maximumTranscriptLength = 2_000
    /// Hypotheses beyond this many are ignored.
    static let maximumAlternatives = 10
    /// The most keys a caller presses in one turn (a PESEL, an order number, a BLIK code fit).
    static let maximumDTMFLength = 64
    /// The longest short field (`to`, `language`, `provider`, `provider_call_id`, `end_reason`).
    static let maximumFieldLength = 200

    /// Reads and checks a `gw.voice.transcript/v1` body.
    public static func parse(_ body: Data) throws(VoiceRequestError) -> VoiceTranscript {
        let json: JSONValue
        do {
            json = try JSONDecoder().decode(JSONValue.self, from: body)
        } catch {
            throw .notJSON
        }
        guard case .object(let object) = json else { throw .notAnObject }
        let fields = JSONFields(object)
        if let schema = try fields.string("schema"), schema != schemaName { throw .wrongSchema(schema) }
        guard let callID = try fields.string("call_id") else { throw .missing(field: "call_id") }
        guard !callID.isEmpty, callID.count <= 200 else { throw .invalid(field: "call_id", reason: "must be 1–200 characters") }
        guard let from = try fields.string("from") else { throw .missing(field: "from") }
        guard from.count <= 64 else { throw .invalid(field: "from", reason: "is too long") }
        guard let seq = try fields.integer("seq") else { throw .missing(field: "seq") }
        guard seq >= 0 else { throw .invalid(field: "seq", reason: "must not be negative") }
        guard let isFinal = try fields.bool("is_final") else { throw .missing(field: "is_final") }
        guard let list = object["alternatives"], list != .null else { throw .missing(field: "alternatives") }
        func short(_ name: String, maximum: Int = maximumFieldLength) throws(VoiceRequestError) -> String? {
            guard let value = try fields.string(name) else { return nil }
            guard value.count <= maximum else { throw .invalid(field: name, reason: "is longer than \(maximum) characters") }
            return value
        }
        return VoiceTranscript(
            callID: callID, from: from, to: try short("to"), seq: seq, isFinal: isFinal,
            language: try short("language"), alternatives: try alternatives(list),
            provider: try short("provider"), providerCallID: try short("provider_call_id"),
            dtmf: try short("dtmf", maximum: maximumDTMFLength), endReason: try short("end_reason"))
    }

    private static func alternatives(_ value: JSONValue) throws(VoiceRequestError) -> [SpeechAlternative] {
        guard case .array(let list) = value else { throw .invalid(field: "alternatives", reason: "must be an array") }
        var result: [SpeechAlternative] = []
        for (index, item) in list.prefix(maximumAlternatives).enumerated() {
            let name = "alternatives[\(index)]"
            guard case .object(let object) = item else { throw .invalid(field: name, reason: "must be an object") }
            let fields = JSONFields(object, prefix: name + ".")
            guard let transcript = try fields.string("transcript") else { throw .missing(field: name + ".transcript") }
            guard transcript.count <= maximumTranscriptLength else {
                throw .invalid(field: name + ".transcript", reason: "is longer than \(maximumTranscriptLength) characters")
            }
            result.append(SpeechAlternative(transcript: transcript, confidence: try fields.probability("confidence")))
        }
        return result
    }
}

/// Typed reads of a JSON object's fields: absent and null are nil, a value of the wrong type
/// is an error naming the field.
private struct JSONFields {
    let object: [String: JSONValue]
    let prefix: String

    init(_ object: [String: JSONValue], prefix: String = "") {
        self.object = object
        self.prefix = prefix
    }

    private func present(_ key: String) -> JSONValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(VoiceRequestError) -> String? {
        guard let value = present(key) else { return nil }
        guard case .string(let text) = value else { throw .invalid(field: prefix + key, reason: "must be a string") }
        return text
    }

    func bool(_ key: String) throws(VoiceRequestError) -> Bool? {
        guard let value = present(key) else { return nil }
        guard case .bool(let flag) = value else { throw .invalid(field: prefix + key, reason: "must be true or false") }
        return flag
    }

    func integer(_ key: String) throws(VoiceRequestError) -> Int? {
        guard let value = present(key) else { return nil }
        guard case .number(let number) = value, let integer = Int(exactly: number) else {
            throw .invalid(field: prefix + key, reason: "must be a whole number")
        }
        return integer
    }

    /// A number 0–1; a numeric string is accepted too (some platforms send "0.89").
    func probability(_ key: String) throws(VoiceRequestError) -> Double? {
        guard let value = present(key) else { return nil }
        let number: Double? = switch value {
        case .number(let number): number
        case .string(let text): Double(text)
        default: nil
        }
        guard let number, number.isFinite, (0...1).contains(number) else {
            throw .invalid(field: prefix + key, reason: "must be a number from 0 to 1, or null")
        }
        return number
    }
}
