import Foundation
import ShopValues
import Storage

/// Turns the rows of an order (head, lines, history, returns) back into an `Order`.
struct OrderReader {
    let currency: String

    func order(number: String, in db: Database) throws -> Order? {
        try orders(where: "o.number = ?", number, in: db).first
    }

    func orders(ofCustomer customer: Int64, limit: Int? = nil, in db: Database) throws -> [Order] {
        try orders(where: "o.customer_id = ?", customer, limit: limit, in: db)
    }

    private func orders(where condition: String, _ argument: any SQLBindable, limit: Int? = nil, in db: Database) throws -> [Order] {
        let heads = try db.query("""
            SELECT o.id, o.number, o.customer_id, o.conversation_id, o.status, o.currency, o.items_minor,
                   o.delivery_minor, o.payment_fee_minor, o.total_minor, o.delivery_method, o.address_street,
                   o.address_postcode, o.address_city, o.locker_code, o.store_id, o.payment_method, o.contact_name,
                   o.contact_phone, o.contact_email, o.invoice_company, o.invoice_nip, o.invoice_address,
                   o.created_at, o.updated_at, o.carrier, o.tracking_number, o.tracking_url, o.payment_status, o.paid_at
            FROM orders o WHERE \(condition) ORDER BY o.created_at DESC, o.id DESC LIMIT ?
            """, argument, limit ?? -1, as: Head.init)
        return try heads.map { head in
            let lines = try db.query("""
                SELECT line, sku, product_id, name_pl, name_en, size, color, quantity, unit_price_minor, line_total_minor
                FROM order_lines WHERE order_id = ? ORDER BY line
                """, head.id
            ) { row in
                OrderLine(
                    line: row.int(0), sku: row.string(1), productID: row.string(2), namePL: row.string(3),
                    nameEN: row.string(4), size: row.string(5), color: row.string(6), quantity: row.int(7),
                    unitPrice: Money(minorUnits: row.int64(8), currency: head.currency),
                    lineTotal: Money(minorUnits: row.int64(9), currency: head.currency))
            }
            let history = try db.query(
                "SELECT status, note, at FROM order_status_history WHERE order_id = ? ORDER BY id", head.id
            ) { row in
                StatusChange(
                    status: OrderStatus(rawValue: row.string(0)) ?? .new, note: row.optionalString(1),
                    at: Timestamps.date(row.string(2)) ?? .distantPast)
            }
            return head.order(lines: lines, history: history, returns: try returns(of: head.id, in: db))
        }
    }

    private func returns(of order: Int64, in db: Database) throws -> [ReturnCase] {
        let cases = try db.query(
            "SELECT id, reason, status, created_at FROM return_cases WHERE order_id = ? ORDER BY id", order
        ) { ($0.int64(0), $0.string(1), $0.string(2), $0.string(3)) }
        return try cases.map { id, reason, status, created in
            let lines = try db.query("SELECT sku, quantity FROM return_case_lines WHERE return_id = ? ORDER BY sku", id) {
                OrderRequestLine(sku: $0.string(0), quantity: $0.int(1))
            }
            return ReturnCase(
                id: id, reason: reason, status: ReturnCase.Status(rawValue: status) ?? .open,
                createdAt: Timestamps.date(created) ?? .distantPast, lines: lines)
        }
    }

    /// The `orders` row, before its lines are read.
    private struct Head {
        let id: Int64
        let number: String
        let customerID: Int64
        let conversationID: Int64?
        let status: OrderStatus
        let currency: String
        let items, delivery, paymentFee, total: Int64
        let deliveryMethod: String
        let street, postcode, city, locker, store: String?
        let payment: PaymentMethod
        let contactName: String
        let contactPhone, contactEmail: String?
        let invoiceCompany, invoiceNIP, invoiceAddress: String?
        let createdAt, updatedAt: String
        let tracking: Tracking?
        let paymentStatus: PaymentStatus
        let paidAt: String?

        init(_ row: Row) {
            id = row.int64(0)
            number = row.string(1)
            customerID = row.int64(2)
            conversationID = row.isNull(3) ? nil : row.int64(3)
            status = OrderStatus(rawValue: row.string(4)) ?? .new
            currency = row.string(5)
            items = row.int64(6)
            delivery = row.int64(7)
            paymentFee = row.int64(8)
            total = row.int64(9)
            deliveryMethod = row.string(10)
            street = row.optionalString(11)
            postcode = row.optionalString(12)
            city = row.optionalString(13)
            locker = row.optionalString(14)
            store = row.optionalString(15)
            payment = PaymentMethod(rawValue: row.string(16)) ?? .card
            contactName = row.string(17)
            contactPhone = row.optionalString(18)
            contactEmail = row.optionalString(19)
            invoiceCompany = row.optionalString(20)
            invoiceNIP = row.optionalString(21)
            invoiceAddress = row.optionalString(22)
            createdAt = row.string(23)
            updatedAt = row.string(24)
            tracking = Tracking.known(carrier: row.optionalString(25), number: row.optionalString(26), url: row.optionalString(27))
            paymentStatus = PaymentStatus(rawValue: row.string(28)) ?? .unpaid
            paidAt = row.optionalString(29)
        }

        func order(lines: [OrderLine], history: [StatusChange], returns: [ReturnCase]) -> Order {
            let money = { (minor: Int64) in Money(minorUnits: minor, currency: currency) }
            return Order(
                number: OrderNumber(checked: number), customerID: customerID,
                conversationID: conversationID, status: status, lines: lines, itemsTotal: money(items),
                deliveryPrice: money(delivery), paymentFee: money(paymentFee), total: money(total),
                delivery: deliveryValue, payment: payment,
                contact: Contact(
                    name: contactName, phone: contactPhone.flatMap { PhoneNumber($0) },
                    email: contactEmail.flatMap { EmailAddress($0) }),
                invoice: invoiceValue, createdAt: Timestamps.date(createdAt) ?? .distantPast,
                updatedAt: Timestamps.date(updatedAt) ?? .distantPast, history: history, returns: returns,
                tracking: tracking, paymentStatus: paymentStatus, paidAt: paidAt.flatMap(Timestamps.date))
        }

        private var deliveryValue: Delivery {
            switch deliveryMethod {
            case "parcel_locker": .parcelLocker(locker.flatMap { LockerCode($0) } ?? LockerCode("XXX00")!)
            case "store_pickup": .storePickup(storeID: store ?? "")
            default:
                .courier(Address(
                    street: street ?? "", postcode: postcode.flatMap { Postcode($0) } ?? Postcode("00-000")!,
                    city: city ?? ""))
            }
        }

        private var invoiceValue: InvoiceDetails? {
            guard let invoiceCompany, let invoiceNIP, let nip = NIP(invoiceNIP) else { return nil }
            return InvoiceDetails(company: invoiceCompany, nip: nip, address: invoiceAddress ?? "")
        }
    }
}
