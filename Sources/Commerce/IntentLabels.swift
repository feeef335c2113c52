import Foundation
import Storage

/// An agent's correction of what a customer message meant: a training example for the
/// classifier, kept with who taught it.
public struct IntentLabel: Sendable, Hashable {
    public let id: Int64
    /// The labelled message; nil once the link was cut (the message was erased).
    public let messageID: Int64?
    /// The message's text when it was labelled.
    public let text: String
    /// The intent's name, as the classifier spells it (`order_status`).
    public let intent: String
    /// The language of the message's conversation (`pl`, `en`).
    public let language: String
    /// The name of the agent who labelled it.
    public let agent: String
    public let createdAt: Date
}

/// Why a label was refused; none of them changes anything.
public enum IntentLabelError: Error, Equatable, CustomStringConvertible {
    case unknownMessage(Int64)
    /// Only what customers wrote is classified, so only that can be corrected.
    case notACustomerMessage(Int64, author: MessageAuthor)
    case emptyIntent(message: Int64)

    public var description: String {
        switch self {
        case .unknownMessage(let id): "no message \(id)"
        case .notACustomerMessage(let id, let author): "message \(id) is from the \(author.rawValue), not the customer"
        case .emptyIntent(let id): "the label of message \(id) has no intent"
        }
    }
}

/// The intent labels agents gave customer messages. Recording one also corrects the message's
/// intent in the transcript; the classifier learns from `all(in:)` at start-up.
///
/// The intent is a plain name here (Commerce does not know the classifier): the caller checks
/// it against the classifier's intents before recording it.
public struct IntentLabels: Sendable {
    private let now: Now

    public init(now: @escaping Now = { Date() }) {
        self.now = now
    }

    /// Labels the customer message `messageID` with `intent`, taught by `agent`: stores the
    /// label with the message's text and its conversation's language, and sets the message's
    /// `intent` (its `confidence` stays what the classifier said).
    public func record(messageID: Int64, intent: String, agent: String, in db: Database) throws -> IntentLabel {
        guard !intent.isEmpty else { throw IntentLabelError.emptyIntent(message: messageID) }
        guard let message = try db.queryFirst("""
            SELECT m.author, m.text, c.language FROM messages m JOIN conversations c ON c.id = m.conversation_id
            WHERE m.id = ?
            """, messageID, as: { row in (author: row.string(0), text: row.string(1), language: row.string(2)) })
        else { throw IntentLabelError.unknownMessage(messageID) }
        let author = MessageAuthor(rawValue: message.author) ?? .system
        guard author == .customer else { throw IntentLabelError.notACustomerMessage(messageID, author: author) }
        let stamp = Timestamps.text(now())
        try db.run("""
            INSERT INTO intent_labels (message_id, text, intent, language, agent, created_at) VALUES (?, ?, ?, ?, ?, ?)
            """, messageID, message.text, intent, message.language, agent, stamp)
        let id = db.lastInsertedRowID
        try db.run("UPDATE messages SET intent = ? WHERE id = ?", intent, messageID)
        return IntentLabel(
            id: id, messageID: messageID, text: message.text, intent: intent, language: message.language, agent: agent,
            createdAt: Timestamps.date(stamp) ?? .distantPast)
    }

    /// Every label, oldest first; none in a database older than the labels (schema 5), so a
    /// reader need not migrate the file first.
    public func all(in db: Database) throws -> [IntentLabel] {
        let exists = try db.queryFirst(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'intent_labels'", as: { _ in true }) ?? false
        guard exists else { return [] }
        return try db.query(Self.select + " ORDER BY id", as: Self.label)
    }

    private static let select = "SELECT id, message_id, text, intent, language, agent, created_at FROM intent_labels"

    private static func label(_ row: Row) -> IntentLabel {
        IntentLabel(
            id: row.int64(0), messageID: row.isNull(1) ? nil : row.int64(1), text: row.string(2), intent: row.string(3),
            language: row.string(4), agent: row.string(5), createdAt: Timestamps.date(row.string(6)) ?? .distantPast)
    }
}
