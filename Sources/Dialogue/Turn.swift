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
    /// How sure the speech recogniser was of the text (0–1), for a spoken message; nil for typed
    /// text and when the recogniser did not say. On a spoken channel an empty text is silence.
    public let recognitionConfidence: Double?
    /// The text's words, lowercased and without Polish diacritics, folded once per message (off
    /// the database's writer, where the engine builds the turn).
    let words: [String]

    public init(
        text: String, understanding: Understanding, payload: QuickReply.Payload? = nil,
        secrets: Set<SensitiveText.Kind> = [], attachments: [Attachment] = [], recognitionConfidence: Double? = nil
    ) {
        self.text = text
        self.understanding = understanding
        self.payload = payload
        self.secrets = secrets
        self.attachments = attachments
        self.recognitionConfidence = recognitionConfidence
        words = Folding.words(text)
    }

    /// Attachments and nothing to read: no words, no tapped chip.
    var isAttachmentOnly: Bool { !attachments.isEmpty && words.isEmpty && payload == nil }

    /// A spoken message that cannot be acted on: nothing heard (no words, no attachments), or
    /// words the recogniser was less sure of than `threshold`. A tapped chip is always clear, and
    /// so is a message with a secret in it (the caller is told not to say those).
    func isUnclear(below threshold: Double) -> Bool {
        guard payload == nil, secrets.isEmpty, attachments.isEmpty else { return false }
        return words.isEmpty || (recognitionConfidence ?? 1) < threshold
    }
}
