import Commerce
import Foundation
import NLU
import Storage

/// Why the shop owner's acceptance of a group was refused; none of them changes anything.
enum MissTeachingError: Error, Equatable, CustomStringConvertible {
    case unknownGroup(String)
    /// Messages of the group were accepted as another intent before.
    case acceptedAsAnother(group: String, intent: String)

    var description: String {
        switch self {
        case .unknownGroup(let id): "no group of misunderstood messages has the id \(id)"
        case .acceptedAsAnother(let id, let intent): "group \(id) was accepted as \(intent) before"
        }
    }
}

/// The shop owner's acceptance of a group of misses as examples of an intent: each message
/// becomes an intent label by `owner`, as an agent's correction does, so the classifier learns
/// it now (the caller teaches the returned examples) and again at every start.
package struct MissTeaching: Sendable {
    /// The name labels accepted from the dashboard are recorded under; no agent can have it (a
    /// space is not allowed in agents' names).
    package static let owner = "shop owner"

    private let now: Now

    package init(now: @escaping Now = { Date() }) {
        self.now = now
    }

    /// The messages of group `id` among `messages` (oldest first, as `MissedMessages` reads
    /// them); throws when there is no such group or it was accepted as another intent.
    func members(ofGroup id: String, in messages: [MissedMessage], accepting intent: Intent) throws(MissTeachingError) -> [MissedMessage] {
        guard let group = MisunderstoodGroups(messages.map(\.text)).groups.first(where: { $0.id == id }) else {
            throw .unknownGroup(id)
        }
        let members = group.members.map { messages[$0] }
        if let other = members.lazy.compactMap(\.acceptedAs).first(where: { $0 != intent.rawValue }) {
            throw .acceptedAsAnother(group: id, intent: other)
        }
        return members
    }

    /// Labels each of `messageIDs` as `intent` by `owner`, except those the owner labelled
    /// before and those erased meanwhile; the examples the new labels teach.
    func accept(_ messageIDs: [Int64], as intent: Intent, in db: Database) throws -> [TrainingExample] {
        let labels = IntentLabels(now: now)
        var examples: [TrainingExample] = []
        for id in messageIDs where try !isAccepted(id, in: db) {
            let label: IntentLabel
            do {
                label = try labels.record(messageID: id, intent: intent.rawValue, agent: Self.owner, in: db)
            } catch IntentLabelError.unknownMessage {
                continue
            }
            examples.append(TrainingExample(text: label.text, intent: intent, language: Language(rawValue: label.language) ?? .polish))
        }
        return examples
    }

    private func isAccepted(_ messageID: Int64, in db: Database) throws -> Bool {
        try db.queryFirst(
            "SELECT 1 FROM intent_labels WHERE message_id = ? AND agent = ?", messageID, Self.owner, as: { _ in true }) ?? false
    }
}
