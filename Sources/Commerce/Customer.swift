import Foundation

/// A channel a customer can be reached on, and the identity they have there.
public enum IdentityChannel: String, Sendable, Hashable, Codable, CaseIterable {
    /// A Messenger page-scoped id.
    case messenger
    /// A phone number in E.164 form (the voice channel's caller id).
    case phone
    /// A web chat session id.
    case web
    /// An e-mail address, lowercased.
    case email
}

/// Who a customer is on one channel.
public struct Identity: Sendable, Hashable, Codable {
    public let channel: IdentityChannel
    public let externalID: String

    public init(_ channel: IdentityChannel, _ externalID: String) {
        self.channel = channel
        self.externalID = externalID
    }
}

/// One customer of the shop, whatever the channel: the shared record.
public struct Customer: Sendable, Hashable, Codable {
    public let id: Int64
    public var name: String?
    public var phone: String?
    public var email: String?
    public var language: String
    public let createdAt: Date
    /// Every channel identity that leads to this customer.
    public var identities: [LinkedIdentity]
}

/// An identity with when it was linked.
public struct LinkedIdentity: Sendable, Hashable, Codable {
    public let identity: Identity
    public let linkedAt: Date
}

/// What linking an identity did.
public enum LinkOutcome: Sendable, Equatable {
    /// The identity was new and is now the customer's.
    case linked(customer: Int64)
    /// The identity was already the customer's.
    case alreadyLinked(customer: Int64)
    /// The identity belonged to another customer: the two records are now one, `survivor`.
    case merged(survivor: Int64, merged: Int64)

    /// The customer to use from now on.
    public var customerID: Int64 {
        switch self {
        case .linked(let id), .alreadyLinked(let id): id
        case .merged(let survivor, _): survivor
        }
    }
}
