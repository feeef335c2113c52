import Foundation
import ShopValues

/// What the shop tells its customers: stores and opening hours, delivery options and prices,
/// payment methods, returns and complaints. Read from a JSON file (demo defaults are built in:
/// Resources/shop-facts.json) so a shop edits them without touching code.
public struct ShopFacts: Sendable, Codable, Equatable {
    public struct Contact: Sendable, Codable, Equatable {
        public let email: String
        public let phone: String
        public let hoursPL: String
        public let hoursEN: String
        public let postalAddress: String
        /// When agents answer conversations (Polish local time); nil: always.
        public let agentHours: [OpeningHours]?

        // The decoder turns hours_pl into hoursPl before matching keys.
        enum CodingKeys: String, CodingKey {
            case email, phone, postalAddress, agentHours
            case hoursPL = "hoursPl", hoursEN = "hoursEn"
        }
    }

    public struct OpeningHours: Sendable, Codable, Equatable {
        /// "mon-fri", "sat", "sun", "mon-sun"…
        public let days: String
        public let open: String?
        public let close: String?
        public let closed: Bool?
    }

    public struct Store: Sendable, Codable, Equatable {
        public let id: String
        public let name: String
        public let address: String
        public let phone: String
        public let hours: [OpeningHours]
        /// Whether online orders can be picked up here.
        public let pickup: Bool
    }

    public struct DeliveryOption: Sendable, Codable, Equatable {
        /// courier, parcel_locker or store_pickup.
        public let method: String
        public let namePL: String
        public let nameEN: String
        public let price: String
        /// The order value from which this option is free, when it ever is.
        public let freeFrom: String?
        /// Working days to delivery, as text ("1–2").
        public let days: String

        enum CodingKeys: String, CodingKey {
            case method, price, freeFrom, days
            case namePL = "namePl", nameEN = "nameEn"
        }
    }

    public struct Returns: Sendable, Codable, Equatable {
        public let days: Int
        public let freeViaParcelLocker: Bool
        public let refundDays: Int
    }

    public struct Complaints: Sendable, Codable, Equatable {
        public let answerDays: Int
    }

    public let name: String
    public let currency: String
    public let contact: Contact
    public let stores: [Store]
    public let delivery: [DeliveryOption]
    /// ISO country codes the shop delivers to.
    public let countries: [String]
    public let internationalDeliveryPrice: String
    public let paymentMethods: [String]
    public let cashOnDeliveryFee: String
    public let returns: Returns
    public let complaints: Complaints
    /// The most items of one variant on one order line.
    public let orderLineQuantityLimit: Int

    /// Why a shop-facts file cannot be used.
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The demo facts built into the binary.
    public static func demo() -> ShopFacts {
        // The built-in file is part of the build and tested: it always decodes.
        try! decode(Data(PackageResources.shop_facts_json))
    }

    /// The facts in a JSON file laid out like Resources/shop-facts.json.
    public static func load(_ url: URL) throws(Failure) -> ShopFacts {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Failure(message: "cannot read shop facts from \(url.path)")
        }
        do {
            return try decode(data)
        } catch {
            throw Failure(message: "\(url.path) is not valid shop facts: \(error)")
        }
    }

    static func decode(_ data: Data) throws -> ShopFacts {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let facts = try decoder.decode(ShopFacts.self, from: data)
        try facts.validate()
        return facts
    }

    private func validate() throws {
        for option in delivery {
            guard ["courier", "parcel_locker", "store_pickup"].contains(option.method) else {
                throw Failure(message: "delivery method \(option.method) is not courier, parcel_locker or store_pickup")
            }
            guard Money(decimal: option.price, currency: currency) != nil,
                  option.freeFrom.map({ Money(decimal: $0, currency: currency) != nil }) ?? true else {
                throw Failure(message: "delivery \(option.method) has a price that is not like 14.99")
            }
        }
        guard Money(decimal: cashOnDeliveryFee, currency: currency) != nil,
              Money(decimal: internationalDeliveryPrice, currency: currency) != nil else {
            throw Failure(message: "fees must be amounts like 5.00")
        }
        guard orderLineQuantityLimit > 0 else { throw Failure(message: "order_line_quantity_limit must be positive") }
    }

    /// The delivery option for a method, if the shop offers it.
    public func deliveryOption(_ method: String) -> DeliveryOption? { delivery.first { $0.method == method } }

    /// What delivering an order worth `items` by `method` costs (free above the option's threshold).
    public func deliveryPrice(_ method: String, items: Money) -> Money? {
        guard let option = deliveryOption(method), let price = Money(decimal: option.price, currency: items.currency)
        else { return nil }
        if let threshold = option.freeFrom.flatMap({ Money(decimal: $0, currency: items.currency) }), !(items < threshold) {
            return .zero(items.currency)
        }
        return price
    }

    /// The extra charge for paying cash on delivery.
    public var cashOnDeliveryCharge: Money { Money(decimal: cashOnDeliveryFee, currency: currency) ?? .zero(currency) }

    /// The store with `id`, if there is one.
    public func store(_ id: String) -> Store? { stores.first { $0.id == id } }
}
