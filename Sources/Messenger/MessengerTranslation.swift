import Commerce
import Dialogue
import Engine
import Foundation
import Storage

/// What a Messenger event means to the rest of the gateway: a message for the engine, or a fact
/// to record.
enum MessengerTranslation {
    /// The engine's message for a customer message or a postback. The thumbs-up sticker reads
    /// as "👍" (a yes where a yes or no was asked); a quick reply or button brings its payload.
    static func inbound(_ event: MessengerEvent, inboxID: Int64) -> InboundMessage {
        var text = event.text ?? ""
        var attachments = Self.attachments(of: event)
        if event.stickerID == MessengerEvent.thumbsUpSticker {
            text = "👍"
            attachments = []
        }
        return InboundMessage(
            channel: .messenger, sender: .identity(Identity(.messenger, event.psid)), thread: event.psid, text: text,
            payload: event.payload, eventID: event.mid, inboxID: inboxID, attachments: attachments,
            maskedSecrets: Set((event.secrets ?? []).compactMap(SensitiveText.Kind.init(rawValue:))))
    }

    /// How the inbox records what handling an event did.
    static func outcome(of event: MessengerEvent) -> String {
        switch event.kind {
        case .message, .postback: "answered"
        case .echo: "ignored: an echo of a message the Page sent"
        case .delivery: "recorded: delivered up to \(event.detail ?? "?")"
        case .read: "recorded: read up to \(event.detail ?? "?")"
        case .reaction: "recorded: reaction \(event.detail ?? "")"
        case .standby: "recorded: a message while another app owns the thread (not answered)"
        case .threadPassed: "recorded: the thread was passed to us \(event.detail ?? ""); the bot answers again"
        case .threadTaken: "recorded: the thread was taken \(event.detail ?? ""); the bot stays silent"
        case .threadRequested: "recorded: the thread was requested \(event.detail ?? "")"
        case .other: "ignored: \(event.detail ?? "an event the gateway does not act on")"
        }
    }

    /// Keeps a customer's words written while another app (the Page Inbox) owns the thread in
    /// their transcript, without a dialogue step: whoever owns the thread answers.
    static func recordStandby(_ event: MessengerEvent, in db: Database, now: @escaping Now) throws {
        let customer = try Customers(now: now).resolve(Identity(.messenger, event.psid), in: db)
        let conversation = try Conversations(now: now).open(
            customer: customer, channel: .messenger, externalID: event.psid, in: db)
        try Conversations(now: now).append(
            .fromCustomer(
                PreparedTurn.transcriptText(event.text ?? "", attachments: attachments(of: event)), intent: nil, confidence: nil,
                externalID: event.mid),
            to: conversation.id, in: db)
    }

    /// The thread passed to us returns the conversation to the bot; taken from us, it is a
    /// person's (the bot stays silent). Either way a system line in the transcript says so.
    static func recordHandover(_ event: MessengerEvent, in db: Database, now: @escaping Now) throws {
        guard let conversation = try Conversations(now: now).open(channel: .messenger, externalID: event.psid, in: db) else {
            return
        }
        switch event.kind {
        case .threadPassed: try Conversations(now: now).setMode(.bot, of: conversation.id, in: db)
        case .threadTaken: try Conversations(now: now).setMode(.human, of: conversation.id, in: db)
        default: break
        }
        try Conversations(now: now).append(
            .reply(outcome(of: event).replacingOccurrences(of: "recorded: ", with: "Messenger: "), from: .system),
            to: conversation.id, in: db)
    }

    /// The event's attachments that came with a link.
    private static func attachments(of event: MessengerEvent) -> [Attachment] {
        event.attachments.compactMap { attachment in
            attachment.url.map { Attachment(kind: Attachment.Kind(rawValue: attachment.type) ?? .other, url: $0) }
        }
    }
}
