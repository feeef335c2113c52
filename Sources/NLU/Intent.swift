/// What a customer wants, as the classifier names it. The names are part of the contract
/// (`orderbot classify` prints them) and are the folder names under Intents/.
public enum Intent: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case greet
    case goodbye
    case thanks
    case affirm
    case deny
    case orderProduct = "order_product"
    case productInfo = "product_info"
    case orderStatus = "order_status"
    case cancelOrder = "cancel_order"
    case changeOrder = "change_order"
    case returnRequest = "return_request"
    case complaint
    case deliveryInfo = "delivery_info"
    case paymentInfo = "payment_info"
    case storeInfo = "store_info"
    case humanAgent = "human_agent"
    case invoice
    case account
    case outOfScope = "out_of_scope"

    /// The position of the intent in `allCases`: the class index of the models.
    var index: Int { Self.indexes[self]! }

    private static let indexes = Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })

    public static func < (lhs: Intent, rhs: Intent) -> Bool { lhs.index < rhs.index }
}

/// The languages OrderBot understands and answers in.
public enum Language: String, Sendable, Hashable, CaseIterable, Codable {
    case polish = "pl"
    case english = "en"
}

extension Language {
    /// The language a BCP-47 tag names (`pl`, `pl-PL`, `en_GB`…); nil for one the bot does not speak.
    public init?(tag: String) {
        switch tag.prefix(2).lowercased() {
        case "pl": self = .polish
        case "en": self = .english
        default: return nil
        }
    }
}
