import Foundation
import ShopValues

/// The shop's payment page for an order (`ORDERBOT_PAYMENT_LINK_TEMPLATE`), e.g.
/// `https://pay.example.com/p/{order_number}?amount={amount}&currency={currency}`: the
/// placeholders are filled with the order's number, its total (`349.00`) and its currency.
public struct PaymentLinkTemplate: Sendable, Hashable, CustomStringConvertible {
    public let template: String

    /// Why a template cannot be used.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notAWebAddress(String)
        case noOrderNumber(String)

        public var description: String {
            switch self {
            case .notAWebAddress(let text): "\"\(text.prefix(80))\" is not an https:// (or http://) address"
            case .noOrderNumber(let text): "\"\(text.prefix(80))\" has no {order_number}: every order would get the same link"
            }
        }
    }

    /// Checks that the template is a web address that names the order.
    public init(_ template: String) throws(Problem) {
        let filled = template.replacingOccurrences(of: "{order_number}", with: "100008")
            .replacingOccurrences(of: "{amount}", with: "1.00").replacingOccurrences(of: "{currency}", with: "PLN")
        guard let url = URL(string: filled), ["https", "http"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false,
              !template.contains(where: \.isWhitespace)
        else { throw .notAWebAddress(template) }
        guard template.contains("{order_number}") else { throw .noOrderNumber(template) }
        self.template = template
    }

    /// The link that pays `order`.
    public func link(for order: Order) -> String {
        template.replacingOccurrences(of: "{order_number}", with: order.number.digits)
            .replacingOccurrences(of: "{amount}", with: order.total.decimalString)
            .replacingOccurrences(of: "{currency}", with: order.total.currency)
    }

    public var description: String { template }
}
