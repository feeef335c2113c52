import Foundation
import Storage
import ShopValues

/// Reads the catalog: products with their variants, the names customers use for them, and what
/// is in stock.
public struct Catalog: Sendable {
    public init() {}

    /// Sets a variant's stock (a fixture's or an operator's correction); false for an unknown SKU.
    @discardableResult
    public func setStock(sku: String, to stock: Int, in db: Database) throws -> Bool {
        try db.run("UPDATE variants SET stock = ? WHERE sku = ?", stock, sku) == 1
    }

    /// Every product with its variants, by id.
    public func products(in db: Database) throws -> [Product] {
        let aliases = Dictionary(grouping: try db.query("SELECT product_id, alias FROM product_aliases ORDER BY alias") {
            ($0.string(0), $0.string(1))
        }, by: \.0).mapValues { $0.map(\.1) }
        let variants = Dictionary(grouping: try db.query(Self.variantSelect + " ORDER BY product_id, sku", as: Self.variant),
                                  by: \.productID)
        return try db.query("SELECT id, name_pl, name_en, category FROM products ORDER BY id") { row in
            let id = row.string(0)
            return Product(
                id: id, namePL: row.string(1), nameEN: row.string(2), category: row.string(3),
                aliases: aliases[id] ?? [], variants: variants[id] ?? [])
        }
    }

    /// One product with its variants, or nil.
    public func product(_ id: String, in db: Database) throws -> Product? {
        guard let head = try db.queryFirst("SELECT id, name_pl, name_en, category FROM products WHERE id = ?", id, as: {
            ($0.string(0), $0.string(1), $0.string(2), $0.string(3))
        }) else { return nil }
        let aliases = try db.query("SELECT alias FROM product_aliases WHERE product_id = ? ORDER BY alias", id) { $0.string(0) }
        let variants = try db.query(Self.variantSelect + " WHERE product_id = ? ORDER BY sku", id, as: Self.variant)
        return Product(id: head.0, namePL: head.1, nameEN: head.2, category: head.3, aliases: aliases, variants: variants)
    }

    /// The variant with `sku`, or nil.
    public func variant(sku: String, in db: Database) throws -> Variant? {
        try db.queryFirst(Self.variantSelect + " WHERE sku = ?", sku, as: Self.variant)
    }

    /// The variants of a product matching a size and/or colour (nil matches any), in stock or not.
    public func variants(of productID: String, size: String? = nil, color: String? = nil, in db: Database) throws -> [Variant] {
        try db.query(
            Self.variantSelect + " WHERE product_id = ?1 AND (?2 IS NULL OR size = ?2) AND (?3 IS NULL OR color = ?3) ORDER BY sku",
            productID, size, color, as: Self.variant)
    }

    /// The products whose name or an alias contains `text` (case-insensitive, diacritics as given).
    public func search(_ text: String, in db: Database) throws -> [String] {
        let pattern = "%" + text.lowercased() + "%"
        return try db.query("""
            SELECT DISTINCT p.id FROM products p LEFT JOIN product_aliases a ON a.product_id = p.id
            WHERE lower(p.name_pl) LIKE ?1 OR lower(p.name_en) LIKE ?1 OR lower(a.alias) LIKE ?1 ORDER BY p.id
            """, pattern) { $0.string(0) }
    }

    /// Every product's names and aliases, for the entity extractor to recognise.
    public func names(in db: Database) throws -> [(productID: String, names: [String])] {
        try products(in: db).map { ($0.id, [$0.namePL, $0.nameEN] + $0.aliases) }
    }

    /// How many variants the catalog has.
    public func variantCount(in db: Database) throws -> Int {
        try db.queryFirst("SELECT count(*) FROM variants") { $0.int(0) } ?? 0
    }

    static let variantSelect = "SELECT sku, product_id, size, color, price_minor, currency, stock FROM variants"

    static func variant(_ row: Row) -> Variant {
        Variant(
            sku: row.string(0), productID: row.string(1), size: row.string(2), color: row.string(3),
            price: Money(minorUnits: row.int64(4), currency: row.string(5)), stock: row.int(6))
    }
}
