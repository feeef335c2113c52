import Cryptography
import Foundation
import Storage

/// What the shop's notifier (its SMS / e-mail gateway) is asked to send.
public enum NotificationKind: String, Sendable, Hashable, Codable {
    case verificationCode = "verification_code"
    case orderUpdate = "order_update"
    case agentReply = "agent_reply"
}

/// A notification on its way out: the exact body to POST, and how often it was tried.
public struct PendingNotification: Sendable, Equatable {
    public let rowID: Int64
    /// `ntf_…`: the notifier drops repeats by it.
    public let publicID: String
    public let kind: NotificationKind
    public let body: String
    public let attempts: Int
    public let giveUpAt: Date
}

/// The outbox of notifications: written in the transaction that decides to notify, sent by the
/// gateway's notifier worker, retried with backoff until delivered or given up. A body may hold
/// a one-time code, so it is emptied once the row is finished either way.
public struct Notifications: Sendable {
    private let now: Now

    public init(now: @escaping Now = { Date() }) {
        self.now = now
    }

    /// The JSON the notifier receives, in the contract's shape.
    struct Body: Encodable {
        let id: String
        let kind: String
        let to: [String: String]
        let language: String
        let text: String
        let code: String?
    }

    /// Queues a notification to `contact` (a phone or e-mail identity); returns its `ntf_…` id.
    /// Nothing is tried after `giveUpAt`.
    @discardableResult
    public func enqueue(
        _ kind: NotificationKind, to contact: Identity, language: String, text: String, code: String? = nil,
        giveUpAt: Date, in db: Database
    ) throws -> String {
        let field: String
        switch contact.channel {
        case .phone: field = "phone"
        case .email: field = "email"
        case .messenger, .web: throw CommerceError.invalidContact("a notification goes to a phone number or an e-mail address")
        }
        let publicID = "ntf_" + Hex.encode(try SecureRandom.bytes(count: 12))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = Body(id: publicID, kind: kind.rawValue, to: [field: contact.externalID], language: language, text: text, code: code)
        let json = String(decoding: try encoder.encode(body), as: UTF8.self)
        let stamp = Timestamps.text(now())
        try db.run("""
            INSERT INTO notifications (public_id, kind, channel, recipient, body, next_attempt_at, give_up_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, publicID, kind.rawValue, contact.channel.rawValue, contact.externalID, json, stamp,
            Timestamps.text(giveUpAt), stamp)
        return publicID
    }

    /// Pending notifications whose time has come, oldest first.
    public func due(limit: Int, in db: Database) throws -> [PendingNotification] {
        try db.query("""
            SELECT id, public_id, kind, body, attempts, give_up_at FROM notifications
            WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?
            """, Timestamps.text(now()), limit
        ) { row in
            PendingNotification(
                rowID: row.int64(0), publicID: row.string(1), kind: NotificationKind(rawValue: row.string(2)) ?? .orderUpdate,
                body: row.string(3), attempts: row.int(4), giveUpAt: Timestamps.date(row.string(5)) ?? .distantPast)
        }
    }

    /// The notifier took it.
    public func delivered(_ rowID: Int64, in db: Database) throws {
        try db.run("""
            UPDATE notifications SET status = 'sent', body = '', attempts = attempts + 1, finished_at = ?, last_error = NULL
            WHERE id = ? AND status = 'pending'
            """, Timestamps.text(now()), rowID)
    }

    /// It failed this time: try again at `next`, or give up when that is past its time.
    public func failed(_ rowID: Int64, error: String, next: Date, in db: Database) throws {
        let stamp = Timestamps.text(now())
        try db.run("""
            UPDATE notifications SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3,
                status = CASE WHEN ?3 > give_up_at THEN 'failed' ELSE 'pending' END,
                body = CASE WHEN ?3 > give_up_at THEN '' ELSE body END,
                finished_at = CASE WHEN ?3 > give_up_at THEN ?4 ELSE NULL END
            WHERE id = ?1 AND status = 'pending'
            """, rowID, String(error.prefix(500)), Timestamps.text(next), stamp)
    }
}
