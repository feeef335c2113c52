import Foundation
import ShopValues
import Storage

/// Orders: placing them against the catalog's stock, their status, cancellations and returns.
///
/// Every method works in the caller's transaction (`DatabasePool.write`), so an order, its
/// stock reservation and the message that confirmed it commit together or not at all.
public struct Orders: Sendable {
    private let facts: ShopFacts
    private let now: Now
    private let numbers: @Sendable () -> OrderNumber

    public init(
        facts: ShopFacts, now: @escaping Now = { Date() }, numbers: @escaping @Sendable () -> OrderNumber = { .random() }
    ) {
        self.facts = facts
        self.now = now
        self.numbers = numbers
    }

    /// Places an order: checks every line against the catalog, reserves the stock, prices the
    /// lines at today's catalog prices, adds delivery and the cash-on-delivery fee, and records
    /// the first status. Throws (changing nothing, once the caller's transaction rolls back) when
    /// a line is unknown, out of stock or of an impossible quantity, or the details are invalid.
    public func place(_ request: OrderRequest, in db: Database) throws -> Order {
        try validate(request, in: db)
        let stamp = Timestamps.text(now())
        var priced: [(variant: Variant, product: Product, quantity: Int)] = []
        for line in request.lines {
            guard let variant = try Catalog().variant(sku: line.sku, in: db) else {
                throw CommerceError.unknownVariant(sku: line.sku)
            }
            guard variant.price.currency == facts.currency else {
                throw CommerceError.currencyNotSold(sku: variant.sku, currency: variant.price.currency)
            }
            let reserved = try db.run(
                "UPDATE variants SET stock = stock - ?1 WHERE sku = ?2 AND stock >= ?1", line.quantity, line.sku)
            guard reserved == 1 else {
                throw CommerceError.outOfStock(sku: line.sku, requested: line.quantity, available: variant.stock)
            }
            guard let product = try Catalog().product(variant.productID, in: db) else {
                throw CommerceError.unknownProduct(variant.productID)
            }
            priced.append((variant, product, line.quantity))
        }
        let items = priced.reduce(Money.zero(facts.currency)) { $0 + $1.variant.price * $1.quantity }
        guard let deliveryPrice = facts.deliveryPrice(request.delivery.method, items: items) else {
            throw CommerceError.invalidDelivery("the shop does not offer \(request.delivery.method)")
        }
        let paymentFee = request.payment == .cashOnDelivery ? facts.cashOnDeliveryCharge : .zero(facts.currency)
        let total = items + deliveryPrice + paymentFee
        let number = try freshNumber(in: db)
        try insertOrder(
            request, number: number, items: items, delivery: deliveryPrice, paymentFee: paymentFee, total: total,
            stamp: stamp, in: db)
        let orderID = db.lastInsertedRowID
        for (index, line) in priced.enumerated() {
            try db.run("""
                INSERT INTO order_lines (order_id, line, sku, product_id, name_pl, name_en, size, color, quantity,
                                         unit_price_minor, line_total_minor)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, orderID, index + 1, line.variant.sku, line.product.id, line.product.namePL, line.product.nameEN,
                line.variant.size, line.variant.color, line.quantity, line.variant.price.minorUnits,
                (line.variant.price * line.quantity).minorUnits)
        }
        try recordStatus(.new, order: orderID, note: nil, stamp: stamp, in: db)
        try OrderEvents(now: now).record(.created, order: orderID, in: db)
        guard let order = try find(number, in: db) else { throw CommerceError.unknownOrder(number.digits) }
        return order
    }

    /// The order with `number`, or nil.
    public func find(_ number: OrderNumber, in db: Database) throws -> Order? {
        try OrderReader(currency: facts.currency).order(number: number.digits, in: db)
    }

    /// A customer's orders, newest first (the `limit` most recent ones when given).
    public func orders(ofCustomer customer: Int64, limit: Int? = nil, in db: Database) throws -> [Order] {
        try OrderReader(currency: facts.currency).orders(ofCustomer: customer, limit: limit, in: db)
    }

    /// Moves an order to `status` when its current status allows it, and records the change
    /// (with `tracking`, when the shop gave it). Cancelling puts the reserved stock back; `paid`
    /// marks the money as in.
    @discardableResult
    public func move(
        _ number: OrderNumber, to status: OrderStatus, tracking: Tracking? = nil, note: String? = nil, in db: Database
    ) throws -> Order {
        guard let order = try find(number, in: db) else { throw CommerceError.unknownOrder(number.digits) }
        guard order.status.canMove(to: status) else {
            throw CommerceError.invalidTransition(order: number.digits, from: order.status, to: status)
        }
        let stamp = Timestamps.text(now())
        let orderID = try internalID(of: number, in: db)
        try db.run("UPDATE orders SET status = ?, updated_at = ? WHERE id = ?", status.rawValue, stamp, orderID)
        if let tracking {
            try db.run(
                "UPDATE orders SET carrier = ?, tracking_number = ?, tracking_url = ? WHERE id = ?",
                tracking.carrier, tracking.number, tracking.url, orderID)
        }
        if status == .cancelled {
            for line in order.lines {
                try db.run("UPDATE variants SET stock = stock + ? WHERE sku = ?", line.quantity, line.sku)
            }
        }
        if status == .paid {
            try db.run("UPDATE orders SET payment_status = 'paid', paid_at = ? WHERE id = ?", stamp, orderID)
        }
        try recordStatus(status, order: orderID, note: note, stamp: stamp, in: db)
        try OrderEvents(now: now).record(.moved(to: status), order: orderID, in: db)
        guard let moved = try find(number, in: db) else { throw CommerceError.unknownOrder(number.digits) }
        return moved
    }

    /// Records that the money for an order came in. An order still `new` becomes `paid`; one the
    /// shop already packed, shipped or delivered (cash on delivery, a late transfer) keeps its
    /// status. Money for an order paid before, cancelled or returned is no move (it throws).
    @discardableResult
    public func markPaid(_ number: OrderNumber, note: String? = nil, in db: Database) throws -> Order {
        guard let order = try find(number, in: db) else { throw CommerceError.unknownOrder(number.digits) }
        if order.status == .new { return try move(number, to: .paid, note: note, in: db) }
        guard order.paymentStatus != .paid, order.status != .cancelled, order.status != .returned else {
            throw CommerceError.invalidTransition(order: number.digits, from: order.status, to: .paid)
        }
        let stamp = Timestamps.text(now())
        let orderID = try internalID(of: number, in: db)
        try db.run(
            "UPDATE orders SET payment_status = 'paid', paid_at = ?, updated_at = ? WHERE id = ?", stamp, stamp, orderID)
        try OrderEvents(now: now).record(.paid, order: orderID, in: db)
        guard let paid = try find(number, in: db) else { throw CommerceError.unknownOrder(number.digits) }
        return paid
    }

    /// Sets an order's payment status without moving it (a failed or refunded payment).
    public func setPaymentStatus(_ status: PaymentStatus, of number: OrderNumber, in db: Database) throws {
        let changed = try db.run(
            "UPDATE orders SET payment_status = ?, updated_at = ? WHERE number = ?", status.rawValue, Timestamps.text(now()),
            number.digits)
        guard changed == 1 else { throw CommerceError.unknownOrder(number.digits) }
        try OrderEvents(now: now).record(.changed, order: try internalID(of: number, in: db), in: db)
    }

    /// Online-paid orders still waiting for their money, placed before `cutoff`, oldest first:
    /// each with whether its customer was reminded already.
    public func awaitingPayment(placedBefore cutoff: Date, limit: Int = 100, in db: Database) throws
        -> [(number: OrderNumber, reminded: Bool)] {
        try db.query("""
            SELECT number, payment_reminded_at IS NOT NULL FROM orders
            WHERE status = 'new' AND payment_status != 'paid' AND created_at < ?
              AND payment_method IN ('blik', 'card', 'bank_transfer')
            ORDER BY created_at LIMIT ?
            """, Timestamps.text(cutoff), limit) { (OrderNumber(checked: $0.string(0)), $0.int(1) != 0) }
    }

    /// Notes that the customer was reminded to pay for order `number`.
    public func markReminded(_ number: OrderNumber, in db: Database) throws {
        try db.run("UPDATE orders SET payment_reminded_at = ? WHERE number = ?", Timestamps.text(now()), number.digits)
    }

    /// Cancels an order that has not shipped yet, returning its items to stock.
    @discardableResult
    public func cancel(_ number: OrderNumber, note: String? = nil, in db: Database) throws -> Order {
        try move(number, to: .cancelled, note: note, in: db)
    }

    /// Opens a return for delivered items, within the shop's return period (counted from delivery).
    public func openReturn(
        _ number: OrderNumber, lines: [OrderRequestLine], reason: String, in db: Database
    ) throws -> ReturnCase {
        guard let order = try find(number, in: db) else { throw CommerceError.unknownOrder(number.digits) }
        guard order.status == .delivered, let delivered = order.history.last(where: { $0.status == .delivered }) else {
            throw CommerceError.returnNotPossible("order \(number) has not been delivered")
        }
        let deadline = delivered.at.addingTimeInterval(TimeInterval(facts.returns.days) * 86_400)
        guard now() <= deadline else {
            throw CommerceError.returnNotPossible("the \(facts.returns.days)-day return period of order \(number) has ended")
        }
        guard !lines.isEmpty else { throw CommerceError.returnNotPossible("no items named") }
        let alreadyReturned = try returnedQuantities(of: number, in: db)
        for line in lines {
            let bought = order.lines.filter { $0.sku == line.sku }.reduce(0) { $0 + $1.quantity }
            let left = bought - alreadyReturned[line.sku, default: 0]
            guard line.quantity >= 1, line.quantity <= left else {
                throw CommerceError.returnNotPossible("order \(number) has \(max(left, 0)) of \(line.sku) to return")
            }
        }
        let stamp = Timestamps.text(now())
        try db.run(
            "INSERT INTO return_cases (order_id, reason, status, created_at, updated_at) VALUES (?, ?, 'open', ?, ?)",
            try internalID(of: number, in: db), reason, stamp, stamp)
        let id = db.lastInsertedRowID
        for line in Dictionary(lines.map { ($0.sku, $0.quantity) }, uniquingKeysWith: +) {
            try db.run("INSERT INTO return_case_lines (return_id, sku, quantity) VALUES (?, ?, ?)", id, line.key, line.value)
        }
        try OrderEvents(now: now).record(.returnRequested, order: try internalID(of: number, in: db), in: db)
        return ReturnCase(
            id: id, reason: reason, status: .open, createdAt: Timestamps.date(stamp) ?? now(),
            lines: lines)
    }

    /// Sends a not-yet-shipped order to another parcel locker or address. The method stays the
    /// same (so does the price); a change of method is a person's decision.
    @discardableResult
    public func changeDelivery(_ number: OrderNumber, to delivery: Delivery, in db: Database) throws -> Order {
        guard let order = try find(number, in: db) else { throw CommerceError.unknownOrder(number.digits) }
        guard order.status.isBeforeShipping else {
            throw CommerceError.invalidDelivery("order \(number) is \(order.status) and can no longer be redirected")
        }
        guard order.delivery.method == delivery.method else {
            throw CommerceError.invalidDelivery("order \(number) goes by \(order.delivery.method), not \(delivery.method)")
        }
        let stamp = Timestamps.text(now())
        switch delivery {
        case .courier(let address):
            guard !address.street.isEmpty, !address.city.isEmpty else {
                throw CommerceError.invalidDelivery("a courier needs a street and a city")
            }
            try db.run(
                "UPDATE orders SET address_street = ?, address_postcode = ?, address_city = ?, updated_at = ? WHERE number = ?",
                address.street, address.postcode.value, address.city, stamp, number.digits)
        case .parcelLocker(let code):
            try db.run("UPDATE orders SET locker_code = ?, updated_at = ? WHERE number = ?", code.value, stamp, number.digits)
        case .storePickup(let storeID):
            guard let store = facts.store(storeID), store.pickup else {
                throw CommerceError.invalidDelivery("no pickup in store \(storeID)")
            }
            try db.run("UPDATE orders SET store_id = ?, updated_at = ? WHERE number = ?", storeID, stamp, number.digits)
        }
        try OrderEvents(now: now).record(.changed, order: try internalID(of: number, in: db), in: db)
        guard let changed = try find(number, in: db) else { throw CommerceError.unknownOrder(number.digits) }
        return changed
    }

    /// Puts company details for a VAT invoice on an order (replacing earlier ones).
    @discardableResult
    public func requestInvoice(_ number: OrderNumber, details: InvoiceDetails, in db: Database) throws -> Order {
        guard let order = try find(number, in: db) else { throw CommerceError.unknownOrder(number.digits) }
        guard order.status != .cancelled else { throw CommerceError.invalidInvoice("order \(number) is cancelled") }
        guard !details.company.isEmpty, !details.address.isEmpty else {
            throw CommerceError.invalidInvoice("an invoice needs a company name and an address")
        }
        try db.run(
            "UPDATE orders SET invoice_company = ?, invoice_nip = ?, invoice_address = ?, updated_at = ? WHERE number = ?",
            details.company, details.nip.digits, details.address, Timestamps.text(now()), number.digits)
        try OrderEvents(now: now).record(.changed, order: try internalID(of: number, in: db), in: db)
        guard let changed = try find(number, in: db) else { throw CommerceError.unknownOrder(number.digits) }
        return changed
    }

    private func validate(_ request: OrderRequest, in db: Database) throws {
        guard !request.lines.isEmpty else { throw CommerceError.emptyOrder }
        let limit = facts.orderLineQuantityLimit
        for line in request.lines where !(1...limit).contains(line.quantity) {
            throw CommerceError.invalidQuantity(line.quantity, limit: limit)
        }
        let skus = request.lines.map(\.sku)
        if let repeated = skus.first(where: { sku in skus.filter { $0 == sku }.count > 1 }) {
            throw CommerceError.duplicateLine(sku: repeated)
        }
        guard try db.queryFirst(
            "SELECT 1 FROM customers WHERE id = ? AND merged_into IS NULL", request.customerID, as: { _ in true }) == true
        else { throw CommerceError.unknownCustomer(request.customerID) }
        guard !request.contact.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CommerceError.invalidContact("a contact name is needed")
        }
        guard request.contact.phone != nil || request.contact.email != nil else {
            throw CommerceError.invalidContact("a phone number or an e-mail address is needed")
        }
        switch request.delivery {
        case .courier(let address):
            guard !address.street.isEmpty, !address.city.isEmpty else {
                throw CommerceError.invalidDelivery("a courier needs a street and a city")
            }
        case .parcelLocker:
            break
        case .storePickup(let storeID):
            guard let store = facts.store(storeID), store.pickup else {
                throw CommerceError.invalidDelivery("no pickup in store \(storeID)")
            }
        }
        if let invoice = request.invoice, invoice.company.isEmpty || invoice.address.isEmpty {
            throw CommerceError.invalidInvoice("an invoice needs a company name and an address")
        }
    }

    private func freshNumber(in db: Database) throws -> OrderNumber {
        for _ in 0..<64 {
            let candidate = numbers()
            let taken = try db.queryFirst("SELECT 1 FROM orders WHERE number = ?", candidate.digits) { _ in true } ?? false
            if !taken { return candidate }
        }
        throw CommerceError.orderNumbersExhausted
    }

    private func insertOrder(
        _ request: OrderRequest, number: OrderNumber, items: Money, delivery: Money, paymentFee: Money, total: Money,
        stamp: String, in db: Database
    ) throws {
        var address: Address?
        var locker: String?
        var store: String?
        switch request.delivery {
        case .courier(let courierAddress): address = courierAddress
        case .parcelLocker(let code): locker = code.value
        case .storePickup(let storeID): store = storeID
        }
        try db.run("""
            INSERT INTO orders (number, customer_id, conversation_id, status, currency, items_minor, delivery_minor,
                                payment_fee_minor, total_minor, delivery_method, address_street, address_postcode,
                                address_city, locker_code, store_id, payment_method, contact_name, contact_phone,
                                contact_email, invoice_company, invoice_nip, invoice_address, created_at, updated_at)
            VALUES (?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, number.digits, request.customerID, request.conversationID, facts.currency, items.minorUnits,
            delivery.minorUnits, paymentFee.minorUnits, total.minorUnits, request.delivery.method, address?.street,
            address?.postcode.value, address?.city, locker, store, request.payment.rawValue, request.contact.name,
            request.contact.phone?.e164, request.contact.email?.value, request.invoice?.company,
            request.invoice?.nip.digits, request.invoice?.address, stamp, stamp)
    }

    private func recordStatus(_ status: OrderStatus, order: Int64, note: String?, stamp: String, in db: Database) throws {
        try db.run(
            "INSERT INTO order_status_history (order_id, status, note, at) VALUES (?, ?, ?, ?)",
            order, status.rawValue, note, stamp)
    }

    private func internalID(of number: OrderNumber, in db: Database) throws -> Int64 {
        guard let id = try db.queryFirst("SELECT id FROM orders WHERE number = ?", number.digits, as: { $0.int64(0) })
        else { throw CommerceError.unknownOrder(number.digits) }
        return id
    }

    private func returnedQuantities(of number: OrderNumber, in db: Database) throws -> [String: Int] {
        let rows = try db.query("""
            SELECT l.sku, sum(l.quantity) FROM return_case_lines l
            JOIN return_cases r ON r.id = l.return_id JOIN orders o ON o.id = r.order_id
            WHERE o.number = ? AND r.status != 'rejected' GROUP BY l.sku
            """, number.digits) { ($0.string(0), $0.int(1)) }
        return Dictionary(rows, uniquingKeysWith: +)
    }
}
