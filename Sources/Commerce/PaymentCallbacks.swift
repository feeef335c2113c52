import Foundation
import ShopValues
import Storage

/// What a payment provider reports about an order (`POST /webhooks/payment`).
public struct PaymentCallback: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case paid, failed, refunded
    }

    public let orderNumber: OrderNumber
    public let status: Status
    public let amount: Money
    /// The provider's id of the payment; a repeat of the same id and status changes nothing.
    public let providerID: String

    public init(orderNumber: OrderNumber, status: Status, amount: Money, providerID: String) {
        self.orderNumber = orderNumber
        self.status = status
        self.amount = amount
        self.providerID = providerID
    }
}

/// What the gateway made of a payment callback.
public enum PaymentOutcome: String, Sendable, Hashable {
    /// The right amount: the order is paid and its customer told.
    case paid
    /// The order was paid before; nothing changed.
    case alreadyPaid = "already_paid"
    /// The amount or currency is not the order's: it stays unpaid and a person looks at it.
    case mismatch
    /// Money came for an order cancelled meanwhile (its stock released): a person refunds it.
    case paidAfterCancellation = "paid_after_cancellation"
    /// The payment failed: the order stays unpaid; the customer gets the link again.
    case failed
    /// The money went back to the customer.
    case refunded
}

/// The result of one callback, with what the caller wakes after the commit.
public struct PaymentResult: Sendable {
    public let outcome: PaymentOutcome
    /// The same provider id and status came before: its first outcome, nothing done again.
    public let repeated: Bool
    /// Where the customer's notice went, when one was queued.
    public let notice: NoticeRoute?
    /// The escalation opened for a person, when one was.
    public let escalation: Escalation?
}

/// Payment callbacks against the orders, in the caller's transaction: each provider id and
/// status is acted on once (kept in `payment_callbacks`), a matching payment marks the order
/// paid and tells the customer, and anything that does not add up goes to a person.
public struct PaymentCallbacks: Sendable {
    private let facts: ShopFacts
    private let notices: OrderNotices
    private let link: PaymentLinkTemplate?
    private let now: Now

    public init(facts: ShopFacts, notifierConfigured: Bool, link: PaymentLinkTemplate?, now: @escaping Now = { Date() }) {
        self.facts = facts
        self.notices = OrderNotices(notifierConfigured: notifierConfigured, now: now)
        self.link = link
        self.now = now
    }

    /// Acts on `callback`; throws `CommerceError.unknownOrder` (changing nothing) for an order
    /// the shop does not have.
    public func receive(_ callback: PaymentCallback, in db: Database) throws -> PaymentResult {
        let orders = Orders(facts: facts, now: now)
        guard let order = try orders.find(callback.orderNumber, in: db) else {
            throw CommerceError.unknownOrder(callback.orderNumber.digits)
        }
        if let earlier = try db.queryFirst(
            "SELECT outcome FROM payment_callbacks WHERE provider_id = ? AND status = ?", callback.providerID,
            callback.status.rawValue, as: { PaymentOutcome(rawValue: $0.string(0)) }), let earlier {
            return PaymentResult(outcome: earlier, repeated: true, notice: nil, escalation: nil)
        }
        var notice: NoticeRoute?
        var escalation: Escalation?
        let outcome: PaymentOutcome
        switch callback.status {
        case .paid where callback.amount != order.total:
            outcome = .mismatch
            escalation = try escalate(order, in: db, summary: """
                Płatność \(callback.amount.polish) (\(callback.providerID)) nie zgadza się z kwotą zamówienia nr \
                \(order.number.digits): \(order.total.polish). Zamówienie pozostaje nieopłacone.
                """)
        case .paid where order.paymentStatus == .paid:
            outcome = .alreadyPaid
        case .paid where order.status == .cancelled || order.status == .returned:
            outcome = .paidAfterCancellation
            escalation = try escalate(order, in: db, summary: """
                Wpłynęła płatność \(callback.amount.polish) (\(callback.providerID)) za anulowane zamówienie nr \
                \(order.number.digits): do zwrotu albo ponownego złożenia.
                """)
        case .paid:
            outcome = .paid
            let paid = try orders.markPaid(callback.orderNumber, note: "payment \(callback.providerID)", in: db)
            notice = try notices.tell(.payment(of: paid), about: paid, in: db)
        case .failed:
            outcome = .failed
            if order.paymentStatus != .paid, order.status == .new {
                try orders.setPaymentStatus(.failed, of: order.number, in: db)
                notice = try notices.tell(.paymentFailed(order, link: link?.link(for: order)), about: order, in: db)
            }
        case .refunded:
            outcome = .refunded
            try orders.setPaymentStatus(.refunded, of: order.number, in: db)
        }
        try db.run("""
            INSERT INTO payment_callbacks (order_id, provider_id, status, amount_minor, currency, outcome, received_at)
            SELECT id, ?, ?, ?, ?, ?, ? FROM orders WHERE number = ?
            """, callback.providerID, callback.status.rawValue, callback.amount.minorUnits, callback.amount.currency,
            outcome.rawValue, Timestamps.text(now()), order.number.digits)
        return PaymentResult(outcome: outcome, repeated: false, notice: notice, escalation: escalation)
    }

    /// Opens an escalation on the order's conversation (or the customer's latest one); nil when
    /// the customer never had one.
    private func escalate(_ order: Order, in db: Database, summary: String) throws -> Escalation? {
        let latest = try Conversations(now: now).conversations(ofCustomer: order.customerID, limit: 1, in: db).first?.id
        guard let conversation = order.conversationID ?? latest else { return nil }
        return try Escalations(now: now).open(
            conversation: conversation, reason: .paymentProblem, priority: EscalationReason.paymentProblemPriority,
            summary: summary, in: db)
    }
}
