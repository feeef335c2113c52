import Commerce
import ShopValues

/// An order being put together in a conversation: the cart, delivery, contact and payment,
/// and which question is open.
public struct OrderDraft: Sendable, Equatable, Codable {
    /// Lines the customer finished choosing.
    public var lines: [DraftLine] = []
    /// The line being chosen now (product, size, colour, quantity).
    public var current: DraftLine?
    /// The customer said they want nothing more.
    public var cartComplete = false
    public var deliveryMethod: String?
    public var address: DraftAddress?
    public var locker: String?
    public var store: String?
    public var contactName: String?
    public var phone: String?
    public var email: String?
    public var payment: PaymentMethod?
    /// Products offered as choices for the open product question.
    public var offeredProducts: [String] = []
    /// Products named in one message with another that was still being chosen: each becomes
    /// the line being chosen once the one before it is in the cart (nil: none, as drafts stored
    /// before it was kept read back).
    public var queuedProducts: [String]?
    /// The question the bot asked last.
    public var pending: Slot = .product

    public init() {}

    /// The lines the order would have, the current one included once it is complete.
    var allLines: [DraftLine] { lines + (current.map { $0.isComplete ? [$0] : [] } ?? []) }

    var pendingSlotName: String { pending.rawValue }

    /// The line a correction applies to: the one being chosen, else the last one chosen.
    var correctionTarget: DraftLine? {
        get { current ?? lines.last }
        set {
            if current != nil {
                current = newValue
            } else if !lines.isEmpty, let newValue {
                lines[lines.count - 1] = newValue
            }
        }
    }
}

/// One line of a draft: a product, and as much of its variant and quantity as is known.
public struct DraftLine: Sendable, Equatable, Codable {
    public var productID: String?
    public var size: String?
    public var color: String?
    public var quantity: Int?
    /// The variant, once size and colour pick exactly one.
    public var sku: String?

    public init(productID: String? = nil, size: String? = nil, color: String? = nil, quantity: Int? = nil) {
        self.productID = productID
        self.size = size
        self.color = color
        self.quantity = quantity
    }

    var isComplete: Bool { sku != nil && quantity != nil }
}

/// A courier address as the customer gave it.
public struct DraftAddress: Sendable, Equatable, Codable {
    public let street: String
    public let postcode: String
    public let city: String

    public init(street: String, postcode: String, city: String) {
        self.street = street
        self.postcode = postcode
        self.city = city
    }
}

/// The questions of an order, in the order they are asked.
public enum Slot: String, Sendable, Equatable, Codable, CaseIterable {
    case product, size, color, quantity
    case moreItems = "more_items"
    case deliveryMethod = "delivery_method"
    case address, locker, store
    case name, contact, payment, confirmation
}
