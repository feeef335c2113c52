/// Something concrete the customer named, with where it stands in the text.
///
/// Offsets count Unicode scalars of the original text (`start` inclusive, `end` exclusive), as
/// Python's `str` indexes do. Values are normalised: `"2"`, `"42.5"`, `"XL"`, `"black"`,
/// `"+48600123456"`, `"50-123"`, `"WRO01M"`, `"courier"`, `"blik"`, `"5260250995"`.
public struct Entity: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case quantity
        case size
        case color
        case product
        case orderNumber = "order_number"
        case phone
        case email
        case postcode
        case lockerCode = "locker_code"
        case deliveryMethod = "delivery_method"
        case paymentMethod = "payment_method"
        case nip
    }

    public let kind: Kind
    public let value: String
    public let start: Int
    public let end: Int

    public init(kind: Kind, value: String, start: Int, end: Int) {
        self.kind = kind
        self.value = value
        self.start = start
        self.end = end
    }
}

/// A product the extractor should recognise: its id and every name customers use for it
/// (catalog names in each language and aliases).
public struct ProductName: Sendable, Hashable {
    public let productID: String
    public let names: [String]

    public init(productID: String, names: [String]) {
        self.productID = productID
        self.names = names
    }
}
