import Storage

/// The built-in demo catalog (Resources/demo-catalog.csv): about 40 products of a shoe and
/// clothing shop, so a fresh server has something to sell.
public enum DemoCatalog {
    /// The catalog CSV as built into the binary.
    public static var csv: String { String(decoding: PackageResources.demo_catalog_csv, as: UTF8.self) }

    /// Loads the demo catalog when the catalog is empty; returns what was loaded, or nil when
    /// the shop already has products (its own catalog is never touched).
    public static func seedIfEmpty(in db: Database, now: @escaping Now) throws -> CatalogImportSummary? {
        guard try Catalog().variantCount(in: db) == 0 else { return nil }
        return try CatalogImport(now: now).apply(csv, in: db)
    }
}
