import Commerce
import Dialogue
import Foundation
import Wire

/// One Messenger webhook event, reduced to what the gateway acts on, in the form the inbox
/// stores it.
struct MessengerEvent: Codable, Sendable, Hashable {
    /// What kind of event it is; it decides what handling it gets.
    enum Kind: String, Codable, Sendable {
        /// A customer's message (text, quick reply, attachments, a sticker): answered.
        case message
        /// A tapped button (Get Started, a menu entry): answered.
        case postback
        /// A message the Page sent (our own replies, or a person typing in the Page Inbox).
        case echo
        case delivery
        case read
        case reaction
        /// Another app owns the thread; the customer's words are kept, never answered.
        case standby
        /// The thread was passed to us (back from the Page Inbox).
        case threadPassed
        /// The thread was taken from us.
        case threadTaken
        /// An app asks us for the thread.
        case threadRequested
        /// Anything else (opt-ins, referrals, policy notices): acknowledged and ignored.
        case other
    }

    /// An image, video, audio clip or file the customer sent.
    struct Attachment: Codable, Sendable, Hashable {
        let type: String
        let url: String?
    }

    let kind: Kind
    /// The customer's page-scoped id (for echoes, the recipient's).
    let psid: String
    /// When it happened, in milliseconds since 1970 (delivery receipts may have none).
    let timestamp: Int64?
    let mid: String?
    let text: String?
    /// A quick reply's or a postback's payload.
    let payload: String?
    let attachments: [Attachment]
    let stickerID: String?
    /// Kind-specific facts: a watermark, a reaction, the app that took the thread…
    let detail: String?
    /// What was masked in `text` before the event was stored (`SensitiveText.Kind` raw values).
    let secrets: [String]?

    /// Meta's standard thumbs-up ("like") sticker.
    static let thumbsUpSticker = "369239263222822"

    /// What makes a redelivery of this event the same event: the message id, or sender + postback
    /// + timestamp, or sender + watermark for receipts (messenger.md section 4).
    var dedupKey: String {
        let time = timestamp.map(String.init) ?? "-"
        switch kind {
        case .message, .echo, .standby:
            if let mid { return "mid:\(mid)" }
            return "\(kind.rawValue):\(psid):\(time):\(text ?? "")"
        case .postback:
            return "postback:\(psid):\(payload ?? ""):\(time)"
        case .delivery, .read:
            return "\(kind.rawValue):\(psid):\(detail ?? time)"
        case .reaction:
            return "reaction:\(psid):\(time):\(detail ?? "")"
        case .threadPassed, .threadTaken, .threadRequested, .other:
            return "\(kind.rawValue):\(psid):\(time)"
        }
    }

    /// The event as the inbox keeps it: its text masked as a transcript is (card numbers, codes,
    /// passwords never reach the file, not even before the turn), with what was masked.
    var inboxEntry: NewInboxEvent {
        let stored = masked
        return NewInboxEvent(dedupKey: stored.dedupKey, sender: psid, kind: kind.rawValue, event: Self.encoded(stored))
    }

    /// The event with its text's secrets masked.
    var masked: MessengerEvent {
        guard let text else { return self }
        let redaction = SensitiveText.redact(text)
        guard !redaction.found.isEmpty else { return self }
        return MessengerEvent(
            kind: kind, psid: psid, timestamp: timestamp, mid: mid, text: redaction.text, payload: payload,
            attachments: attachments, stickerID: stickerID, detail: detail,
            secrets: Set(secrets ?? []).union(redaction.found.map(\.rawValue)).sorted())
    }

    /// The event an inbox row holds, or nil when the row is not one.
    init?(inbox event: InboxEvent) {
        guard let decoded = Self.stored(event.event) else { return nil }
        self = decoded
    }

    /// The event of an inbox row's text (`encoded(_:)`, or JSONEncoder's for older rows), or nil
    /// when the text is not one: `kind`, `psid` and `attachments` are required, as `Codable` has them.
    static func stored(_ text: String) -> MessengerEvent? {
        guard let json = try? JSONReader.value(of: Data(text.utf8)), let object = try? WireObject(json) else { return nil }
        do throws(MessengerPayloadError) {
            guard let kind = try object.string("kind").flatMap(Kind.init(rawValue:)), let psid = try object.string("psid"),
                  let attachments = try object.objects("attachments", { (item: WireObject) throws(MessengerPayloadError) in
                      guard let type = try item.string("type") else { throw .malformed("attachment without a type") }
                      return Attachment(type: type, url: try item.string("url"))
                  })
            else { return nil }
            return MessengerEvent(
                kind: kind, psid: psid, timestamp: try object.int64("timestamp"), mid: try object.string("mid"),
                text: try object.string("text"), payload: try object.string("payload"), attachments: attachments,
                stickerID: try object.string("stickerID"), detail: try object.string("detail"),
                secrets: try object.strings("secrets"))
        } catch {
            return nil
        }
    }

    init(
        kind: Kind, psid: String, timestamp: Int64?, mid: String? = nil, text: String? = nil, payload: String? = nil,
        attachments: [Attachment] = [], stickerID: String? = nil, detail: String? = nil, secrets: [String]? = nil
    ) {
        self.secrets = secrets
        self.kind = kind
        self.psid = psid
        self.timestamp = timestamp
        self.mid = mid
        self.text = text
        self.payload = payload
        self.attachments = attachments
        self.stickerID = stickerID
        self.detail = detail
    }

    /// The JSON `Codable` reads back (keys sorted, nil left out), written by hand: JSONEncoder
    /// took as long as the rest of the webhook's work on an event.
    static func encoded(_ event: MessengerEvent) -> String {
        var fields: [String] = []
        let attachments = event.attachments.map { attachment in
            "{\"type\":\(JSONText.quoted(attachment.type))" + (attachment.url.map { ",\"url\":\(JSONText.quoted($0))" } ?? "") + "}"
        }
        fields.append("\"attachments\":[\(attachments.joined(separator: ","))]")
        if let detail = event.detail { fields.append("\"detail\":\(JSONText.quoted(detail))") }
        fields.append("\"kind\":\(JSONText.quoted(event.kind.rawValue))")
        if let mid = event.mid { fields.append("\"mid\":\(JSONText.quoted(mid))") }
        if let payload = event.payload { fields.append("\"payload\":\(JSONText.quoted(payload))") }
        fields.append("\"psid\":\(JSONText.quoted(event.psid))")
        if let secrets = event.secrets { fields.append("\"secrets\":[\(secrets.map(JSONText.quoted).joined(separator: ","))]") }
        if let stickerID = event.stickerID { fields.append("\"stickerID\":\(JSONText.quoted(stickerID))") }
        if let text = event.text { fields.append("\"text\":\(JSONText.quoted(text))") }
        if let timestamp = event.timestamp { fields.append("\"timestamp\":\(timestamp)") }
        return "{" + fields.joined(separator: ",") + "}"
    }
}
