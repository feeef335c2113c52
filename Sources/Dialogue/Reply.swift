import NLU

/// A message from the bot: text that stands on its own (it can be read aloud), and quick
/// replies where choices are few.
public struct Reply: Sendable, Hashable, Codable {
    /// The reply as a chat shows it.
    public let text: String
    /// The reply as typed parts, for a medium that renders values its own way (the phone).
    public let parts: [ReplyPart]
    public let quickReplies: [QuickReply]

    /// A reply of the bot's own words.
    public init(_ text: String, quickReplies: [QuickReply] = []) {
        self.text = text
        parts = [.words(text)]
        self.quickReplies = quickReplies
    }

    /// A reply written in `language` from its typed parts.
    public init(_ phrase: Phrase, language: Language, quickReplies: [QuickReply] = []) {
        text = phrase.written(in: language)
        parts = phrase.parts
        self.quickReplies = quickReplies
    }
}

/// A chip the customer can tap instead of typing; its payload comes back with the tap.
public struct QuickReply: Sendable, Hashable, Codable {
    public let title: String
    public let payload: Payload

    public init(_ title: String, _ payload: Payload) {
        self.title = title
        self.payload = payload
    }

    /// What a chip means, so a tap is never re-classified as text.
    public enum Payload: Sendable, Hashable, Codable, RawRepresentable {
        case yes
        case no
        case product(String)
        case size(String)
        case color(String)
        case quantity(Int)
        case delivery(String)
        case store(String)
        case payment(String)
        case order(String)
        /// A subject from the menu: a chip ("START:order_status"), or a button of the shop's
        /// Messenger persistent menu named after the topic ("ORDER_STATUS").
        case start(Topic)
        /// Messenger's Get Started button, tapped when a customer first opens the conversation.
        case getStarted

        /// "PRODUCT:aero-run", "YES", "START:order_status", "GET_STARTED": the wire form of a payload.
        public var rawValue: String {
            switch self {
            case .yes: "YES"
            case .no: "NO"
            case .product(let id): "PRODUCT:\(id)"
            case .size(let size): "SIZE:\(size)"
            case .color(let color): "COLOR:\(color)"
            case .quantity(let count): "QUANTITY:\(count)"
            case .delivery(let method): "DELIVERY:\(method)"
            case .store(let id): "STORE:\(id)"
            case .payment(let method): "PAYMENT:\(method)"
            case .order(let number): "ORDER:\(number)"
            case .start(let topic): "START:\(topic.rawValue)"
            case .getStarted: "GET_STARTED"
            }
        }

        /// Reads the wire form; a bare topic of any case ("ORDER_STATUS", "complaint") is
        /// `.start(topic)`, as shops name persistent-menu buttons.
        public init?(rawValue: String) {
            if rawValue == "YES" { self = .yes; return }
            if rawValue == "NO" { self = .no; return }
            if rawValue.uppercased() == "GET_STARTED" { self = .getStarted; return }
            if let topic = Topic(rawValue: rawValue.lowercased()) { self = .start(topic); return }
            guard let colon = rawValue.firstIndex(of: ":") else { return nil }
            let value = String(rawValue[rawValue.index(after: colon)...])
            guard !value.isEmpty else { return nil }
            switch rawValue[..<colon] {
            case "PRODUCT": self = .product(value)
            case "SIZE": self = .size(value)
            case "COLOR": self = .color(value)
            case "QUANTITY":
                guard let count = Int(value) else { return nil }
                self = .quantity(count)
            case "DELIVERY": self = .delivery(value)
            case "STORE": self = .store(value)
            case "PAYMENT": self = .payment(value)
            case "ORDER": self = .order(value)
            case "START":
                guard let topic = Topic(rawValue: value) else { return nil }
                self = .start(topic)
            default: return nil
            }
        }
    }

    /// A subject the customer can start from the menu of options.
    public enum Topic: String, Sendable, Hashable, Codable, CaseIterable {
        case order = "order_product"
        case status = "order_status"
        case returns = "return_request"
        case complaint
        case person = "human_agent"
    }
}
