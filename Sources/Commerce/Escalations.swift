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

    /// A customer's escalations, newest first.
    public func escalations(ofCustomer customer: Int64, in db: Database) throws -> [Escalation] {
        try db.query(Self.select + " WHERE customer_id = ? ORDER BY created_at DESC, id DESC", customer, as: Self.escalation)
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
