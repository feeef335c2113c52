import Foundation

/// Why a conversation was handed to a person.
public enum EscalationReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The customer asked for a person.
    case customerRequest = "customer_request"
    /// A complaint that needs a person's judgement.
    case complaint
    /// The bot failed to understand the customer several times running.
    case repeatedMisunderstanding = "repeated_misunderstanding"
    /// A phone caller was transferred.
    case voiceTransfer = "voice_transfer"
    /// A reply could not be delivered on the customer's channel.
    case deliveryFailure = "delivery_failure"
    /// A payment that does not match its order (amount, currency, or an order cancelled meanwhile).
    case paymentProblem = "payment_problem"

    /// A payment problem is money: it outranks most questions (the dialogue's own escalations are
    /// ranked by `EscalationPriority`).
    public static let paymentProblemPriority = 75
}

/// Where an escalation is in the queue: `open → assigned → resolved`; an assigned one can go
/// back to the queue (its agent left), and an open one can be resolved without an agent.
public enum EscalationStatus: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case open, assigned, resolved

    public var successors: Set<EscalationStatus> {
        switch self {
        case .open: [.assigned, .resolved]
        case .assigned: [.open, .resolved]
        case .resolved: []
        }
    }

    public var description: String { rawValue }
}

/// How an escalation ended.
public enum EscalationResolution: String, Sendable, Hashable, Codable {
    /// The bot answers the customer again.
    case returnedToBot = "returned_to_bot"
    /// The conversation is over.
    case closed
}

/// A conversation waiting for, or handled by, a person.
public struct Escalation: Sendable, Hashable {
    public let id: Int64
    public let conversationID: Int64
    public let customerID: Int64
    public let reason: EscalationReason
    /// Higher is more urgent.
    public let priority: Int
    /// What the agent should know first, in one or two sentences.
    public let summary: String
    public let status: EscalationStatus
    public let agent: String?
    public let resolution: EscalationResolution?
    public let createdAt: Date
    public let assignedAt: Date?
    public let resolvedAt: Date?
}
