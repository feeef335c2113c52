import Cryptography
import Foundation
import Storage

/// What happened to an order, as the shop's ERP is told (CONTRACT.md, "Order lifecycle").
public enum OrderEventKind: String, Sendable, Hashable, CaseIterable {
    case created = "order.created"
    case changed = "order.changed"
    case cancelled = "order.cancelled"
    case paid = "order.paid"
    case returnRequested = "return.requested"
    case complaintOpened = "complaint.opened"

    /// The event a move to `status` is.
    static func moved(to status: OrderStatus) -> OrderEventKind {
        switch status {
        case .cancelled: .cancelled
        case .paid: .paid
        case .new, .packed, .shipped, .delivered, .returned: .changed
        }
    }
}

/// An order event waiting to go out: the next of its order (an order's events go in order).
public struct PendingOrderEvent: Sendable, Equatable {
    public let rowID: Int64
    /// `evt_…`: the ERP drops repeats by it.
    public let publicID: String
    public let kind: OrderEventKind
    /// The order's number, as stored.
    public let orderNumber: String
    public let occurredAt: Date
    public let attempts: Int
}

/// The outbox of order events: written by `Orders` in the transaction that changes the order, so
/// an event exists exactly when its change was committed; sent by the gateway's order webhook
/// worker, at least once, oldest first within each order, retried until the ERP takes it (an
/// event is never given up: the ERP must learn of every order).
public struct OrderEvents: Sendable {
    private let now: Now

    public init(now: @escaping Now = { Date() }) {
        self.now = now
    }

    /// Queues `kind` for the order with internal id `order`; returns its `evt_…` id.
    @discardableResult
    public func record(_ kind: OrderEventKind, order: Int64, in db: Database) throws -> String {
        let publicID = "evt_" + Hex.encode(try SecureRandom.bytes(count: 12))
        let stamp = Timestamps.text(now())
        try db.run("""
            INSERT INTO order_events (public_id, order_id, event, occurred_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)
            """, publicID, order, kind.rawValue, stamp, stamp)
        return publicID
    }

    /// Queues `kind` for the order numbered `number` (events the dialogue raises, which know the
    /// order by its number); returns its `evt_…` id.
    @discardableResult
    public func record(_ kind: OrderEventKind, orderNumber number: OrderNumber, in db: Database) throws -> String {
        guard let order = try db.queryFirst("SELECT id FROM orders WHERE number = ?", number.digits, as: { $0.int64(0) }) else {
            throw CommerceError.unknownOrder(number.digits)
        }
        return try record(kind, order: order, in: db)
    }

    /// The events due now, at most `limit`: each order's oldest pending one, when its time has come
    /// (a later event of an order waits for the earlier one, whatever its own time).
    public func due(limit: Int, in db: Database) throws -> [PendingOrderEvent] {
        try db.query("""
            SELECT e.id, e.public_id, e.event, o.number, e.occurred_at, e.attempts
            FROM order_events e JOIN orders o ON o.id = e.order_id
            WHERE e.status = 'pending' AND e.next_attempt_at <= ?1
                AND e.id = (SELECT min(id) FROM order_events WHERE order_id = e.order_id AND status = 'pending')
            ORDER BY e.id LIMIT ?2
            """, Timestamps.text(now()), limit
        ) { row in
            PendingOrderEvent(
                rowID: row.int64(0), publicID: row.string(1), kind: OrderEventKind(rawValue: row.string(2)) ?? .changed,
                orderNumber: row.string(3), occurredAt: Timestamps.date(row.string(4)) ?? .distantPast,
                attempts: row.int(5))
        }
    }

    /// The ERP took it.
    public func delivered(_ rowID: Int64, in db: Database) throws {
        try db.run("""
            UPDATE order_events SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL
            WHERE id = ? AND status = 'pending'
            """, Timestamps.text(now()), rowID)
    }

    /// It failed this time: tried again at `next`.
    public func failed(_ rowID: Int64, error: String, next: Date, in db: Database) throws {
        try db.run("""
            UPDATE order_events SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3 WHERE id = ?1 AND status = 'pending'
            """, rowID, String(error.prefix(500)), Timestamps.text(next))
    }

    /// How many events wait, and when the oldest of them happened.
    public func backlog(in db: Database) throws -> (depth: Int, oldest: Date?) {
        try db.queryFirst("SELECT count(*), min(occurred_at) FROM order_events WHERE status = 'pending'") { row in
            (row.int(0), row.optionalString(1).flatMap(Timestamps.date))
        } ?? (0, nil)
    }
}
