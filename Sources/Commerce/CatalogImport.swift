import Foundation
import ShopValues
import Storage

/// A catalog CSV that cannot be imported: which line, which field, and why. Nothing was changed.
public struct CatalogImportError: Error, Equatable, CustomStringConvertible {
    /// The 1-based line of the file (the header is line 1).
    public let line: Int
    /// The column at fault, when one is.
    public let field: String?
    public let message: String

    public var description: String {
        "line \(line)" + (field.map { ", \($0)" } ?? "") + ": " + message
    }
}

/// What an import did.
public struct CatalogImportSummary: Sendable, Equatable, CustomStringConvertible {
    public let products: Int
    public let variants: Int
    public let newVariants: Int
    /// Variants of the catalog the file leaves out, no longer sold (`CatalogImport.replace`);
    /// 0 for an import that keeps them.
    public let withdrawnVariants: Int

    init(products: Int, variants: Int, newVariants: Int, withdrawnVariants: Int = 0) {
        self.products = products
        self.variants = variants
        self.newVariants = newVariants
        self.withdrawnVariants = withdrawnVariants
    }

    public var description: String {
        "\(variants) variants of \(products) products imported (\(newVariants) new, \(variants - newVariants) updated)"
            + (withdrawnVariants > 0 ? "; \(withdrawnVariants) not in the file, no longer sold" : "")
    }
}

/// A catalog CSV read and checked: every row is valid, ready for `CatalogImport` to write.
/// Reading needs no database, so a large file is checked before the writer is taken.
public struct CatalogFile: Sendable {
    let rows: [CatalogImport.Row]

    /// How many variants (rows) the file has.
    public var variantCount: Int { rows.count }
}

/// Reads the catalog CSV of CONTRACT.md and writes it in one transaction: all rows or none.
///
/// `sku,product_id,name_pl,name_en,category,size,color,price,currency,stock,aliases` — one row per
/// variant; rows sharing a `product_id` are one product and must agree on its names, category
/// and aliases. Re-importing updates products and variants in place; `apply` leaves products and
/// variants that are not in the file as they are, `replace` stops selling them.
public struct CatalogImport: Sendable {
    static let columns = ["sku", "product_id", "name_pl", "name_en", "category", "size", "color", "price", "currency",
                          "stock", "aliases"]

    /// One validated row.
    struct Row {
        let line: Int
        let sku: String
        let productID: String
        let namePL: String
        let nameEN: String
        let category: String
        let size: String
        let color: String
        let price: Money
        let stock: Int
        let aliases: [String]
    }

    private let now: Now

    public init(now: @escaping Now = { Date() }) {
        self.now = now
    }

    /// Parses and checks every row; throws the first problem found.
    func rows(_ text: String) throws(CatalogImportError) -> [Row] {
        let records: [CSVReader.Record]
        do {
            records = try CSVReader.records(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        } catch {
            switch error {
            case .unterminatedQuote(let line):
                throw CatalogImportError(line: line, field: nil, message: "a quoted field is never closed")
            case .textAfterQuote(let line):
                throw CatalogImportError(line: line, field: nil, message: "text after a closing quote")
            }
        }
        guard let header = records.first else {
            throw CatalogImportError(line: 1, field: nil, message: "the file is empty; expected the header \(Self.columns.joined(separator: ","))")
        }
        let names = header.fields.map { $0.trimmedOfSpaces.lowercased() }
        var position: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            guard position[name] == nil else { throw CatalogImportError(line: 1, field: name, message: "the column appears twice") }
            position[name] = index
        }
        if let missing = Self.columns.first(where: { position[$0] == nil }) {
            throw CatalogImportError(line: 1, field: missing, message: "missing column; the header must have \(Self.columns.joined(separator: ","))")
        }
        if let extra = names.first(where: { !Self.columns.contains($0) }) {
            throw CatalogImportError(line: 1, field: extra, message: "unknown column")
        }
        var rows: [Row] = []
        rows.reserveCapacity(records.count)
        var skus: [String: Int] = [:]
        var products: [String: Row] = [:]
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                throw CatalogImportError(
                    line: record.line, field: nil, message: "\(record.fields.count) fields, the header has \(names.count)")
            }
            let row = try Self.row(record, position)
            if let first = skus[row.sku] {
                throw CatalogImportError(line: row.line, field: "sku", message: "\(row.sku) is already on line \(first)")
            }
            skus[row.sku] = row.line
            if let first = products[row.productID] {
                for (field, mine, theirs) in [("name_pl", row.namePL, first.namePL), ("name_en", row.nameEN, first.nameEN),
                                              ("category", row.category, first.category)] where mine != theirs {
                    throw CatalogImportError(
                        line: row.line, field: field,
                        message: "product \(row.productID) has \"\(theirs)\" on line \(first.line), \"\(mine)\" here")
                }
                if row.aliases != first.aliases {
                    throw CatalogImportError(
                        line: row.line, field: "aliases",
                        message: "product \(row.productID) has other aliases on line \(first.line)")
                }
            } else {
                products[row.productID] = row
            }
            rows.append(row)
        }
        return rows
    }

    private static func row(_ record: CSVReader.Record, _ position: [String: Int]) throws(CatalogImportError) -> Row {
        func value(_ column: String) -> String {
            record.fields[position[column]!].trimmedOfSpaces
        }
        func required(_ column: String) throws(CatalogImportError) -> String {
            let text = value(column)
            guard !text.isEmpty else { throw CatalogImportError(line: record.line, field: column, message: "must not be empty") }
            return text
        }
        let currencyText = value("currency").uppercased()
        let currency = currencyText.isEmpty ? "PLN" : currencyText
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw CatalogImportError(line: record.line, field: "currency", message: "\"\(currencyText)\" is not an ISO 4217 code like PLN")
        }
        let priceText = value("price")
        let decimals = priceText.split(separator: ".", omittingEmptySubsequences: false)
        guard decimals.count == 2, decimals[1].count == 2, let price = Money(decimal: priceText, currency: currency) else {
            throw CatalogImportError(line: record.line, field: "price", message: "\"\(priceText)\" is not a price like 349.00")
        }
        guard price.minorUnits <= Catalog.maximumPriceMinorUnits else {
            throw CatalogImportError(
                line: record.line, field: "price",
                message: "\"\(priceText)\" is more than \(Money(minorUnits: Catalog.maximumPriceMinorUnits, currency: currency).decimalString)")
        }
        let stockText = value("stock")
        guard let stock = Int(stockText), (0...Catalog.maximumStock).contains(stock) else {
            throw CatalogImportError(line: record.line, field: "stock", message: "\"\(stockText)\" is not a whole number of items, 0 or more")
        }
        let aliases = value("aliases").split(separator: ";").map(\.trimmedOfSpaces).filter { !$0.isEmpty }
        return Row(
            line: record.line, sku: try required("sku"), productID: try required("product_id"),
            namePL: try required("name_pl"), nameEN: try required("name_en"), category: try required("category"),
            size: value("size"), color: value("color").lowercased(), price: price, stock: stock,
            aliases: Array(Set(aliases)).sorted())
    }

    /// Reads and checks `text`; throws the first problem found.
    public func read(_ text: String) throws(CatalogImportError) -> CatalogFile {
        CatalogFile(rows: try rows(text))
    }

    /// Imports `text` in the caller's transaction. Throws before writing anything if any row is bad.
    @discardableResult
    public func apply(_ text: String, in db: Database) throws -> CatalogImportSummary {
        try apply(try read(text), in: db)
    }

    /// Makes the catalog what `file` says, in the caller's transaction: its products and variants
    /// are written as `apply` writes them, and every variant the file leaves out is no longer sold
    /// (its stock becomes 0). Those variants and their products stay, because orders refer to
    /// them, and a later file may list them again.
    @discardableResult
    public func replace(with file: CatalogFile, in db: Database) throws -> CatalogImportSummary {
        let written = try apply(file, in: db)
        let listed = Set(file.rows.map(\.sku))
        let withdraw = try db.statement("UPDATE variants SET stock = 0 WHERE sku = ?")
        var withdrawn = 0
        for sku in try db.query("SELECT sku FROM variants", as: { $0.string(0) }) where !listed.contains(sku) {
            try withdraw.bind([sku])
            withdrawn += try withdraw.run()
        }
        return CatalogImportSummary(
            products: written.products, variants: written.variants, newVariants: written.newVariants, withdrawnVariants: withdrawn)
    }

    /// Writes the rows of `file` in the caller's transaction, leaving what it does not list.
    @discardableResult
    public func apply(_ file: CatalogFile, in db: Database) throws -> CatalogImportSummary {
        let rows = file.rows
        let stamp = Timestamps.text(now())
        let existing = Set(try db.query("SELECT sku FROM variants") { $0.string(0) })
        // Prepared once, run per row: preparing is most of the cost of a small statement.
        let upsertProduct = try db.statement("""
            INSERT INTO products (id, name_pl, name_en, category, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET name_pl = excluded.name_pl, name_en = excluded.name_en,
                category = excluded.category, updated_at = excluded.updated_at
            """)
        let clearAliases = try db.statement("DELETE FROM product_aliases WHERE product_id = ?")
        let insertAlias = try db.statement("INSERT INTO product_aliases (product_id, alias) VALUES (?, ?)")
        let upsertVariant = try db.statement("""
            INSERT INTO variants (sku, product_id, size, color, price_minor, currency, stock) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (sku) DO UPDATE SET product_id = excluded.product_id, size = excluded.size,
                color = excluded.color, price_minor = excluded.price_minor, currency = excluded.currency,
                stock = excluded.stock
            """)
        var products = Set<String>()
        for row in rows where products.insert(row.productID).inserted {
            try upsertProduct.bind([row.productID, row.namePL, row.nameEN, row.category, stamp])
            try upsertProduct.run()
            try clearAliases.bind([row.productID])
            try clearAliases.run()
            for alias in row.aliases {
                try insertAlias.bind([row.productID, alias])
                try insertAlias.run()
            }
        }
        for row in rows {
            try upsertVariant.bind([row.sku, row.productID, row.size, row.color, row.price.minorUnits, row.price.currency, row.stock])
            try upsertVariant.run()
        }
        return CatalogImportSummary(
            products: products.count, variants: rows.count, newVariants: rows.filter { !existing.contains($0.sku) }.count)
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs. (Foundation's
    /// `trimmingCharacters(in:)` took most of an import's time.)
    fileprivate var trimmedOfSpaces: String {
        let isSpace: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard let first = utf8.firstIndex(where: { !isSpace($0) }), let last = utf8.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}

extension String {
    fileprivate var trimmedOfSpaces: String { self[...].trimmedOfSpaces }
}
