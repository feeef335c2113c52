/// A shop's own words, from its catalog: what it calls its products, and the colours and sizes
/// its variants come in, written as the shop writes them ("czarny", "Light blue", "200 ml",
/// "48-50", "XL").
public struct CatalogTerms: Sendable, Hashable {
    public var products: [ProductName]
    public var colors: [String]
    public var sizes: [String]

    public init(products: [ProductName] = [], colors: [String] = [], sizes: [String] = []) {
        self.products = products
        self.colors = colors
        self.sizes = sizes
    }
}
