import Commerce
import Dialogue
import Foundation
import ShopValues
import Storage
import TestSupport

/// Real orders for the dialogue to talk about: placed through Commerce into a temp SQLite
/// database with the demo catalog, then moved through their statuses at chosen times.
final class OrderBook: Sendable {
    let directory = TemporaryDirectory()
    let database: DatabasePool
    let facts = ShopFacts.demo()

    init() throws {
        database = try DatabasePool(DatabaseConfiguration(path: directory.path("shop.sqlite")), migrator: Schema.migrator())
        _ = try database.write { db in try DemoCatalog.seedIfEmpty(in: db, now: { testNow }) }
    }

    deinit { database.close() }

    /// A customer known by a Messenger id.
    func customer(_ id: String = UUID().uuidString) throws -> Int64 {
        try database.write { db in try Customers(now: { testNow }).resolve(Identity(.messenger, id), in: db) }
    }

    /// A pair of Aero Run 40 for `customer`, placed `daysAgo` before the test's now and moved
    /// through `path` one day apart (the last step `lastStepDaysAgo` before now when given).
    func order(
        for customer: Int64, placedDaysAgo daysAgo: Double = 30, path: [OrderStatus] = [], lastStepDaysAgo: Double? = nil,
        delivery: Delivery = .parcelLocker(LockerCode("WRO01M")!)
    ) throws -> Order {
        let request = OrderRequest(
            customerID: customer, lines: [OrderRequestLine(sku: "AERO-RUN-40-BLK", quantity: 1)], delivery: delivery,
            payment: .blik, contact: Contact(name: "Anna Kowalska", phone: PhoneNumber("600 123 456")))
        return try database.write { db in
            var order = try Orders(facts: facts, now: { testNow.addingTimeInterval(-daysAgo * 86_400) }).place(request, in: db)
            for (index, status) in path.enumerated() {
                var ago = daysAgo - Double(index + 1)
                if index == path.count - 1, let lastStepDaysAgo { ago = lastStepDaysAgo }
                let at = testNow.addingTimeInterval(-ago * 86_400)
                order = try Orders(facts: facts, now: { at }).move(order.number, to: status, in: db)
            }
            return order
        }
    }

    /// The customer's snapshot, as the engine would fetch it, with `orders` newest first.
    func snapshot(_ customer: Int64, orders: [Order], name: String? = nil, earlierEscalations: Int = 0) -> CustomerSnapshot {
        CustomerSnapshot(id: customer, name: name, orders: orders, earlierEscalations: earlierEscalations)
    }
}

/// A valid order number no order has.
func unusedOrderNumber(except taken: [OrderNumber]) -> OrderNumber {
    (10_000...99_999).lazy.compactMap { body in (0...9).lazy.compactMap { OrderNumber("\(body)\($0)") }.first }
        .first { !taken.contains($0) }!
}
