import Foundation
import Storage
import Testing
import TestSupport

/// `orderbot import-catalog` as users run it, and what `serve` then sells.
@Suite(.serialized)
struct ImportCatalogCommandTests {
    static let header = "sku,product_id,name_pl,name_en,category,size,color,price,currency,stock,aliases"

    private static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    private static func variantCount(_ path: String) throws -> Int {
        let database = try Database(path: path, readOnly: true)
        return try database.queryFirst("SELECT count(*) FROM variants") { $0.int(0) } ?? -1
    }

    /// A good file imports and says what it did; importing it again updates in place; `serve`
    /// then keeps the shop's own catalog instead of loading the demo one.
    @Test func importsThenServesTheShopsCatalog() async throws {
        let directory = TemporaryDirectory()
        let database = directory.path("shop.sqlite")
        let csv = directory.path("catalog.csv")
        try Self.write("\(Self.header)\nSHOE-42,shoe,Buty,Shoes,sneakers,42,black,349.00,PLN,3,\nSOCK-1,sock,Skarpety,Socks,socks,,white,19.99,PLN,10,\n", to: csv)
        let first = try await blocking { try ServerProcess.run(["import-catalog", csv, "--db", database]) }
        let second = try await blocking { try ServerProcess.run(["import-catalog", csv], environment: ["ORDERBOT_DB": database]) }
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.contains("2 variants of 2 products imported (2 new, 0 updated)"))
        #expect(second.output.contains("(0 new, 2 updated)"))
        let log = try await blocking {
            let server = try ServerProcess(["serve", "--port", "0", "--db", database])
            _ = try server.waitForPort()
            server.send(signal: SIGTERM)
            _ = server.waitForExit()
            return server.standardError
        }
        #expect(!log.contains("demo catalog"))
        #expect(try Self.variantCount(database) == 2)
    }

    /// A bad file exits 1 with the file, line and field, and the database keeps what it had.
    @Test func badFileChangesNothing() async throws {
        let directory = TemporaryDirectory()
        let database = directory.path("shop.sqlite")
        let good = directory.path("good.csv")
        let bad = directory.path("bad.csv")
        try Self.write("\(Self.header)\nSHOE-42,shoe,Buty,Shoes,sneakers,42,black,349.00,PLN,3,\n", to: good)
        try Self.write("\(Self.header)\nSOCK-1,sock,Skarpety,Socks,socks,,white,19.99,PLN,10,\nSOCK-2,sock,Skarpety,Socks,socks,,red,19.99,PLN,-2,\n", to: bad)
        _ = try await blocking { try ServerProcess.run(["import-catalog", good, "--db", database]) }
        let refused = try await blocking { try ServerProcess.run(["import-catalog", bad, "--db", database]) }
        #expect(refused.status == 1)
        #expect(refused.error.contains("\(bad): line 3, stock: \"-2\" is not a whole number of items, 0 or more; nothing was imported"))
        #expect(try Self.variantCount(database) == 1)
    }

    /// Usage mistakes exit 64 with help; a missing file exits 1 naming it.
    @Test func usageAndMissingFile() async throws {
        let directory = TemporaryDirectory()
        let none = try await blocking { try ServerProcess.run(["import-catalog", "--db", directory.path("x.sqlite")]) }
        let missing = try await blocking {
            try ServerProcess.run(["import-catalog", directory.path("nope.csv"), "--db", directory.path("x.sqlite")])
        }
        let help = try await blocking { try ServerProcess.run(["import-catalog", "--help"]) }
        #expect(none.status == 64)
        #expect(none.error.contains("import-catalog takes one FILE.csv"))
        #expect(missing.status == 1)
        #expect(missing.error.contains("cannot read \(directory.path("nope.csv"))"))
        #expect(help.status == 0 && help.output.hasPrefix("Usage: orderbot import-catalog"))
    }
}
