import Foundation
import Storage

/// Online-paid orders whose money never came: reminded once, then cancelled so their reserved
/// stock goes back on sale (shops lose sales to stock held by abandoned orders). Each round
/// works in the caller's transaction.
public struct UnpaidOrders: Sendable {
    private let facts: ShopFacts
    private let notices: OrderNotices
    private let link: PaymentLinkTemplate?
    private let remindAfter: TimeInterval
    private let releaseAfter: TimeInterval
    private let now: Now

    /// What one round did.
    public struct Round: Sendable, Equatable {
        public var reminded: [OrderNumber] = []
        public var released: [OrderNumber] = []
        /// Where each notice went, for the caller to wake the carriers.
        public var notices: [NoticeRoute] = []
        /// The products whose stock the released orders put back.
        public var products: Set<String> = []
    }

    public init(
        facts: ShopFacts, notifierConfigured: Bool, link: PaymentLinkTemplate?, remindAfter: TimeInterval,
        releaseAfter: TimeInterval, now: @escaping Now = { Date() }
    ) {
        self.facts = facts
        self.notices = OrderNotices(notifierConfigured: notifierConfigured, now: now)
        self.link = link
        self.remindAfter = remindAfter
        self.releaseAfter = releaseAfter
        self.now = now
    }

    /// Releases the orders past `releaseAfter` and reminds those past `remindAfter` (at most
    /// `limit` of each per round).
    public func sweep(limit: Int = 100, in db: Database) throws -> Round {
        let orders = Orders(facts: facts, now: now)
        var round = Round()
        for (number, _) in try orders.awaitingPayment(placedBefore: now().addingTimeInterval(-releaseAfter), limit: limit, in: db) {
            let cancelled = try orders.move(number, to: .cancelled, note: "unpaid: stock released", in: db)
            round.notices.append(try notices.tell(.releasedUnpaid(cancelled), about: cancelled, in: db))
            round.released.append(number)
            round.products.formUnion(cancelled.lines.map(\.productID))
        }
        for (number, reminded) in try orders.awaitingPayment(placedBefore: now().addingTimeInterval(-remindAfter), limit: limit, in: db)
        where !reminded {
            guard let order = try orders.find(number, in: db) else { continue }
            try orders.markReminded(number, in: db)
            let text = NoticeText.paymentReminder(of: order, link: link?.link(for: order), releasedAfter: releaseAfter / 3_600)
            round.notices.append(try notices.tell(text, about: order, in: db))
            round.reminded.append(number)
        }
        return round
    }
}
