import Foundation
@testable import Commerce
import NLU

/// A shop's catalog file as `orderbot import-catalog` reads it: rows checked, then the words the
/// understanding takes from a catalog (colours, sizes, names) built from the rows accepted.
enum CatalogCSVTarget {
    static func run(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        guard let rows = try? CatalogImport().rows(text) else { return }
        let names = Dictionary(grouping: rows, by: \.productID).map { id, rows in
            ProductName(productID: id, names: [rows[0].namePL, rows[0].nameEN] + rows[0].aliases)
        }
        let terms = CatalogTerms(products: names, colors: rows.map(\.color), sizes: rows.map(\.size))
        let extractor = EntitiesTarget.extractor.with(catalog: terms)
        for row in rows.prefix(3) {
            _ = extractor.extract(from: "poproszę \(row.namePL) \(row.color) w rozmiarze \(row.size)")
        }
    }
}
