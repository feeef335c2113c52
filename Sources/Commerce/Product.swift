import ShopValues

/// A product of the catalog: its names, category, aliases and variants.
public struct Product: Sendable, Hashable, Codable {
    public let id: String
    public let namePL: String
    public let nameEN: String
    public let category: String
    public let aliases: [String]
    public let variants: [Variant]

    public init(id: String, namePL: String, nameEN: String, category: String, aliases: [String], variants: [Variant]) {
        self.id = id
        self.namePL = namePL
        self.nameEN = nameEN
        self.category = category
        self.aliases = aliases
        self.variants = variants
    }

    /// The name in `language` ("pl" or "en").
    public func name(in language: String) -> String { language == "en" ? nameEN : namePL }

    /// Variants with at least one item in stock.
    public var inStock: [Variant] { variants.filter { $0.stock > 0 } }
}

/// One sellable variant: a product in one size and colour, with its price and stock.
public struct Variant: Sendable, Hashable, Codable {
    public let sku: String
    public let productID: String
    /// EU shoe size ("42", "42.5"), clothing size ("M"), or empty for one size.
    public let size: String
    /// Lowercase English colour ("black"), or empty.
    public let color: String
    public let price: Money
    public let stock: Int

    public init(sku: String, productID: String, size: String, color: String, price: Money, stock: Int) {
        self.sku = sku
        self.productID = productID
        self.size = size
        self.color = color
        self.price = price
        self.stock = stock
    }
}
