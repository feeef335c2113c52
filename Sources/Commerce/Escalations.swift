import Foundation
import Storage

/// The human-handoff queue. Opening an escalation hands the conversation to people (mode
/// `human`); resolving it hands it back to the bot or closes it.
public struct Escalations: Sendable {
    private let now: Now

    public init(now: @escaping Now = { Date() }) {
        self.now = now
    }

    /// Puts a conversation in the queue. A conversation already waiting or with an agent keeps
    /// its escalation (returned as it is, with the higher of the two priorities).
    public func open(
        conversation: Int64, reason: EscalationReason, priority: Int, summary: String, in db: Database
    ) throws -> Escalation {
        guard let owner = try db.queryFirst(
            "SELECT customer_id FROM conversations WHERE id = ?", conversation, as: { $0.int64(0) })
        else { throw CommerceError.unknownConversation(conversation) }
        if let pending = try db.queryFirst(
            Self.select + " WHERE conversation_id = ? AND status != 'resolved'", conversation, as: Self.escalation) {
            if priority > pending.priority {
                try db.run("UPDATE escalations SET priority = ? WHERE id = ?", priority, pending.id)
            }
            return try require(pending.id, in: db)
        }
        let stamp = Timestamps.text(now())
        try db.run("""
            INSERT INTO escalations (conversation_id, customer_id, reason, priority, summary, status, created_at)
            VALUES (?, ?, ?, ?, ?, 'open', ?)
            """, conversation, owner, reason.rawValue, priority, summary, stamp)
        let id = db.lastInsertedRowID
        try Conversations(now: now).setMode(.human, of: conversation, in: db)
        return try require(id, in: db)
    }

    /// Gives an open escalation to `agent`. Only one agent can win: a second claim finds it
    /// assigned already and is refused.
    public func assign(_ id: Int64, to agent: String, in db: Database) throws -> Escalation {
        try move(id, to: .assigned, in: db) { stamp in
            try db.run("UPDATE escalations SET status = 'assigned', agent = ?, assigned_at = ? WHERE id = ?", agent, stamp, id)
        }
    }

    /// Puts an assigned escalation back in the queue (its agent left).
    public func release(_ id: Int64, in db: Database) throws -> Escalation {
        try move(id, to: .open, in: db) { _ in
            try db.run("UPDATE escalations SET status = 'open', agent = NULL, assigned_at = NULL WHERE id = ?", id)
        }
    }

    /// Ends an escalation: the bot takes the conversation back, or the conversation is closed.
    public func resolve(_ id: Int64, as resolution: EscalationResolution, in db: Database) throws -> Escalation {
        try move(id, to: .resolved, in: db) { stamp in
            try db.run("UPDATE escalations SET status = 'resolved', resolution = ?, resolved_at = ? WHERE id = ?",
                       resolution.rawValue, stamp, id)
            let conversation = try require(id, in: db).conversationID
            switch resolution {
            case .returnedToBot: try Conversations(now: now).setMode(.bot, of: conversation, in: db)
            case .closed: try Conversations(now: now).close(conversation, in: db)
            }
        }
    }

    /// The escalation with `id`, or nil.
    public func find(_ id: Int64, in db: Database) throws -> Escalation? {
        try db.queryFirst(Self.select + " WHERE id = ?", id, as: Self.escalation)
    }

    /// The queue: escalations (of one status, or all), most urgent first, then longest waiting.
    public func list(status: EscalationStatus? = nil, limit: Int = 500, in db: Database) throws -> [Escalation] {
        try db.query(
            Self.select + " WHERE ?1 IS NULL OR status = ?1 ORDER BY priority DESC, created_at, id LIMIT ?2",
            status?.rawValue, limit, as: Self.escalation)
    }

    /// How many escalations a customer has had.
    public func count(ofCustomer customer: Int64, in db: Database) throws -> Int {
        try db.queryFirst("SELECT count(*) FROM escalations WHERE customer_id = ?", customer) { $0.int(0) } ?? 0
    }

    /// How many escalations have `status`.
    public func count(status: EscalationStatus, in db: Database) throws -> Int {
        try db.queryFirst("SELECT count(*) FROM escalations WHERE status = ?", status.rawValue) { $0.int(0) } ?? 0
    }

    /// The ids of the escalations `agent` holds.
    public func held(by agent: String, in db: Database) throws -> [Int64] {
        try db.query("SELECT id FROM escalations WHERE status = 'assigned' AND agent = ?", agent) { $0.int64(0) }
    }

    /// The conversation's escalation `agent` holds, or nil when they hold none of it.
    public func held(conversation: Int64, by agent: String, in db: Database) throws -> Escalation? {
        try db.queryFirst(
            Self.select + " WHERE conversation_id = ? AND status = 'assigned' AND agent = ?", conversation, agent,
            as: Self.escalation)
    }

    /// The agent holding the conversation's escalation, or nil.
    public func holder(ofConversation conversation: Int64, in db: Database) throws -> String? {
        try db.queryFirst(
            "SELECT agent FROM escalations WHERE conversation_id = ? AND status = 'assigned'", conversation
        ) { $0.optionalString(0) } ?? nil
    }

    /// The agents' queue: the `limit` most urgent open escalations (priority, then waiting
    /// longest), then the first `limit` assigned ones, with the customer's name and the
    /// conversation's channel.
    public func queue(limit: Int, in db: Database) throws -> [QueuedEscalation] {
        try ["open", "assigned"].flatMap { status in
            try db.query("""
                SELECT e.id, e.conversation_id, e.customer_id, cu.name, c.channel, e.reason, e.priority, e.status, e.agent,
                       e.summary, e.created_at
                FROM escalations e JOIN conversations c ON c.id = e.conversation_id JOIN customers cu ON cu.id = e.customer_id
                WHERE e.status = ?1
                ORDER BY e.priority DESC, e.created_at, e.id LIMIT ?2
                """, status, limit) { row in
                QueuedEscalation(
                    id: row.int64(0), conversationID: row.int64(1), customerID: row.int64(2), customerName: row.optionalString(3),
                    channel: row.string(4), reason: row.string(5), priority: row.int(6), status: row.string(7),
                    agent: row.optionalString(8), summary: row.string(9), createdAt: row.string(10))
            }
        }
    }

    /// How many escalations are open and assigned, whatever a page of the queue shows.
    public func queueTotals(in db: Database) throws -> (open: Int, assigned: Int) {
        let counts = try db.query("SELECT status, count(*) FROM escalations WHERE status IN ('open', 'assigned') GROUP BY status") {
            ($0.string(0), $0.int(1))
        }
        let byStatus = Dictionary(counts, uniquingKeysWith: +)
        return (byStatus["open"] ?? 0, byStatus["assigned"] ?? 0)
    }

    /// Open escalations by priority band (`high` ≥ 70, `medium` ≥ 40, `low`): how many, and when
    /// the oldest was opened.
    public func openByBand(in db: Database) throws -> [String: (count: Int, oldest: String)] {
        let rows = try db.query("""
            SELECT CASE WHEN priority >= 70 THEN 'high' WHEN priority >= 40 THEN 'medium' ELSE 'low' END AS band,
                   count(*), min(created_at)
            FROM escalations WHERE status = 'open' GROUP BY band
            """) { ($0.string(0), (count: $0.int(1), oldest: $0.string(2))) }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    /// A customer's escalations, newest first (the latest `limit` when given).
    public func escalations(ofCustomer customer: Int64, limit: Int? = nil, in db: Database) throws -> [Escalation] {
        try db.query(
            Self.select + " WHERE customer_id = ? ORDER BY created_at DESC, id DESC LIMIT ?", customer, limit ?? -1,
            as: Self.escalation)
    }

    private func move(
        _ id: Int64, to next: EscalationStatus, in db: Database, apply: (String) throws -> Void
    ) throws -> Escalation {
        let current = try require(id, in: db)
        guard current.status.successors.contains(next) else {
            throw CommerceError.invalidEscalationTransition(id: id, from: current.status, to: next)
        }
        try apply(Timestamps.text(now()))
        return try require(id, in: db)
    }

    private func require(_ id: Int64, in db: Database) throws -> Escalation {
        guard let escalation = try find(id, in: db) else { throw CommerceError.unknownEscalation(id) }
        return escalation
    }

    private static let select = """
        SELECT id, conversation_id, customer_id, reason, priority, summary, status, agent, resolution, created_at,
               assigned_at, resolved_at FROM escalations
        """

    private static func escalation(_ row: Row) -> Escalation {
        let date = { (column: Int) in row.optionalString(column).flatMap(Timestamps.date) }
        return Escalation(
            id: row.int64(0), conversationID: row.int64(1), customerID: row.int64(2),
            reason: EscalationReason(rawValue: row.string(3)) ?? .customerRequest, priority: row.int(4),
            summary: row.string(5), status: EscalationStatus(rawValue: row.string(6)) ?? .open,
            agent: row.optionalString(7), resolution: row.optionalString(8).flatMap(EscalationResolution.init(rawValue:)),
            createdAt: date(9) ?? .distantPast, assignedAt: date(10), resolvedAt: date(11))
    }
}

/// One line of the agents' queue.
public struct QueuedEscalation: Sendable, Equatable {
    public let id: Int64
    public let conversationID: Int64
    public let customerID: Int64
    public let customerName: String?
    public let channel: String
    public let reason: String
    public let priority: Int
    public let status: String
    public let agent: String?
    public let summary: String
    /// As stored (ISO 8601 UTC with milliseconds).
    public let createdAt: String
}
