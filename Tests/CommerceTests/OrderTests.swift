import Commerce
import Foundation
import ShopValues
import Storage
import Testing
import TestSupport

/// Orders against a small catalog with known prices: totals, stock, status, returns.
struct OrderTests {
    static let catalog = """
        sku,product_id,name_pl,name_en,category,size,color,price,currency,stock,aliases
        SHOE-42,shoe,Buty Test,Test shoes,sneakers,42,black,349.00,PLN,1,
        SHOE-43,shoe,Buty Test,Test shoes,sneakers,43,black,349.00,PLN,5,
        SOCK-1,sock,Skarpety,Socks,socks,39-42,white,19.99,PLN,100,
        CAP-1,cap,Czapka,Cap,accessories,,red,0.10,PLN,100,
        EURO-1,euro,Euro,Euro,accessories,,red,10.00,EUR,100,
        """

    private static func fixture() throws -> CommerceFixture {
        let fixture = try CommerceFixture(demoCatalog: false)
        try fixture.database.write { db in try CatalogImport().apply(catalog, in: db) }
        return fixture
    }

    private static func orderCount(_ fixture: CommerceFixture) throws -> Int {
        try fixture.database.read { db in try db.queryFirst("SELECT count(*) FROM orders") { $0.int(0) } ?? -1 }
    }

    /// The total is the exact sum of the lines at catalog prices, plus delivery (by the shop
    /// facts: parcel locker 11.99 below 199.00) — no floating-point drift.
    @Test func totalsAreExactDecimals() throws {
        let fixture = try Self.fixture()
        let customer = try fixture.newCustomer()
        let order = try fixture.database.write { db in
            try fixture.orders.place(fixture.request(customer: customer, [("SOCK-1", 3), ("CAP-1", 7)]), in: db)
        }
        #expect(order.lines.map(\.lineTotal.decimalString) == ["59.97", "0.70"])
        #expect(order.lines.map(\.unitPrice.decimalString) == ["19.99", "0.10"])
        #expect(order.itemsTotal.decimalString == "60.67")
        #expect(order.deliveryPrice.decimalString == "11.99")
        #expect(order.paymentFee == .zero())
        #expect(order.total.decimalString == "72.66")
        #expect(order.total == order.lines.reduce(Money.zero()) { $0 + $1.lineTotal } + order.deliveryPrice)
        let stored = try #require(try fixture.database.read { db in try fixture.orders.find(order.number, in: db) })
        #expect(stored == order)
    }

    /// Courier delivery is free from 299.00; cash on delivery adds its fee (5.00).
    @Test func freeDeliveryAndCashOnDeliveryFee() throws {
        let fixture = try Self.fixture()
        let customer = try fixture.newCustomer()
        let address = Address(street: "ul. Świdnicka 1", postcode: Postcode("50-068")!, city: "Wrocław")
        let order = try fixture.database.write { db in
            try fixture.orders.place(
                fixture.request(customer: customer, [("SHOE-43", 1), ("SOCK-1", 1)], delivery: .courier(address),
                                payment: .cashOnDelivery), in: db)
        }
        #expect(order.itemsTotal.decimalString == "368.99")
        #expect(order.deliveryPrice == .zero())
        #expect(order.paymentFee.decimalString == "5.00")
        #expect(order.total.decimalString == "373.99")
        #expect(order.delivery == .courier(address))
    }

    /// Placing reserves stock; the order number is six digits with a valid check digit; the
    /// first status is `new`, recorded in the history.
    @Test func placingReservesStock() throws {
        let fixture = try Self.fixture()
        let customer = try fixture.newCustomer()
        let order = try fixture.database.write { db in
            try fixture.orders.place(fixture.request(customer: customer, [("SHOE-43", 2)]), in: db)
        }
        #expect(try fixture.stock("SHOE-43") == 3)
        #expect(OrderNumber(order.number.digits) == order.number)
        #expect(order.status == .new)
        #expect(order.history.map(\.status) == [.new])
        #expect(order.lines.first?.namePL == "Buty Test")
    }

    /// The last item, ordered by two customers at the same moment: exactly one order, the
    /// other is told it is out of stock, and stock ends at 0, never below.
    @Test func lastItemCannotBeSoldTwice() async throws {
        let fixture = try Self.fixture()
        let first = try fixture.newCustomer()
        let second = try fixture.newCustomer()
        let outcomes = try await withThrowingTaskGroup(of: Result<Order, CommerceError>.self) { group in
            for customer in [first, second] {
                let request = fixture.request(customer: customer, [("SHOE-42", 1)])
                group.addTask {
                    do {
                        return .success(try await fixture.database.write { db in try fixture.orders.place(request, in: db) })
                    } catch let error as CommerceError {
                        return .failure(error)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let placed = outcomes.compactMap { try? $0.get() }
        let refused = outcomes.compactMap { outcome -> CommerceError? in
            if case .failure(let error) = outcome { error } else { nil }
        }
        #expect(placed.count == 1)
        #expect(refused == [.outOfStock(sku: "SHOE-42", requested: 1, available: 0)])
        #expect(try fixture.stock("SHOE-42") == 0)
        #expect(try Self.orderCount(fixture) == 1)
    }

    /// Twelve buyers through two separate connections to the same file (as two processes
    /// would) for five items: exactly five orders, seven refusals, stock 0.
    @Test func contendedStockAcrossConnections() async throws {
        let fixture = try Self.fixture()
        let second = try DatabasePool(
            DatabaseConfiguration(path: fixture.directory.path("shop.sqlite")), migrator: Schema.migrator())
        defer { second.close() }
        let customers = try (0..<12).map { _ in try fixture.newCustomer() }
        let pools = [fixture.database, second]
        let results = await withTaskGroup(of: String.self) { group in
            for (index, customer) in customers.enumerated() {
                let pool = pools[index % 2]
                let request = fixture.request(customer: customer, [("SHOE-43", 1)])
                let orders = fixture.orders
                group.addTask {
                    do {
                        _ = try await pool.write { db in try orders.place(request, in: db) }
                        return "placed"
                    } catch CommerceError.outOfStock(let sku, 1, 0) {
                        return "out of stock: \(sku)"
                    } catch {
                        return "\(error)"
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.sorted() == Array(repeating: "out of stock: SHOE-43", count: 7) + Array(repeating: "placed", count: 5))
        #expect(try fixture.stock("SHOE-43") == 0)
        let sold = try await fixture.database.read { db in
            try db.queryFirst("SELECT sum(quantity) FROM order_lines WHERE sku = 'SHOE-43'") { $0.int(0) }
        }
        #expect(sold == 5)
    }

    /// A bad line anywhere refuses the whole order and changes nothing: no order, no stock
    /// taken for the good lines before it.
    @Test(arguments: [
        ([("SOCK-1", 2), ("NOPE-1", 1)], CommerceError.unknownVariant(sku: "NOPE-1")),
        ([("SOCK-1", 2), ("SHOE-43", 6)], .outOfStock(sku: "SHOE-43", requested: 6, available: 5)),
        ([("SOCK-1", 0)], .invalidQuantity(0, limit: 20)),
        ([("SOCK-1", 21)], .invalidQuantity(21, limit: 20)),
        ([("SOCK-1", -3)], .invalidQuantity(-3, limit: 20)),
        ([("SOCK-1", 1), ("SOCK-1", 1)], .duplicateLine(sku: "SOCK-1")),
        ([], .emptyOrder),
        ([("EURO-1", 1)], .currencyNotSold(sku: "EURO-1", currency: "EUR")),
    ] as [([(String, Int)], CommerceError)])
    func impossibleOrdersChangeNothing(_ lines: [(String, Int)], _ expected: CommerceError) throws {
        let fixture = try Self.fixture()
        let customer = try fixture.newCustomer()
        #expect(throws: expected) {
            try fixture.database.write { db in try fixture.orders.place(fixture.request(customer: customer, lines), in: db) }
        }
        #expect(try fixture.stock("SOCK-1") == 100)
        #expect(try fixture.stock("SHOE-43") == 5)
        #expect(try Self.orderCount(fixture) == 0)
    }

    /// Details the shop cannot serve are refused: a store without pickup, no way to reach the
    /// customer, an unknown customer.
    @Test func invalidDetailsAreRefused() throws {
        let fixture = try Self.fixture()
        let customer = try fixture.newCustomer()
        var noPickup = fixture.request(customer: customer, [("SOCK-1", 1)], delivery: .storePickup(storeID: "waw-galeria"))
        #expect(throws: CommerceError.invalidDelivery("no pickup in store waw-galeria")) {
            try fixture.database.write { db in try fixture.orders.place(noPickup, in: db) }
        }
        noPickup.delivery = .storePickup(storeID: "wro-swidnicka")
        noPickup.contact = Contact(name: "Anna")
        #expect(throws: CommerceError.invalidContact("a phone number or an e-mail address is needed")) {
            try fixture.database.write { db in try fixture.orders.place(noPickup, in: db) }
        }
        noPickup.contact = Contact(name: "Anna", email: EmailAddress("anna@example.pl"))
        noPickup.customerID = 999
        #expect(throws: CommerceError.unknownCustomer(999)) {
            try fixture.database.write { db in try fixture.orders.place(noPickup, in: db) }
        }
        #expect(try Self.orderCount(fixture) == 0)
    }

    /// Invoice details, with a NIP whose checksum held, are kept with the order.
    @Test func invoiceDetailsAreKept() throws {
        let fixture = try Self.fixture()
        let customer = try fixture.newCustomer()
        var request = fixture.request(customer: customer, [("SOCK-1", 1)])
        let invoice = InvoiceDetails(company: "Buty Sp. z o.o.", nip: try #require(NIP("526-025-09-95")), address: "ul. Długa 5, 00-950 Warszawa")
        request.invoice = invoice
        let order = try fixture.database.write { db in try fixture.orders.place(request, in: db) }
        let stored = try #require(try fixture.database.read { db in try fixture.orders.find(order.number, in: db) })
        #expect(stored.invoice == invoice)
        #expect(NIP("526-025-09-96") == nil, "a NIP with a wrong check digit never gets this far")
    }

    /// new → paid → shipped → delivered, each step in the history; no step backwards or
    /// from a final status; cancelling a shipped order is refused.
    @Test func statusMovesForwardOnly() throws {
        let fixture = try Self.fixture()
        let customer = try fixture.newCustomer()
        let number = try fixture.database.write { db in
            try fixture.orders.place(fixture.request(customer: customer, [("SOCK-1", 1)]), in: db).number
        }
        for status in [OrderStatus.paid, .shipped] {
            try fixture.database.write { db in try fixture.orders.move(number, to: status, in: db) }
        }
        #expect(throws: CommerceError.invalidTransition(order: number.digits, from: .shipped, to: .cancelled)) {
            try fixture.database.write { db in try fixture.orders.cancel(number, in: db) }
        }
        #expect(throws: CommerceError.invalidTransition(order: number.digits, from: .shipped, to: .paid)) {
            try fixture.database.write { db in try fixture.orders.move(number, to: .paid, in: db) }
        }
        let delivered = try fixture.database.write { db in try fixture.orders.move(number, to: .delivered, note: "DPD", in: db) }
        #expect(delivered.history.map(\.status) == [.new, .paid, .shipped, .delivered])
        #expect(delivered.history.last?.note == "DPD")
        #expect(try fixture.stock("SOCK-1") == 99)
    }

    /// Cancelling puts the items back in stock, once.
    @Test func cancellingReturnsStock() throws {
        let fixture = try Self.fixture()
        let customer = try fixture.newCustomer()
        let number = try fixture.database.write { db in
            try fixture.orders.place(fixture.request(customer: customer, [("SHOE-42", 1), ("SOCK-1", 4)]), in: db).number
        }
        #expect(try fixture.stock("SHOE-42") == 0)
        let cancelled = try fixture.database.write { db in try fixture.orders.cancel(number, note: "customer asked", in: db) }
        #expect(cancelled.status == .cancelled)
        #expect(try fixture.stock("SHOE-42") == 1)
        #expect(try fixture.stock("SOCK-1") == 100)
        #expect(throws: CommerceError.invalidTransition(order: number.digits, from: .cancelled, to: .cancelled)) {
            try fixture.database.write { db in try fixture.orders.cancel(number, in: db) }
        }
        #expect(try fixture.stock("SHOE-42") == 1)
    }

    /// A return is possible for delivered items within the shop's 14 days, for no more than
    /// was bought; after the period it is refused.
    @Test func returnsWithinTheReturnPeriod() throws {
        let fixture = try Self.fixture()
        let customer = try fixture.newCustomer()
        let number = try fixture.database.write { db in
            try fixture.orders.place(fixture.request(customer: customer, [("SOCK-1", 2), ("CAP-1", 1)]), in: db).number
        }
        #expect(throws: CommerceError.returnNotPossible("order \(number) has not been delivered")) {
            try fixture.database.write { db in
                try fixture.orders.openReturn(number, lines: [OrderRequestLine(sku: "SOCK-1", quantity: 1)], reason: "size", in: db)
            }
        }
        for status in [OrderStatus.shipped, .delivered] {
            try fixture.database.write { db in try fixture.orders.move(number, to: status, in: db) }
        }
        fixture.clock.advance(days: 13)
        let opened = try fixture.database.write { db in
            try fixture.orders.openReturn(number, lines: [OrderRequestLine(sku: "SOCK-1", quantity: 1)], reason: "too small", in: db)
        }
        #expect(opened.status == .open)
        #expect(throws: CommerceError.returnNotPossible("order \(number) has 1 of SOCK-1 to return")) {
            try fixture.database.write { db in
                try fixture.orders.openReturn(number, lines: [OrderRequestLine(sku: "SOCK-1", quantity: 2)], reason: "x", in: db)
            }
        }
        let order = try #require(try fixture.database.read { db in try fixture.orders.find(number, in: db) })
        #expect(order.returns.map(\.lines) == [[OrderRequestLine(sku: "SOCK-1", quantity: 1)]])
        fixture.clock.advance(days: 2)
        #expect(throws: CommerceError.returnNotPossible("the 14-day return period of order \(number) has ended")) {
            try fixture.database.write { db in
                try fixture.orders.openReturn(number, lines: [OrderRequestLine(sku: "CAP-1", quantity: 1)], reason: "x", in: db)
            }
        }
    }

    /// A customer's orders come newest first.
    @Test func ordersOfACustomerNewestFirst() throws {
        let fixture = try Self.fixture()
        let customer = try fixture.newCustomer()
        var numbers: [OrderNumber] = []
        for _ in 0..<3 {
            numbers.append(try fixture.database.write { db in
                try fixture.orders.place(fixture.request(customer: customer, [("SOCK-1", 1)]), in: db).number
            })
            fixture.clock.advance(days: 1)
        }
        let listed = try fixture.database.read { db in try fixture.orders.orders(ofCustomer: customer, in: db) }
        #expect(listed.map(\.number) == numbers.reversed())
        #expect(Set(numbers).count == 3)
    }
}
