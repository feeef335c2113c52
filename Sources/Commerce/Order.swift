import Foundation
import ShopValues

/// Where an order is in its life. `new → paid → packed → shipped → delivered`, with steps
/// skipped as the shop works (cash on delivery ships unpaid; a warehouse may not report
/// packing); an order not yet shipped can be cancelled, and a shipped or delivered one can come
/// back (`returned`, as the warehouse reports it).
public enum OrderStatus: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case new, paid, packed, shipped, delivered, cancelled, returned

    /// The statuses this one may move to.
    public var successors: Set<OrderStatus> {
        switch self {
        case .new: [.paid, .packed, .shipped, .cancelled]
        case .paid: [.packed, .shipped, .cancelled]
        case .packed: [.shipped, .cancelled]
        case .shipped: [.delivered, .returned]
        case .delivered: [.returned]
        case .cancelled, .returned: []
        }
    }

    public func canMove(to next: OrderStatus) -> Bool { successors.contains(next) }

    /// Not yet handed to a carrier: the customer may still cancel or redirect it.
    public var isBeforeShipping: Bool { self == .new || self == .paid || self == .packed }

    public var description: String { rawValue }
}

/// Whether the money for an order came in (a payment provider's callback, or the shop saying
/// so). Cash on delivery and deferred payments stay `unpaid` until the shop says otherwise.
public enum PaymentStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case unpaid, paid, failed, refunded
}

/// How to follow a shipped parcel, as the shop's warehouse reports it.
public struct Tracking: Sendable, Hashable {
    public let carrier: String?
    public let number: String?
    public let url: String?

    public init(carrier: String?, number: String?, url: String?) {
        self.carrier = carrier
        self.number = number
        self.url = url
    }

    /// Nil when none of the three is known.
    public static func known(carrier: String?, number: String?, url: String?) -> Tracking? {
        carrier == nil && number == nil && url == nil ? nil : Tracking(carrier: carrier, number: number, url: url)
    }
}

/// How the customer pays.
public enum PaymentMethod: String, Sendable, Hashable, Codable, CaseIterable {
    case blik, card
    case bankTransfer = "bank_transfer"
    case cashOnDelivery = "cash_on_delivery"
    /// Pay later (within 30 days).
    case deferred
}

/// A street address in Poland.
public struct Address: Sendable, Hashable, Codable {
    public let street: String
    public let postcode: Postcode
    public let city: String

    public init(street: String, postcode: Postcode, city: String) {
        self.street = street
        self.postcode = postcode
        self.city = city
    }
}

/// How an order reaches the customer.
public enum Delivery: Sendable, Hashable {
    case courier(Address)
    case parcelLocker(LockerCode)
    /// Pickup in one of the shop's stores, by store id (shop facts).
    case storePickup(storeID: String)

    /// courier, parcel_locker or store_pickup, as the shop facts and the database name it.
    public var method: String {
        switch self {
        case .courier: "courier"
        case .parcelLocker: "parcel_locker"
        case .storePickup: "store_pickup"
        }
    }
}

/// Who to reach about an order.
public struct Contact: Sendable, Hashable {
    public let name: String
    public let phone: PhoneNumber?
    public let email: EmailAddress?

    public init(name: String, phone: PhoneNumber? = nil, email: EmailAddress? = nil) {
        self.name = name
        self.phone = phone
        self.email = email
    }
}

/// Company details for a VAT invoice; the NIP's checksum was verified when it was parsed.
public struct InvoiceDetails: Sendable, Hashable {
    public let company: String
    public let nip: NIP
    public let address: String

    public init(company: String, nip: NIP, address: String) {
        self.company = company
        self.nip = nip
        self.address = address
    }
}

/// One line of an order being put together: which variant, how many.
public struct OrderRequestLine: Sendable, Hashable, Codable {
    public let sku: String
    public let quantity: Int

    public init(sku: String, quantity: Int) {
        self.sku = sku
        self.quantity = quantity
    }
}

/// Everything needed to place an order. Prices are not part of it: they come from the catalog
/// when the order is placed.
public struct OrderRequest: Sendable, Hashable {
    public var customerID: Int64
    public var conversationID: Int64?
    public var lines: [OrderRequestLine]
    public var delivery: Delivery
    public var payment: PaymentMethod
    public var contact: Contact
    public var invoice: InvoiceDetails?

    public init(
        customerID: Int64, conversationID: Int64? = nil, lines: [OrderRequestLine], delivery: Delivery,
        payment: PaymentMethod, contact: Contact, invoice: InvoiceDetails? = nil
    ) {
        self.customerID = customerID
        self.conversationID = conversationID
        self.lines = lines
        self.delivery = delivery
        self.payment = payment
        self.contact = contact
        self.invoice = invoice
    }
}

/// A line of a placed order, with the name and price it had when it was ordered.
public struct OrderLine: Sendable, Hashable {
    public let line: Int
    public let sku: String
    public let productID: String
    public let namePL: String
    public let nameEN: String
    public let size: String
    public let color: String
    public let quantity: Int
    public let unitPrice: Money
    public let lineTotal: Money
}

/// A change of an order's status.
public struct StatusChange: Sendable, Hashable {
    public let status: OrderStatus
    public let note: String?
    public let at: Date
}

/// A return the customer asked for.
public struct ReturnCase: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable { case open, accepted, rejected, refunded }

    public let id: Int64
    public let reason: String
    public let status: Status
    public let createdAt: Date
    public let lines: [OrderRequestLine]
}

/// A placed order, as the system of record keeps it.
public struct Order: Sendable, Hashable {
    public let number: OrderNumber
    public let customerID: Int64
    public let conversationID: Int64?
    public let status: OrderStatus
    public let lines: [OrderLine]
    public let itemsTotal: Money
    public let deliveryPrice: Money
    /// The cash-on-delivery fee, zero for other payment methods.
    public let paymentFee: Money
    public let total: Money
    public let delivery: Delivery
    public let payment: PaymentMethod
    public let contact: Contact
    public let invoice: InvoiceDetails?
    public let createdAt: Date
    public let updatedAt: Date
    public let history: [StatusChange]
    public let returns: [ReturnCase]
    /// The parcel's carrier and tracking number, once the shop reported them.
    public let tracking: Tracking?
    public let paymentStatus: PaymentStatus
    public let paidAt: Date?

    /// Paid online (BLIK, card, transfer): the customer owes the money before the parcel ships.
    public var isPaidOnline: Bool { payment == .blik || payment == .card || payment == .bankTransfer }
}
