import Commerce
import Foundation
import ShopValues
import WebServer
import Wire

/// The body of `PATCH /api/variants/{sku}`: `{"stock"?: N, "price"?: "349.00"}`, at least one
/// of them, nothing else. Each refusal names the field at fault.
struct VariantPatch {
    /// The shop's currency: the one a price is given in.
    let currency: String

    /// The highest price taken (`Catalog.maximumPriceMinorUnits`, as for a catalog file).
    static let maximumPrice = Catalog.maximumPriceMinorUnits

    /// The change `body` asks for.
    func change(from body: Data) throws(HTTPError) -> VariantChange {
        let members = try Self.object(in: body)
        if let unknown = members.keys.sorted().first(where: { $0 != "stock" && $0 != "price" }) {
            throw Self.refusal("unknown_field", "Unknown field \"\(unknown.prefix(40))\": give stock, price or both.")
        }
        guard !members.isEmpty else { throw Self.refusal("missing_field", "Give stock, price or both.") }
        var change = VariantChange()
        if let stock = members["stock"] { change.stock = try Self.stock(stock) }
        if let price = members["price"] { change.price = try self.price(price) }
        return change
    }

    private static func object(in body: Data) throws(HTTPError) -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONReader.value(of: body)
        } catch {
            throw refusal("malformed_json", "The body is not JSON (\(error)).")
        }
        guard case .object(let members) = value else {
            throw refusal("malformed_json", #"The body must be a JSON object, like {"stock": 5, "price": "349.00"}."#)
        }
        return members
    }

    private static func stock(_ value: JSONValue) throws(HTTPError) -> Int {
        guard case .number(let number) = value, number == number.rounded(), number >= 0,
              number <= Double(Catalog.maximumStock)
        else {
            throw refusal("invalid_stock", "stock must be a whole number from 0 to \(Catalog.maximumStock).")
        }
        return Int(number)
    }

    private func price(_ value: JSONValue) throws(HTTPError) -> Money {
        let limit = Money(minorUnits: Self.maximumPrice, currency: currency)
        guard case .string(let text) = value, Self.isDecimal(text), let price = Money(decimal: text, currency: currency),
              price.minorUnits <= Self.maximumPrice
        else {
            throw Self.refusal(
                "invalid_price",
                "price must be a string like \"349.00\": an amount in \(currency) from 0 to \(limit.decimalString), at most two decimals after a dot.")
        }
        return price
    }

    /// Digits, then optionally a dot and one or two digits: what `Money` reads, without the comma
    /// or spaces it also forgives.
    private static func isDecimal(_ text: String) -> Bool {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let isDigits: (Substring) -> Bool = { !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }
        return isDigits(parts[0]) && (parts.count == 1 || (isDigits(parts[1]) && parts[1].count <= 2))
    }

    private static func refusal(_ code: String, _ message: String) -> HTTPError {
        HTTPError(.badRequest, code: code, message: message)
    }
}
