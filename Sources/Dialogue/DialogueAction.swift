import Commerce
import ShopValues

/// What the dialogue asks the engine to do. The engine performs the actions in order, in the
/// turn's transaction, and reports the outcome of the ones that can fail back as a
/// `DialogueEvent`.
public enum DialogueAction: Sendable, Equatable {
    /// Say this to the customer.
    case reply(Reply)
    /// Place the order; the outcome comes back as `.orderPlaced` or `.refused`.
    case placeOrder(OrderDraftRequest)
    /// Cancel the customer's order; `.orderCancelled` or `.refused` follows.
    case cancelOrder(OrderNumber)
    /// Open a return case for every item of a delivered order; `.returnOpened` or `.refused`.
    case openReturn(OrderNumber, reason: String)
    /// Point a not-yet-shipped order to another parcel locker or address (same method, same price).
    case changeDelivery(OrderNumber, Delivery)
    /// Put company details for a VAT invoice on the order.
    case requestInvoice(OrderNumber, InvoiceDetails)
    /// Hand the conversation to a person: the bot stays silent until an agent hands it back.
    case escalate(EscalationReason, priority: Int, summary: String)
    /// The customer gave a phone number or e-mail: link it to their record (which may merge two).
    case linkIdentity(Identity)
    /// Remember the customer's name on their record.
    case rememberName(String)
    /// The conversation is over (the caller said goodbye, nothing else is wanted): a phone call
    /// hangs up after the reply.
    case endConversation
}

/// An order the dialogue has put together, without the customer and conversation (the engine
/// knows those) and without prices (the catalog has them when the order is placed).
public struct OrderDraftRequest: Sendable, Hashable {
    public let lines: [OrderRequestLine]
    public let delivery: Delivery
    public let payment: PaymentMethod
    public let contact: Contact

    public init(lines: [OrderRequestLine], delivery: Delivery, payment: PaymentMethod, contact: Contact) {
        self.lines = lines
        self.delivery = delivery
        self.payment = payment
        self.contact = contact
    }
}

/// What the dialogue reacts to: a customer message, or the outcome of an action it asked for.
public enum DialogueEvent: Sendable, Equatable {
    case message(Turn)
    case orderPlaced(Order)
    case orderCancelled(Order)
    case returnOpened(ReturnCase, order: OrderNumber)
    case deliveryChanged(Order)
    case invoiceRequested(Order)
    /// An action was refused by the commerce domain (out of stock since the summary, say).
    case refused(CommerceError)
    /// A phone number or e-mail was linked (the context now shows the customer's record after
    /// it, merged with another one maybe, and all its orders).
    case identityLinked
}
