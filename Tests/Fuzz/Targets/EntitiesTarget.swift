import Foundation
import NLU

/// The entity extractor on any text, with the demo shop's products, colours and sizes.
enum EntitiesTarget {
    static let extractor: EntityExtractor = {
        let products = [
            ProductName(productID: "jacket-nordic", names: ["kurtka zimowa", "Nordic Parka", "kurtka"]),
            ProductName(productID: "shoe-aero", names: ["Aero Run", "buty do biegania"]),
        ]
        let terms = CatalogTerms(products: products, colors: ["czarny", "biały", "granatowy"], sizes: ["38", "42.5", "XL", "100 ml"])
        return EntityExtractor(lexicons: (try? IntentCorpus.embedded().lexicons) ?? [:], catalog: terms)
    }()

    static func run(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        let scalars = text.unicodeScalars.count
        for entity in extractor.extract(from: text) {
            require(
                entity.start >= 0 && entity.start <= entity.end && entity.end <= scalars,
                "\(entity) outside a text of \(scalars) scalars")
        }
    }
}
