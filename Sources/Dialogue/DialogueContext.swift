import Commerce
import Foundation
import NLU

/// Shop settings the dialogue runs with.
public struct DialogueSettings: Sendable, Equatable {
    /// A half-finished order older than this is dropped (the customer is told).
    public var staleOrderAfter: TimeInterval
    /// Misunderstandings in a row before the bot offers options; one more and a person takes over.
    public var misunderstandingsBeforeOptions: Int
    /// A spoken message recognised with less confidence than this is not acted on: the caller is
    /// asked to repeat (twice, in different words), and the third time put through to a person.
    public var lowRecognitionConfidence: Double
    /// Whether one-time codes can be sent (a notifier is configured); without them a customer who
    /// names a contact to find their orders is offered a person.
    public var sendsVerificationCodes: Bool
    /// The shop's payment page for an order paid online; nil when the shop sends links itself.
    public var paymentLink: PaymentLinkTemplate?

    public init(
        staleOrderAfter: TimeInterval = 30 * 60, misunderstandingsBeforeOptions: Int = 2, lowRecognitionConfidence: Double = 0.5,
        sendsVerificationCodes: Bool = false, paymentLink: PaymentLinkTemplate? = nil
    ) {
        self.paymentLink = paymentLink
        self.staleOrderAfter = staleOrderAfter
        self.misunderstandingsBeforeOptions = misunderstandingsBeforeOptions
        self.lowRecognitionConfidence = lowRecognitionConfidence
        self.sendsVerificationCodes = sendsVerificationCodes
    }
}

/// What the customer's record holds, as far as the dialogue may use it: their own orders and
/// nothing of anyone else's.
public struct CustomerSnapshot: Sendable, Equatable {
    public let id: Int64
    public let name: String?
    public let phone: String?
    public let email: String?
    /// The customer's orders, newest first.
    public let orders: [Order]
    /// How many escalations the customer had before (for the priority of a new one).
    public let earlierEscalations: Int
    /// Phone numbers and e-mails the customer typed and has not proved, newest first: a code may
    /// be offered to them when the customer looks for orders.
    public let unprovedContacts: [Identity]
    /// False while the customer has opened as many escalations as the shop's limit allows in a
    /// while (one phone number calling and asking for a person again and again).
    public let mayEscalate: Bool

    public init(
        id: Int64, name: String? = nil, phone: String? = nil, email: String? = nil, orders: [Order] = [],
        earlierEscalations: Int = 0, unprovedContacts: [Identity] = [], mayEscalate: Bool = true
    ) {
        self.mayEscalate = mayEscalate
        self.id = id
        self.name = name
        self.phone = phone
        self.email = email
        self.orders = orders
        self.earlierEscalations = earlierEscalations
        self.unprovedContacts = unprovedContacts
    }

    /// The customer's order with `number`; nil for a number that is not theirs.
    public func order(_ number: OrderNumber) -> Order? { orders.first { $0.number == number } }
}

/// Who can take a conversation over now: agents with a console open, and escalations already
/// waiting for one.
public struct AgentAvailability: Sendable, Equatable {
    public let online: Int
    public let waiting: Int

    public init(online: Int, waiting: Int) {
        self.online = online
        self.waiting = waiting
    }

    /// Minutes one escalation takes an agent, for the wait the customer is told.
    public static let minutesPerEscalation = 4

    /// The wait in minutes for one more escalation: those waiting and this one, shared among the
    /// agents online, `minutesPerEscalation` each, rounded up.
    public var expectedWaitMinutes: Int? {
        guard online > 0 else { return nil }
        return ((waiting + 1) * Self.minutesPerEscalation + online - 1) / online
    }
}

/// Everything one dialogue step may read: read-only snapshots fetched by the engine, and the time.
public struct DialogueContext: Sendable {
    public let catalog: CatalogSnapshot
    public let facts: ShopFacts
    public let customer: CustomerSnapshot
    public let now: Date
    public let channel: DialogueChannel
    /// The language the channel says the customer speaks (a phone line's, `chat --lang`), if any:
    /// the first answer uses it.
    public let languageHint: Language?
    public let settings: DialogueSettings
    /// Who can take over now; nil when not known (a replay, the terminal): nothing is said of it.
    public let agents: AgentAvailability?

    public init(
        catalog: CatalogSnapshot, facts: ShopFacts, customer: CustomerSnapshot, now: Date,
        channel: DialogueChannel = .web, languageHint: Language? = nil, settings: DialogueSettings = DialogueSettings(),
        agents: AgentAvailability? = nil
    ) {
        self.catalog = catalog
        self.facts = facts
        self.customer = customer
        self.now = now
        self.channel = channel
        self.languageHint = languageHint
        self.settings = settings
        self.agents = agents
    }
}
