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
    /// Every channel identity of this customer: the ones that lead to the record (`platform`,
    /// `verified`) first, then the contacts the customer typed (`claimed`).
    public var identities: [LinkedIdentity]
}

/// How much an identity proves about who is writing.
public enum IdentityTrust: String, Sendable, Hashable, Codable, CaseIterable {
    /// A channel vouched for it: a Messenger sender of a signed webhook, the caller number of an
    /// authenticated voice webhook, a web session the server issued.
    case platform
    /// The customer typed it; it opens nothing and leads to no record.
    case claimed
    /// A claimed contact the customer proved with a one-time code (or an agent linked on purpose).
    case verified
}

/// An identity with when it was linked and how far it is trusted.
public struct LinkedIdentity: Sendable, Hashable, Codable {
    public let identity: Identity
    public let linkedAt: Date
    public let trust: IdentityTrust

    public init(identity: Identity, linkedAt: Date, trust: IdentityTrust) {
        self.identity = identity
        self.linkedAt = linkedAt
        self.trust = trust
    }
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
