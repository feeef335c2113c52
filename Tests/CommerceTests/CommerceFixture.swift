import Commerce
import Foundation
import Synchronization
import ShopValues
import Storage
import TestSupport

/// A migrated database in a temp directory, with the demo catalog loaded (unless asked not to),
/// and a clock the test moves.
final class CommerceFixture: Sendable {
    let directory = TemporaryDirectory()
    let database: DatabasePool
    let clock = TestClock()
    let facts = ShopFacts.demo()

    init(demoCatalog: Bool = true) throws {
        database = try DatabasePool(DatabaseConfiguration(path: directory.path("shop.sqlite")), migrator: Schema.migrator())
        if demoCatalog {
            let now = clock.now
            _ = try database.write { db in try CatalogImport(now: now).apply(DemoCatalog.csv, in: db) }
        }
    }

    deinit { database.close() }

    var customers: Customers { Customers(now: clock.now) }
    var conversations: Conversations { Conversations(now: clock.now) }
    var escalations: Escalations { Escalations(now: clock.now) }
    var orders: Orders { Orders(facts: facts, now: clock.now) }

    /// A new customer known by a web chat session.
    func newCustomer(_ session: String = UUID().uuidString) throws -> Int64 {
        try database.write { db in try customers.resolve(Identity(.web, session), in: db) }
    }

    /// The stock of a variant right now.
    func stock(_ sku: String) throws -> Int {
        try database.read { db in try Catalog().variant(sku: sku, in: db)?.stock ?? -1 }
    }

    /// A complete order request for `lines`, to a parcel locker, paid by BLIK.
    func request(
        customer: Int64, _ lines: [(String, Int)], delivery: Delivery = .parcelLocker(LockerCode("WRO01M")!),
        payment: PaymentMethod = .blik
    ) -> OrderRequest {
        OrderRequest(
            customerID: customer, lines: lines.map { OrderRequestLine(sku: $0.0, quantity: $0.1) }, delivery: delivery,
            payment: payment, contact: Contact(name: "Anna Kowalska", phone: PhoneNumber("600 123 456")))
    }
}

/// A clock that stands still until a test moves it.
final class TestClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_795_000_000))

    var now: Now { { self.current.withLock { $0 } } }

    func advance(days: Double) {
        current.withLock { $0 = $0.addingTimeInterval(days * 86_400) }
    }
}
