import Commerce
import Foundation
import Storage

/// A customer's message the bot missed (`Misunderstanding`), with what was said of it since.
package struct MissedMessage: Sendable, Equatable {
    package let id: Int64
    package let text: String
    /// Its conversation's language (`pl`, `en`).
    package let language: String
    /// The intent stored with it: the classifier's, or the last label's once it was labelled.
    package let intent: String?
    package let createdAt: Date
    /// Its labels, oldest first: agents' corrections and the shop owner's acceptances.
    package let labels: [Label]

    /// One label of the message.
    package struct Label: Sendable, Equatable {
        package let intent: String
        /// The agent who gave it, or `MissTeaching.owner`.
        package let agent: String
    }

    /// The intent the shop owner accepted the message as, if they did.
    package var acceptedAs: String? {
        labels.last { $0.agent == MissTeaching.owner }?.intent
    }
}

/// Reads the misses from the transcript, oldest first.
package struct MissedMessages: Sendable {
    package init() {}

    /// Every miss in the database, with its labels.
    package func all(in db: Database) throws -> [MissedMessage] {
        var labels: [Int64: [MissedMessage.Label]] = [:]
        try db.query(
            "SELECT message_id, intent, agent FROM intent_labels WHERE message_id IS NOT NULL ORDER BY id",
            as: { row in (row.int64(0), MissedMessage.Label(intent: row.string(1), agent: row.string(2))) }
        ).forEach { message, label in labels[message, default: []].append(label) }
        return try db.query("""
            SELECT m.id, m.text, c.language, m.intent, m.created_at
            FROM messages m JOIN conversations c ON c.id = m.conversation_id
            WHERE \(Misunderstanding.condition)
            ORDER BY m.id
            """, Misunderstanding.confidenceBelow, Misunderstanding.outOfScope, as: { row in
            MissedMessage(
                id: row.int64(0), text: row.string(1), language: row.string(2), intent: row.optionalString(3),
                createdAt: Timestamps.date(row.string(4)) ?? .distantPast, labels: labels[row.int64(0)] ?? [])
        })
    }
}
