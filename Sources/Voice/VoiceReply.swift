import Foundation

/// What the gateway tells the speech platform to do next in a call (`gw.voice.reply/v1`): an
/// ordered list of actions, at most one of them terminal (`transfer`, `hangup`) or `listen`,
/// and that one last.
public struct VoiceReply: Sendable, Equatable, Codable {
    public static let schemaName = "gw.voice.reply/v1"

    public let schema: String
    public let callID: String
    public let inReplyToSeq: Int
    public let actions: [VoiceAction]

    public init(callID: String, inReplyToSeq: Int, actions: [VoiceAction]) {
        schema = Self.schemaName
        self.callID = callID
        self.inReplyToSeq = inReplyToSeq
        self.actions = actions
    }

    private enum CodingKeys: String, CodingKey {
        case schema
        case callID = "call_id"
        case inReplyToSeq = "in_reply_to_seq"
        case actions
    }

    /// The reply as the neutral endpoint sends it (keys sorted, so a repeat is byte-identical).
    public var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and arrays cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }

    /// Reads a reply stored as `json`.
    public static func decode(_ data: Data) throws -> VoiceReply {
        try JSONDecoder().decode(VoiceReply.self, from: data)
    }
}

/// One step of a voice reply.
public enum VoiceAction: Sendable, Equatable, Codable {
    /// Speak: `text` is the plain fallback, `ssml` a whole `<speak>` document where it helps.
    case say(Say)
    /// Listen for the caller's next utterance.
    case listen(Listen)
    /// Put the caller through to people: a queue named after the language.
    case transfer(Transfer)
    /// End the call (after a closing sentence).
    case hangup(reason: String?)

    public struct Say: Sendable, Equatable, Codable {
        public let text: String
        public let ssml: String?
        /// BCP-47 ("pl-PL", "en-US").
        public let language: String
        /// Whether the caller may interrupt it by speaking.
        public let bargeIn: Bool

        public init(text: String, ssml: String?, language: String, bargeIn: Bool) {
            self.text = text
            self.ssml = ssml
            self.language = language
            self.bargeIn = bargeIn
        }

        private enum CodingKeys: String, CodingKey {
            case text, ssml, language
            case bargeIn = "barge_in"
        }
    }

    public struct Listen: Sendable, Equatable, Codable {
        /// Seconds to wait for speech to start.
        public let timeoutSeconds: Int
        /// Trailing silence that ends the utterance.
        public let endSilenceMilliseconds: Int
        /// Words and phrases the recogniser should expect (the options just offered).
        public let hints: [String]
        public let language: String

        public init(timeoutSeconds: Int = 5, endSilenceMilliseconds: Int = 1200, hints: [String], language: String) {
            self.timeoutSeconds = timeoutSeconds
            self.endSilenceMilliseconds = endSilenceMilliseconds
            self.hints = hints
            self.language = language
        }

        private enum CodingKeys: String, CodingKey {
            case timeoutSeconds = "timeout_s"
            case endSilenceMilliseconds = "end_silence_ms"
            case hints, language
        }
    }

    public struct Transfer: Sendable, Equatable, Codable {
        public let target: Target
        public let context: Context

        public init(target: Target, context: Context) {
            self.target = target
            self.context = context
        }

        public struct Target: Sendable, Equatable, Codable {
            /// "queue" (the only kind the gateway uses).
            public let kind: String
            public let name: String

            public init(queue name: String) {
                kind = "queue"
                self.name = name
            }
        }

        /// What the agent side needs to find the conversation.
        public struct Context: Sendable, Equatable, Codable {
            public let reason: String
            public let conversationID: Int64
            public let escalationID: Int64?

            public init(reason: String, conversationID: Int64, escalationID: Int64?) {
                self.reason = reason
                self.conversationID = conversationID
                self.escalationID = escalationID
            }

            private enum CodingKeys: String, CodingKey {
                case reason
                case conversationID = "conversation_id"
                case escalationID = "escalation_id"
            }
        }
    }

    private enum CodingKeys: String, CodingKey {
        case type, reason
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .say(let say):
            try container.encode("say", forKey: .type)
            try say.encode(to: encoder)
        case .listen(let listen):
            try container.encode("listen", forKey: .type)
            try listen.encode(to: encoder)
        case .transfer(let transfer):
            try container.encode("transfer", forKey: .type)
            try transfer.encode(to: encoder)
        case .hangup(let reason):
            try container.encode("hangup", forKey: .type)
            try container.encodeIfPresent(reason, forKey: .reason)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "say": self = .say(try Say(from: decoder))
        case "listen": self = .listen(try Listen(from: decoder))
        case "transfer": self = .transfer(try Transfer(from: decoder))
        case "hangup": self = .hangup(reason: try container.decodeIfPresent(String.self, forKey: .reason))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown action \(other)")
        }
    }
}
