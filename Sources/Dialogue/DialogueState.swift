import Commerce
import Foundation
import NLU

/// Where a conversation stands, stored with the conversation between turns (as JSON).
public struct DialogueState: Sendable, Equatable, Codable {
    public var phase: Phase
    /// The language the bot answers in.
    public var language: Language
    /// Messages in a row the bot did not understand.
    public var misunderstandings: Int
    /// When the customer last wrote (a half-finished order goes stale from here).
    public var lastActivity: Date?
    /// Photos and files sent for the complaint being made, while its order or description is
    /// awaited: they go into its escalation, and are dropped when the conversation turns to
    /// something else.
    public var complaintAttachments: [Attachment]
    /// Spoken messages in a row that could not be acted on (silence, or recognised with too
    /// little confidence): the caller is asked to repeat, and after the third put through to a
    /// person.
    public var unclearTurns: Int

    public init(
        phase: Phase = .idle, language: Language = .polish, misunderstandings: Int = 0, lastActivity: Date? = nil,
        complaintAttachments: [Attachment] = [], unclearTurns: Int = 0
    ) {
        self.phase = phase
        self.language = language
        self.misunderstandings = misunderstandings
        self.lastActivity = lastActivity
        self.complaintAttachments = complaintAttachments
        self.unclearTurns = unclearTurns
    }

    /// Reads a stored state; one stored before complaints kept attachments has none, and one
    /// stored before calls counted unclear turns has none in a row.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        phase = try container.decode(Phase.self, forKey: .phase)
        language = try container.decode(Language.self, forKey: .language)
        misunderstandings = try container.decode(Int.self, forKey: .misunderstandings)
        lastActivity = try container.decodeIfPresent(Date.self, forKey: .lastActivity)
        complaintAttachments = try container.decodeIfPresent([Attachment].self, forKey: .complaintAttachments) ?? []
        unclearTurns = try container.decodeIfPresent(Int.self, forKey: .unclearTurns) ?? 0
    }

    private enum CodingKeys: String, CodingKey {
        case phase, language, misunderstandings, lastActivity, complaintAttachments, unclearTurns
    }

    /// What the bot is in the middle of.
    public enum Phase: Sendable, Equatable, Codable {
        /// Nothing pending: the next message starts something.
        case idle
        /// Putting an order together; the draft knows which question is open.
        case ordering(OrderDraft)
        /// A service request that needs to know which order it is about.
        case awaitingOrder(ServiceRequest)
        /// A step that needs a yes before it happens.
        case confirming(Confirmation)
        /// A contact was typed while an order was looked for: a one-time code to it was offered.
        case offeringCode(ServiceRequest, Identity)
        /// A one-time code was sent (if the contact is known): waiting for it to be typed.
        case awaitingCode(ServiceRequest, Identity)
        /// A complaint about an order, waiting for what happened.
        case describingComplaint(OrderNumber)
        /// Company details for an invoice on an order, asked one at a time.
        case collectingInvoice(OrderNumber, InvoiceDraft)
        /// A change to a not-yet-shipped order, waiting for what to change.
        case changingOrder(OrderNumber)
        /// The bot offered a menu after misunderstandings.
        case offeredOptions
        /// A person has the conversation.
        case withAgent

        /// Whether the next message may be a one-time code (which the transcript must not keep).
        public var awaitsCode: Bool {
            if case .awaitingCode = self { return true }
            return false
        }

        /// Whether an order is being taken.
        var isOrdering: Bool {
            if case .ordering = self { return true }
            return false
        }

        /// Whether a complaint is being put together (its order or its description awaited), so
        /// attachments sent now belong to it.
        var gathersComplaint: Bool {
            switch self {
            case .awaitingOrder(let request): request == .complaint
            case .describingComplaint: true
            case .idle, .ordering, .confirming, .collectingInvoice, .changingOrder, .offeredOptions, .withAgent,
                 .offeringCode, .awaitingCode: false
            }
        }
    }

    /// How far towards an order the conversation stands now (nil: not ordering).
    public var funnelStep: OrderFunnelStep? {
        guard case .ordering(let draft) = phase else { return nil }
        switch draft.pending {
        case .product: return .started
        case .size, .color, .quantity, .moreItems: return .productChosen
        case .deliveryMethod, .address, .locker, .store, .name, .contact: return .delivery
        case .payment, .confirmation: return .payment
        }
    }

    /// A name for the phase, for transcripts and logs: "ordering.size", "confirming.cancel".
    public var summary: String {
        switch phase {
        case .idle: "idle"
        case .ordering(let draft): "ordering.\(draft.pendingSlotName)"
        case .awaitingOrder(let request): "awaiting_order.\(request.rawValue)"
        case .confirming(let confirmation): "confirming.\(confirmation.name)"
        case .offeringCode(let request, _): "offering_code.\(request.rawValue)"
        case .awaitingCode(let request, _): "awaiting_code.\(request.rawValue)"
        case .describingComplaint: "complaint.description"
        case .collectingInvoice(_, let draft): "invoice.\(draft.pendingField)"
        case .changingOrder: "change_order"
        case .offeredOptions: "offered_options"
        case .withAgent: "with_agent"
        }
    }
}

/// A service a customer asks for about one of their orders.
public enum ServiceRequest: String, Sendable, Equatable, Codable {
    case status, cancel, change, returns = "return", complaint, invoice
}

/// A step waiting for the customer's yes.
public enum Confirmation: Sendable, Equatable, Codable {
    case cancel(OrderNumber)
    case returnItems(OrderNumber)
    /// A person was offered (account deletion, changes the bot cannot make): yes escalates.
    case person(reason: String)
    /// The bot described a product and asked whether to order it; the size and colour the
    /// customer asked about, if any, go into the order.
    case order(productID: String, size: String? = nil, color: String? = nil)

    var name: String {
        switch self {
        case .cancel: "cancel"
        case .returnItems: "return"
        case .person: "person"
        case .order: "order"
        }
    }
}

/// Company details for a VAT invoice, gathered one answer at a time.
public struct InvoiceDraft: Sendable, Equatable, Codable {
    public var nip: String?
    public var company: String?
    public var address: String?

    public init(nip: String? = nil, company: String? = nil, address: String? = nil) {
        self.nip = nip
        self.company = company
        self.address = address
    }

    var pendingField: String {
        if nip == nil { return "nip" }
        if company == nil { return "company" }
        return "address"
    }
}
