import Foundation
import ReadAPI

/// One group of `GET /api/analytics/misunderstood`: the group's messages in the period that the
/// shop owner has not accepted yet, summed up.
struct MissGroupReport: Encodable, Sendable {
    /// One of the group's texts, with the message it came from.
    struct Example: Encodable, Sendable, Equatable {
        let messageId: Int64
        let text: String
        let at: String
    }

    /// How many examples a group shows.
    static let exampleCount = 5

    let id: String
    /// The text written most often in the group (the oldest of equals).
    let text: String
    let count: Int
    /// Distinct texts, newest first.
    let examples: [Example]
    let languages: [String]
    /// What the classifier said of messages no one labelled (`none`: not classified).
    let classifiedAs: [String: Int]
    /// What agents labelled messages as (their last label of each).
    let labelledAs: [String: Int]
    /// What the shop owner accepted earlier messages of the group as; null when never.
    let acceptedAs: API.Nullable<String>
    let firstSeen: String
    let lastSeen: String

    /// The report of `group`, whose members are positions in `messages`; nil when none of them
    /// is in `period` and still open.
    init?(_ group: MisunderstoodGroups.Group, of messages: [MissedMessage], in period: MissPeriod) {
        let members = group.members.map { messages[$0] }
        let open = members.filter { $0.acceptedAs == nil && period.contains($0.createdAt) }
        guard let first = open.first, let last = open.last else { return nil }
        id = group.id
        count = open.count
        text = Self.mostWritten(open)
        examples = Self.examples(open)
        languages = Set(open.map(\.language)).sorted()
        classifiedAs = Self.tally(open.filter(\.labels.isEmpty).map { $0.intent ?? "none" })
        labelledAs = Self.tally(open.compactMap { $0.labels.last { $0.agent != MissTeaching.owner }?.intent })
        acceptedAs = API.Nullable(members.last { $0.acceptedAs != nil }?.acceptedAs)
        firstSeen = API.time(first.createdAt)
        lastSeen = API.time(last.createdAt)
    }

    private static func mostWritten(_ messages: [MissedMessage]) -> String {
        var counts: [String: Int] = [:]
        for message in messages { counts[message.text, default: 0] += 1 }
        let highest = counts.values.max() ?? 0
        return messages.first { counts[$0.text] == highest }?.text ?? ""
    }

    private static func examples(_ messages: [MissedMessage]) -> [Example] {
        var seen: Set<String> = []
        var examples: [Example] = []
        for message in messages.reversed() where examples.count < exampleCount && seen.insert(message.text).inserted {
            examples.append(Example(messageId: message.id, text: message.text, at: API.time(message.createdAt)))
        }
        return examples
    }

    private static func tally(_ names: [String]) -> [String: Int] {
        names.reduce(into: [:]) { counts, name in counts[name, default: 0] += 1 }
    }
}

/// `GET /api/analytics/misunderstood`'s answer: the open groups, most messages first.
struct MissListing: Encodable, Sendable {
    let groups: [MissGroupReport]
    /// Open groups in the period, before `limit`.
    let totalGroups: Int
    /// Open messages in the period, in every group.
    let totalMessages: Int

    /// Groups `messages` (oldest first) and reports the `limit` largest open groups in `period`.
    init(_ messages: [MissedMessage], in period: MissPeriod, limit: Int) {
        let reports = MisunderstoodGroups(messages.map(\.text)).groups
            .compactMap { MissGroupReport($0, of: messages, in: period) }
            .sorted { ($1.count, $1.lastSeen, $0.id) < ($0.count, $0.lastSeen, $1.id) }
        groups = Array(reports.prefix(limit))
        totalGroups = reports.count
        totalMessages = reports.reduce(0) { $0 + $1.count }
    }
}
