import ShopValues

/// Why a commerce operation was refused. Each case carries what the dialogue needs to explain
/// it to the customer; none of them changes anything.
public enum CommerceError: Error, Equatable, CustomStringConvertible {
    /// Fewer items are in stock than asked for (`available` may be 0).
    case outOfStock(sku: String, requested: Int, available: Int)
    case unknownProduct(String)
    case unknownVariant(sku: String)
    /// A quantity below 1 or above the per-line limit.
    case invalidQuantity(Int, limit: Int)
    case emptyOrder
    /// The same variant on two lines of one order (one line with the sum is meant).
    case duplicateLine(sku: String)
    /// A variant priced in a currency the shop does not sell in.
    case currencyNotSold(sku: String, currency: String)
    /// No free order number was found (the number space is nearly full).
    case orderNumbersExhausted
    /// The customer placed as many orders as the shop's limit allows in a while (each holds stock).
    case tooManyOrders
    case unknownOrder(String)
    case unknownCustomer(Int64)
    case unknownConversation(Int64)
    case unknownEscalation(Int64)
    /// The order's status does not allow this step (cancelling a shipped order, say).
    case invalidTransition(order: String, from: OrderStatus, to: OrderStatus)
    case invalidEscalationTransition(id: Int64, from: EscalationStatus, to: EscalationStatus)
    /// The delivery details are incomplete or malformed (a courier needs a valid address…).
    case invalidDelivery(String)
    case invalidContact(String)
    case invalidInvoice(String)
    /// A return asked for after the return period, or for items the order does not have.
    case returnNotPossible(String)
    /// The conversation's state was changed by someone else since it was read.
    case staleState(conversation: Int64, expected: Int64)

    public var description: String {
        switch self {
        case .outOfStock(let sku, let requested, let available):
            "only \(available) of \(sku) in stock, \(requested) requested"
        case .unknownProduct(let id): "no product \(id)"
        case .unknownVariant(let sku): "no variant with SKU \(sku)"
        case .invalidQuantity(let quantity, let limit): "quantity \(quantity) is not between 1 and \(limit)"
        case .emptyOrder: "an order needs at least one line"
        case .duplicateLine(let sku): "\(sku) is on more than one line"
        case .currencyNotSold(let sku, let currency): "\(sku) is priced in \(currency), which the shop does not sell in"
        case .orderNumbersExhausted: "no free order number"
        case .tooManyOrders: "the customer placed as many orders as the limit allows for now"
        case .unknownOrder(let number): "no order \(number)"
        case .unknownCustomer(let id): "no customer \(id)"
        case .unknownConversation(let id): "no conversation \(id)"
        case .unknownEscalation(let id): "no escalation \(id)"
        case .invalidTransition(let order, let from, let to): "order \(order) cannot go from \(from) to \(to)"
        case .invalidEscalationTransition(let id, let from, let to): "escalation \(id) cannot go from \(from) to \(to)"
        case .invalidDelivery(let reason): "invalid delivery: \(reason)"
        case .invalidContact(let reason): "invalid contact: \(reason)"
        case .invalidInvoice(let reason): "invalid invoice details: \(reason)"
        case .returnNotPossible(let reason): "return not possible: \(reason)"
        case .staleState(let conversation, let expected):
            "conversation \(conversation) changed since version \(expected) was read"
        }
    }
}
