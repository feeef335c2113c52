import Commerce
import Foundation

/// How a message may reach the customer under Messenger's 24-hour rule.
package enum SendMessagingType: Sendable, Equatable {
    /// `RESPONSE`: an answer inside the window.
    case response
    /// `MESSAGE_TAG` with `HUMAN_AGENT`: a person's answer after the window closed (Meta allows
    /// it for 7 days).
    case humanAgent
    /// `UPDATE`: news the customer did not ask for just now (their order shipped), inside the window.
    case update
    /// `MESSAGE_TAG` with `POST_PURCHASE_UPDATE`: news of a purchase after the window closed
    /// (shipment status, a payment taken or declined; never promotion). Sent only when the
    /// customer has no verified phone or e-mail the notifier could use instead.
    case postPurchaseUpdate

    /// How long after the customer's last message a Page may message them freely.
    static let window: TimeInterval = 24 * 60 * 60

    /// Bot replies always answer the message that caused them; an agent may answer much later,
    /// and then needs the HUMAN_AGENT tag.
    package static func forReply(from author: MessageAuthor, customerLastWroteAt: Date?, now: Date) -> SendMessagingType {
        guard author == .agent else { return .response }
        return isInWindow(customerLastWroteAt, now: now) ? .response : .humanAgent
    }

    /// The type of a queued message: a reply as `forReply` says; news of an order as an update,
    /// tagged once the window has closed.
    package static func of(_ item: OutboxItem, now: Date) -> SendMessagingType {
        switch item.purpose {
        case .reply: forReply(from: item.author, customerLastWroteAt: item.customerLastWroteAt, now: now)
        case .orderUpdate: isInWindow(item.customerLastWroteAt, now: now) ? .update : .postPurchaseUpdate
        }
    }

    /// Whether a Page may still message the customer freely.
    package static func isInWindow(_ customerLastWroteAt: Date?, now: Date) -> Bool {
        customerLastWroteAt.map { now.timeIntervalSince($0) < window } ?? false
    }

    /// `messaging_type` as Meta spells it.
    var wireName: String {
        switch self {
        case .response: "RESPONSE"
        case .update: "UPDATE"
        case .humanAgent, .postPurchaseUpdate: "MESSAGE_TAG"
        }
    }

    /// `tag`, with `MESSAGE_TAG`.
    var tag: String? {
        switch self {
        case .response, .update: nil
        case .humanAgent: "HUMAN_AGENT"
        case .postPurchaseUpdate: "POST_PURCHASE_UPDATE"
        }
    }
}

/// One quick reply as the outbox stores it and the Send API takes it.
package struct SendQuickReply: Sendable, Equatable, Codable {
    package let title: String
    package let payload: String

    /// Messenger shows at most this many quick replies.
    static let maxCount = 13
    /// Longer titles are refused by Messenger; counted in UTF-16 code units, which is never
    /// fewer than Meta's count of characters.
    static let maxTitleLength = 20

    /// The quick replies of the outbox's `[{"title":…,"payload":…}]`; none when it is malformed.
    package static func list(fromJSON json: String) -> [SendQuickReply] {
        (try? JSONDecoder().decode([SendQuickReply].self, from: Data(json.utf8))) ?? []
    }

    /// `title` cut to fit: at a word boundary, without a dangling one-letter word ("z", "w"),
    /// with an ellipsis; a single long word is cut inside.
    package static func shortened(_ title: String, limit: Int = maxTitleLength) -> String {
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.utf16.count > limit else { return trimmed }
        let head = MessageSplitter.prefix(of: Substring(trimmed), fittingUTF16: limit - 1)
        let cutInsideWord = !(trimmed[head.endIndex].isWhitespace)
        var words = head.split(whereSeparator: \.isWhitespace)
        if cutInsideWord, words.count > 1 { words.removeLast() }
        while words.count > 1, words.last?.count == 1 { words.removeLast() }
        let kept = words.joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: " ,;:-–("))
        return kept + "…"
    }
}

/// One Send API call that delivers one text message (`POST /me/messages`).
package struct SendRequest: Sendable, Equatable {
    /// The customer's page-scoped id (PSID).
    package let recipient: String
    package let messagingType: SendMessagingType
    /// At most 2000 UTF-16 code units (see `MessageSplitter`).
    package let text: String
    package let quickReplies: [SendQuickReply]
    /// Echoed back by Messenger with the message, so an echo can be traced to its outbox row.
    package let metadata: String

    /// The metadata that ties a sent message to its outbox row.
    package static func metadata(outboxID: Int64) -> String { "outbox:\(outboxID)" }

    /// The JSON body: `recipient`, `messaging_type` (and `tag`), `message` with `text`, quick
    /// replies (at most 13, titles shortened to fit) and `metadata`.
    package func body() -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings and arrays of strings cannot fail.
        return try! encoder.encode(wire)
    }

    private var wire: WireBody {
        let replies = quickReplies.prefix(SendQuickReply.maxCount).map {
            WireBody.QuickReply(title: SendQuickReply.shortened($0.title), payload: $0.payload)
        }
        return WireBody(
            recipient: .init(id: recipient),
            messagingType: messagingType.wireName,
            tag: messagingType.tag,
            message: .init(text: text, quickReplies: replies.isEmpty ? nil : replies, metadata: metadata))
    }
}

/// The Send API's request body as Meta spells it.
private struct WireBody: Encodable {
    struct Recipient: Encodable {
        let id: String
    }

    struct QuickReply: Encodable {
        let contentType = "text"
        let title: String
        let payload: String
    }

    struct Message: Encodable {
        let text: String
        let quickReplies: [QuickReply]?
        let metadata: String
    }

    let recipient: Recipient
    let messagingType: String
    let tag: String?
    let message: Message
}
