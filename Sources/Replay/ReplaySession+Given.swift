import Commerce
import Foundation
import ShopValues
import Storage

/// `given` steps, performed through the commerce domain at the replay's clock.
extension ReplaySession {
    /// Performs a `given` step in one transaction.
    mutating func set(up given: Given) throws {
        let now: Now = { [clock] in clock.now }
        switch given {
        case .customer(let identities, let name):
            try engine.database.write { db in
                let customers = Customers(now: now)
                let id = try customers.resolve(identities[0], in: db)
                for identity in identities.dropFirst() { try customers.link(identity, to: id, in: db) }
                if let name { try customers.update(id, name: name, in: db) }
            }
        case .order(let variable, let identity, let order):
            let placed = try engine.database.write { db in try place(order, for: identity, now: now, in: db) }
            variables[variable] = placed.number.digits
        case .status(let variable, let status):
            guard let digits = variables[variable], let number = OrderNumber(digits) else {
                throw ReplayProblem.missingValues([variable])
            }
            try engine.database.write { db in try move(number, to: status, now: now, in: db) }
        case .stock(let sku, let count):
            let changed = try engine.database.write { db in try Catalog().setStock(sku: sku, to: count, in: db) }
            guard changed else { throw ReplayProblem.unknownSKU(sku) }
        }
    }

    private func place(_ order: GivenOrder, for identity: Identity, now: @escaping Now, in db: Database) throws -> Order {
        let customerID = try Customers(now: now).resolve(identity, in: db)
        let contact = try order.contact ?? defaultContact(of: customerID, identity, in: db)
        let request = OrderRequest(
            customerID: customerID, lines: order.lines, delivery: order.delivery, payment: order.payment, contact: contact)
        return try Orders(facts: .demo(), now: now, numbers: numbers.next).place(request, in: db)
    }

    /// The customer's own name (or "Klient Testowy") and phone or e-mail.
    private func defaultContact(of customerID: Int64, _ identity: Identity, in db: Database) throws -> Contact {
        let customer = try Customers().find(customerID, in: db)
        let phone = customer?.phone.flatMap { PhoneNumber($0) }
        let email = customer?.email.flatMap { EmailAddress($0) }
        guard phone != nil || email != nil else { throw ReplayProblem.noContact(identity) }
        return Contact(name: customer?.name ?? "Klient Testowy", phone: phone, email: email)
    }

    /// Moves an order to `status`, through paid and shipped when it has to get there.
    private func move(_ number: OrderNumber, to status: OrderStatus, now: @escaping Now, in db: Database) throws {
        let orders = Orders(facts: .demo(), now: now)
        guard let order = try orders.find(number, in: db) else { throw CommerceError.unknownOrder(number.digits) }
        var current = order.status
        for next in Self.path(to: status) where current.canMove(to: next) {
            try orders.move(number, to: next, in: db)
            current = next
        }
        guard current == status else { throw CommerceError.invalidTransition(order: number.digits, from: current, to: status) }
    }

    private static func path(to status: OrderStatus) -> [OrderStatus] {
        switch status {
        case .new: []
        case .paid: [.paid]
        case .packed: [.paid, .packed]
        case .shipped: [.paid, .shipped]
        case .delivered: [.paid, .shipped, .delivered]
        case .cancelled: [.cancelled]
        case .returned: [.paid, .shipped, .delivered, .returned]
        }
    }
}
