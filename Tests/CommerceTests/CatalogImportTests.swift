@testable import Commerce
import Foundation
import ShopValues
import Storage
import Testing

/// The catalog CSV import: all rows or none, errors that name the line and field, updates in place.
struct CatalogImportTests {
    static let header = "sku,product_id,name_pl,name_en,category,size,color,price,currency,stock,aliases"

    /// Everything the catalog holds, as one comparable text.
    private static func snapshot(_ fixture: CommerceFixture) throws -> String {
        try fixture.database.read { db in
            let variants = try db.query(
                "SELECT sku, product_id, size, color, price_minor, currency, stock FROM variants ORDER BY sku"
            ) { row in (0..<7).map { "\(row.value($0))" }.joined(separator: "|") }
            let products = try db.query("SELECT id, name_pl, name_en, category FROM products ORDER BY id") { row in
                (0..<4).map { row.string($0) }.joined(separator: "|")
            }
            let aliases = try db.query("SELECT product_id, alias FROM product_aliases ORDER BY 1, 2") { "\($0.string(0))=\($0.string(1))" }
            return (variants + products + aliases).joined(separator: "\n")
        }
    }

    /// The built-in demo catalog loads: about 40 products of shoes and clothes, some out of stock.
    @Test func demoCatalogLoads() throws {
        let fixture = try CommerceFixture()
        let products = try fixture.database.read { db in try Catalog().products(in: db) }
        #expect((35...45).contains(products.count))
        let variants = products.flatMap(\.variants)
        #expect(variants.count >= 400)
        #expect(products.contains { $0.inStock.isEmpty }, "one product is sold out")
        #expect(variants.contains { $0.stock == 0 } && variants.contains { $0.stock == 1 })
        #expect(Set(products.map(\.category)).isSuperset(of: ["running_shoes", "jackets", "socks"]))
    }

    /// Lookups the dialogue needs: by alias (inflected, without diacritics), by size and colour.
    @Test func lookups() throws {
        let fixture = try CommerceFixture()
        try fixture.database.read { db in
            #expect(try Catalog().search("aero runów", in: db) == ["aero-run"])
            #expect(try Catalog().search("NORDIC PARKA", in: db) == ["nordic-parka"])
            #expect(try Catalog().search("no such thing", in: db).isEmpty)
            let black42 = try Catalog().variants(of: "aero-run", size: "42", color: "czarny", in: db)
            #expect(black42.map(\.sku) == ["AERO-RUN-42-BLK"])
            #expect(black42.first?.price == Money(decimal: "349.00"))
            let allBlack = try Catalog().variants(of: "aero-run", color: "czarny", in: db)
            #expect(allBlack.count > 1 && allBlack.allSatisfy { $0.color == "czarny" })
            let names = try Catalog().names(in: db)
            #expect(names.first { $0.productID == "aero-run" }?.names.contains("Buty do biegania Aero Run") == true)
        }
    }

    /// Importing again updates prices, stock and names in place; nothing is duplicated.
    @Test func reimportUpdatesInPlace() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        let first = """
            \(Self.header)
            SHOE-42,shoe,Buty Test,Test shoes,sneakers,42,black,349.00,PLN,3,testy;test shoe
            SHOE-43,shoe,Buty Test,Test shoes,sneakers,43,black,349.00,PLN,5,testy;test shoe
            """
        let second = """
            \(Self.header)
            SHOE-42,shoe,Buty Testowe,Test shoes,sneakers,42,black,299.50,PLN,7,testowe
            SOCK-1,sock,Skarpety,Socks,socks,39-42,white,19.99,,10,
            """
        let summaries = try [first, second].map { text in try fixture.database.write { db in try CatalogImport().apply(text, in: db) } }
        #expect(summaries[0] == CatalogImportSummary(products: 1, variants: 2, newVariants: 2))
        #expect(summaries[1] == CatalogImportSummary(products: 2, variants: 2, newVariants: 1))
        try fixture.database.read { db in
            let shoe = try #require(try Catalog().product("shoe", in: db))
            #expect(shoe.namePL == "Buty Testowe")
            #expect(shoe.aliases == ["testowe"])
            #expect(shoe.variants.map(\.sku) == ["SHOE-42", "SHOE-43"])
            #expect(shoe.variants[0].price.minorUnits == 29_950 && shoe.variants[0].stock == 7)
            #expect(shoe.variants[1].stock == 5, "a variant not in the file is left as it was")
            #expect(try Catalog().variant(sku: "SOCK-1", in: db)?.price == Money(minorUnits: 1_999, currency: "PLN"))
            #expect(try Catalog().variantCount(in: db) == 3)
        }
    }

    /// Each kind of bad file is refused with its line and field, and the catalog stays exactly
    /// as it was (the demo catalog here), even when the bad row comes after good ones.
    @Test(arguments: [
        ("bad price", "AERO-RUN-42-BLK,aero-run,Buty do biegania Aero Run,Aero Run running shoes,running_shoes,42,black,349.00,PLN,1,\nX-2,x,X,X,socks,,black,12.5,PLN,1,", 3, "price"),
        ("price with letters", "X-1,x,X,X,socks,,black,12.00zł,PLN,1,", 2, "price"),
        ("price past any order's arithmetic", "X-1,x,X,X,socks,,black,99999999999999.00,PLN,1,", 2, "price"),
        ("negative stock", "X-1,x,X,X,socks,,black,12.00,PLN,1,\nX-2,x,X,X,socks,,red,12.00,PLN,-1,", 3, "stock"),
        ("fractional stock", "X-1,x,X,X,socks,,black,12.00,PLN,1.5,", 2, "stock"),
        ("duplicate sku", "X-1,x,X,X,socks,,black,12.00,PLN,1,\nX-2,x,X,X,socks,,red,12.00,PLN,1,\nX-1,x,X,X,socks,,blue,12.00,PLN,1,", 4, "sku"),
        ("empty name", "X-1,x,,X,socks,,black,12.00,PLN,1,", 2, "name_pl"),
        ("bad currency", "X-1,x,X,X,socks,,black,12.00,złoty,1,", 2, "currency"),
        ("product disagrees", "X-1,x,X,X,socks,,black,12.00,PLN,1,\nX-2,x,Y,X,socks,,red,12.00,PLN,1,", 3, "name_pl"),
    ] as [(String, String, Int, String)])
    func badRowChangesNothing(_ problem: String, _ rows: String, _ line: Int, _ field: String) throws {
        let fixture = try CommerceFixture()
        let before = try Self.snapshot(fixture)
        let error = #expect(throws: CatalogImportError.self, "\(problem)") {
            try fixture.database.write { db in try CatalogImport().apply(Self.header + "\n" + rows + "\n", in: db) }
        }
        #expect(error?.line == line, "\(problem): \(String(describing: error))")
        #expect(error?.field == field, "\(problem): \(String(describing: error))")
        #expect(error?.description.hasPrefix("line \(line), \(field): ") == true)
        #expect(try Self.snapshot(fixture) == before)
    }

    /// A file whose header lacks a column, has a column twice, or is not CSV at all is refused
    /// before any row is read.
    @Test(arguments: [
        ("sku,product_id,name_pl,name_en,category,size,color,currency,stock,aliases\nX-1,x,X,X,socks,,black,PLN,1,", 1, "price"),
        ("sku,sku,product_id,name_pl,name_en,category,size,color,price,currency,stock,aliases\n", 1, "sku"),
        ("", 1, nil),
        ("\(header)\nX-1,x,X,X,socks,,black,12.00,PLN,1", 2, nil),
        ("\(header)\n\"X-1,x,X,X,socks,,black,12.00,PLN,1,\n", 2, nil),
    ] as [(String, Int, String?)])
    func badHeaderOrShapeChangesNothing(_ text: String, _ line: Int, _ field: String?) throws {
        let fixture = try CommerceFixture()
        let before = try Self.snapshot(fixture)
        let error = #expect(throws: CatalogImportError.self) {
            try fixture.database.write { db in try CatalogImport().apply(text, in: db) }
        }
        #expect(error?.line == line)
        #expect(error?.field == field)
        #expect(try Self.snapshot(fixture) == before)
    }

    /// Quoted fields with commas, quotes and a byte-order mark at the start are read as written.
    @Test func quotingAndByteOrderMark() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        let text = "\u{FEFF}\(Self.header)\r\n\"Q-1\",q,\"Buty \"\"Quote\"\", damskie\",Quote shoes,sneakers,38,beige,199.00,PLN,2,\"q, one;q two\"\r\n"
        _ = try fixture.database.write { db in try CatalogImport().apply(text, in: db) }
        let product = try #require(try fixture.database.read { db in try Catalog().product("q", in: db) })
        #expect(product.namePL == "Buty \"Quote\", damskie")
        #expect(product.aliases == ["q two", "q, one"])
    }
}
