@testable import Commerce
import Foundation
import ShopValues
import Storage
import Testing

/// The shop's systems changing the catalog: a whole new file that the catalog becomes, and one
/// variant's stock or price.
struct CatalogChangesTests {
    static let header = CatalogImportTests.header

    /// Replacing writes the file's rows and stops selling every variant it leaves out, ordered
    /// or not; they stay, with their products, and a later file brings them back.
    @Test func replaceWithdrawsWhatTheFileLeavesOut() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        let first = """
            \(Self.header)
            SHOE-42,shoe,Buty Test,Test shoes,sneakers,42,black,349.00,PLN,3,testy
            SHOE-43,shoe,Buty Test,Test shoes,sneakers,43,black,349.00,PLN,5,testy
            SOCK-1,sock,Skarpety,Socks,socks,39-42,white,19.99,PLN,10,
            """
        let second = """
            \(Self.header)
            SHOE-42,shoe,Buty Test,Test shoes,sneakers,42,black,299.00,PLN,4,testy
            HAT-1,hat,Czapka,Hat,hats,,red,49.00,PLN,2,
            """
        _ = try fixture.database.write { db in try CatalogImport().replace(with: try CatalogImport().read(first), in: db) }
        let customer = try fixture.newCustomer()
        _ = try fixture.database.write { db in
            try fixture.orders.place(OrderRequest(
                customerID: customer, lines: [OrderRequestLine(sku: "SOCK-1", quantity: 1)],
                delivery: .parcelLocker(LockerCode("WRO01M")!), payment: .blik,
                contact: Contact(name: "Anna Nowak", phone: PhoneNumber("600123456"))), in: db)
        }
        let summary = try fixture.database.write { db in try CatalogImport().replace(with: try CatalogImport().read(second), in: db) }

        #expect(summary == CatalogImportSummary(products: 2, variants: 2, newVariants: 1, withdrawnVariants: 2))
        #expect(try fixture.stock("SHOE-42") == 4)
        #expect(try fixture.stock("HAT-1") == 2)
        #expect(try fixture.stock("SHOE-43") == 0)
        #expect(try fixture.stock("SOCK-1") == 0, "an ordered variant stays, not sold")
        let sock = try fixture.database.read { db in try Catalog().product("sock", in: db) }
        #expect(sock?.variants.map(\.sku) == ["SOCK-1"])

        _ = try fixture.database.write { db in try CatalogImport().replace(with: try CatalogImport().read(first), in: db) }
        #expect(try fixture.stock("SOCK-1") == 10)
        #expect(try fixture.stock("HAT-1") == 0)
    }

    /// The summary says how many variants the file leaves out, in words for the command line.
    @Test func summaryNamesWithdrawnVariants() {
        let summary = CatalogImportSummary(products: 2, variants: 3, newVariants: 1, withdrawnVariants: 4)
        #expect(summary.description == "3 variants of 2 products imported (1 new, 2 updated); 4 not in the file, no longer sold")
        #expect(!CatalogImportSummary(products: 1, variants: 1, newVariants: 1).description.contains("no longer sold"))
    }

    /// A file is read and checked without a database; a bad one is refused with its line and field.
    @Test func readChecksWithoutADatabase() throws {
        let file = try CatalogImport().read("\(Self.header)\nX-1,x,X,X,socks,,black,12.00,PLN,1,\n")
        #expect(file.variantCount == 1)
        let error = #expect(throws: CatalogImportError.self) {
            try CatalogImport().read("\(Self.header)\nX-1,x,X,X,socks,,black,12.00,PLN,1000001,\n")
        }
        #expect(error?.line == 2 && error?.field == "stock")
    }

    /// A change sets stock, price (with its currency) or both, and leaves the rest; an unknown
    /// SKU is nil and writes nothing.
    @Test func updateChangesOnlyWhatItNames() throws {
        let fixture = try CommerceFixture()
        let before = try #require(try fixture.database.read { db in try Catalog().variant(sku: "AERO-RUN-42-BLK", in: db) })
        let stocked = try fixture.database.write { db in
            try Catalog().update("AERO-RUN-42-BLK", with: VariantChange(stock: 7), in: db)
        }
        #expect(stocked?.stock == 7 && stocked?.price == before.price)
        let priced = try fixture.database.write { db in
            try Catalog().update("AERO-RUN-42-BLK", with: VariantChange(price: Money(minorUnits: 29_900, currency: "PLN")), in: db)
        }
        #expect(priced?.stock == 7 && priced?.price == Money(minorUnits: 29_900, currency: "PLN"))
        #expect(priced?.size == before.size && priced?.color == before.color && priced?.productID == before.productID)
        let unknown = try fixture.database.write { db in try Catalog().update("NO-SUCH-SKU", with: VariantChange(stock: 1), in: db) }
        #expect(unknown == nil)
        #expect(try fixture.database.read { db in try Catalog().variant(sku: "NO-SUCH-SKU", in: db) } == nil)
    }
}
