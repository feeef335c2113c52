/// How far a conversation got towards an order, for the shop owner's funnel: each step is kept
/// as the furthest reached (`conversations.order_step`), never lowered.
public enum OrderFunnelStep: Int, Sendable, Hashable, CaseIterable, Comparable, Codable {
    /// The bot started taking an order (it asks which product).
    case started = 1
    /// A product was chosen (its size, colour or quantity asked, or more items).
    case productChosen = 2
    /// Delivery asked (method, locker, address, store, name, contact).
    case delivery = 3
    /// Payment asked, or the summary read back for the yes.
    case payment = 4
    /// The order was placed.
    case placed = 5

    /// `started`, `product_chosen`, `delivery`, `payment`, `placed`.
    public var name: String {
        switch self {
        case .started: "started"
        case .productChosen: "product_chosen"
        case .delivery: "delivery"
        case .payment: "payment"
        case .placed: "placed"
        }
    }

    public static func < (lhs: OrderFunnelStep, rhs: OrderFunnelStep) -> Bool { lhs.rawValue < rhs.rawValue }
}
