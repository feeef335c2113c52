import Commerce
import Foundation
import ShopValues
import Testing
import TestSupport

/// The shop facts: the built-in demo file, delivery prices, and loading a shop's own file.
struct ShopFactsTests {
    /// The demo facts as a JSON object laid out like Resources/shop-facts.json.
    private static func demoJSON() throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(ShopFacts.demo())
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Writes `json` to a file in `directory` and loads it.
    private static func load(_ json: [String: Any], in directory: TemporaryDirectory) throws -> ShopFacts {
        let url = directory.url.appendingPathComponent("shop-facts.json")
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        return try ShopFacts.load(url)
    }

    /// Changes one field of one delivery option of the demo facts.
    private static func demoJSON(delivery index: Int, _ key: String, _ value: String) throws -> [String: Any] {
        var json = try demoJSON()
        var delivery = try #require(json["delivery"] as? [[String: Any]])
        delivery[index][key] = value
        json["delivery"] = delivery
        return json
    }

    /// The built-in facts decode with their snake_case keys: three stores, three delivery methods, PLN.
    @Test func demoFactsDecode() throws {
        let facts = ShopFacts.demo()
        #expect(facts.currency == "PLN")
        #expect(facts.stores.map(\.id) == ["wro-swidnicka", "krk-florianska", "waw-galeria"])
        #expect(facts.stores.map(\.pickup) == [true, true, false])
        #expect(facts.delivery.map(\.method) == ["courier", "parcel_locker", "store_pickup"])
        #expect(facts.deliveryOption("courier")?.freeFrom == "299.00")
        #expect(facts.deliveryOption("store_pickup")?.freeFrom == nil)
        #expect(facts.deliveryOption("parcel_locker")?.namePL == "Paczkomat InPost")
        #expect(facts.contact.hoursPL.hasPrefix("poniedziałek"))
        #expect(facts.contact.hoursEN.hasPrefix("Monday"))
        #expect(facts.store("wro-swidnicka")?.hours.last?.closed == true)
        #expect(facts.store("nowhere") == nil)
        #expect(facts.returns.days == 14)
        #expect(facts.orderLineQuantityLimit == 20)
        #expect(facts.cashOnDeliveryCharge == Money(minorUnits: 500))
    }

    /// Delivery is free from the option's threshold up, costs its price below it, and has no price for unknown methods.
    @Test func deliveryPriceIsFreeFromTheThreshold() {
        let facts = ShopFacts.demo()
        #expect(facts.deliveryPrice("courier", items: Money(minorUnits: 29_899)) == Money(minorUnits: 1_499))
        #expect(facts.deliveryPrice("courier", items: Money(minorUnits: 29_900)) == .zero())
        #expect(facts.deliveryPrice("courier", items: Money(minorUnits: 34_900)) == .zero())
        #expect(facts.deliveryPrice("parcel_locker", items: Money(minorUnits: 2_999)) == Money(minorUnits: 1_199))
        #expect(facts.deliveryPrice("parcel_locker", items: Money(minorUnits: 19_899)) == Money(minorUnits: 1_199))
        #expect(facts.deliveryPrice("parcel_locker", items: Money(minorUnits: 19_900)) == .zero())
        #expect(facts.deliveryPrice("store_pickup", items: Money(minorUnits: 100)) == .zero())
        #expect(facts.deliveryPrice("drone", items: Money(minorUnits: 100)) == nil)
    }

    /// A file laid out like the built-in one loads to the same facts.
    @Test func fileWithTheDemoLayoutLoads() throws {
        let directory = TemporaryDirectory()
        #expect(try Self.load(try Self.demoJSON(), in: directory) == ShopFacts.demo())
    }

    /// A delivery method the shop cannot have is refused with a message naming it.
    @Test func unknownDeliveryMethodIsRefused() throws {
        let directory = TemporaryDirectory()
        let json = try Self.demoJSON(delivery: 0, "method", "drone")
        let failure = #expect(throws: ShopFacts.Failure.self) { try Self.load(json, in: directory) }
        #expect(failure?.message.contains("delivery method drone is not courier, parcel_locker or store_pickup") == true)
        #expect(failure?.message.contains(directory.path("shop-facts.json")) == true)
    }

    /// A delivery price or threshold that is not an amount is refused with a message naming the option.
    @Test(arguments: [(1, "price", "11.999"), (1, "free_from", "199 zł"), (0, "price", "-14.99")])
    func malformedDeliveryPriceIsRefused(index: Int, key: String, value: String) throws {
        let directory = TemporaryDirectory()
        let json = try Self.demoJSON(delivery: index, key, value)
        let method = index == 0 ? "courier" : "parcel_locker"
        let failure = #expect(throws: ShopFacts.Failure.self) { try Self.load(json, in: directory) }
        #expect(failure?.message.contains("delivery \(method) has a price that is not like 14.99") == true)
    }

    /// Fees that are not amounts and a quantity limit below 1 are refused, each with its own message.
    @Test func malformedFeesAndLimitsAreRefused() throws {
        let directory = TemporaryDirectory()
        var badFee = try Self.demoJSON()
        badFee["cash_on_delivery_fee"] = "pięć złotych"
        let feeFailure = #expect(throws: ShopFacts.Failure.self) { try Self.load(badFee, in: directory) }
        #expect(feeFailure?.message.contains("fees must be amounts like 5.00") == true)

        var badLimit = try Self.demoJSON()
        badLimit["order_line_quantity_limit"] = 0
        let limitFailure = #expect(throws: ShopFacts.Failure.self) { try Self.load(badLimit, in: directory) }
        #expect(limitFailure?.message.contains("order_line_quantity_limit must be positive") == true)
    }

    /// A file that is not shop facts at all (a missing key) is refused, naming the file.
    @Test func incompleteFileIsRefused() throws {
        let directory = TemporaryDirectory()
        var json = try Self.demoJSON()
        json.removeValue(forKey: "currency")
        let failure = #expect(throws: ShopFacts.Failure.self) { try Self.load(json, in: directory) }
        #expect(failure?.message.contains("is not valid shop facts") == true)
        #expect(failure?.message.contains("currency") == true)
    }

    /// A file that does not exist cannot be loaded, and the message names its path.
    @Test func missingFileIsRefused() {
        let directory = TemporaryDirectory()
        let path = directory.path("missing.json")
        let failure = #expect(throws: ShopFacts.Failure.self) { try ShopFacts.load(URL(fileURLWithPath: path)) }
        #expect(failure?.message == "cannot read shop facts from \(path)")
    }
}
