import Foundation
import NLU

/// The channel a turn arrives on, as far as the dialogue cares: how replies are read (a voice
/// caller hears them and cannot tap a chip).
public enum DialogueChannel: String, Sendable, Hashable, Codable {
    case messenger, web, voice, terminal

    /// Whether replies are spoken rather than shown.
    public var isSpoken: Bool { self == .voice }
}

/// One customer message, understood, as the dialogue receives it.
public struct Turn: Sendable, Equatable {
    /// The message with secrets masked.
    public let text: String
    /// What the understanding made of the message.
    public let understanding: Understanding
    /// The payload of a quick reply the bot offered, when the customer tapped one: it wins over
    /// the text's classification.
    public let payload: QuickReply.Payload?
    /// Secrets the customer typed (masked in `text`): the bot tells them not to.
    public let secrets: Set<SensitiveText.Kind>
    /// Photos and files sent with the message; the text may then be empty.
    public let attachments: [Attachment]
    /// The text's words, lowercased and without Polish diacritics, folded once per message (off
    /// the database's writer, where the engine builds the turn).
    let words: [String]

    public init(
        text: String, understanding: Understanding, payload: QuickReply.Payload? = nil,
        secrets: Set<SensitiveText.Kind> = [], attachments: [Attachment] = []
    ) {
        self.text = text
        self.understanding = understanding
        self.payload = payload
        self.secrets = secrets
        self.attachments = attachments
        words = Folding.words(text)
    }

    /// Attachments and nothing to read: no words, no tapped chip.
    var isAttachmentOnly: Bool { !attachments.isEmpty && words.isEmpty && payload == nil }
}
