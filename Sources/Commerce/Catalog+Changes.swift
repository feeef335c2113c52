import ShopValues
import Storage

/// New values for one variant from the shop's systems; nil leaves a value as it is.
public struct VariantChange: Sendable, Equatable {
    /// The items in stock, 0 to `Catalog.maximumStock`.
    public var stock: Int?
    /// The price, with its currency.
    public var price: Money?

    public init(stock: Int? = nil, price: Money? = nil) {
        self.stock = stock
        self.price = price
    }
}

extension Catalog {
    /// The most items of one variant the catalog takes: more is a typo, not a warehouse.
    public static let maximumStock = 1_000_000

    /// The highest price a variant may have, in minor units (1,000,000.00): far above anything a
    /// shop sells in a conversation, and low enough that no order's arithmetic can overflow
    /// (20 items a line at most).
    public static let maximumPriceMinorUnits: Int64 = 100_000_000

    /// Applies `change` to the variant `sku` in the caller's transaction; returns the variant as
    /// it now is, or nil for an unknown SKU (nothing written).
    public func update(_ sku: String, with change: VariantChange, in db: Database) throws -> Variant? {
        guard try variant(sku: sku, in: db) != nil else { return nil }
        if let stock = change.stock {
            try db.run("UPDATE variants SET stock = ? WHERE sku = ?", stock, sku)
        }
        if let price = change.price {
            try db.run("UPDATE variants SET price_minor = ?, currency = ? WHERE sku = ?", price.minorUnits, price.currency, sku)
        }
        return try variant(sku: sku, in: db)
    }
}
