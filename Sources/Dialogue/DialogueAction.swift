import Commerce
import NLU
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
    /// The customer filed a complaint about their order (a person takes it up through the
    /// escalation that follows); the shop's systems are told (`complaint.opened`).
    case complaintFiled(OrderNumber)
    /// Hand the conversation to a person: the bot stays silent until an agent hands it back.
    case escalate(EscalationReason, priority: Int, summary: String)
    /// The customer asked for a person again while over their limit of escalations
    /// (`CustomerSnapshot.mayEscalate`): nothing opened, the refusal only counted.
    case escalationLimited
    /// The customer typed a phone number or e-mail: a claim on their own record, which opens
    /// nothing and merges nothing.
    case claimContact(Identity)
    /// Issue a one-time code for a claimed contact and send it there when it belongs to a record;
    /// `.verification(.sent)` or `.verification(.refused)` follows, the same either way.
    case sendVerificationCode(Identity, language: Language)
    /// Check a code the customer typed; `.verification(…)` follows. A right code proves the
    /// contact and merges the records it belongs to with the customer's.
    case checkVerificationCode(String)
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
    /// What became of a one-time code (when verified, the context now shows the customer's
    /// record merged with the ones the contact belongs to, and all their orders).
    case verification(VerificationOutcome)
}

/// What the engine reports about a one-time code.
public enum VerificationOutcome: Sendable, Equatable {
    /// A code was issued (and sent, if the contact belongs to a record: the dialogue is not told).
    case sent
    /// No code: too many for this contact this hour, or it is locked after wrong tries.
    case refused
    /// The code was right.
    case verified
    /// The code was wrong; `triesLeft` more.
    case wrong(triesLeft: Int)
    /// Wrong for the last time: the contact is locked for an hour.
    case locked
    /// The code ran out, or there is none pending.
    case expired
}
