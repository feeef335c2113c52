import Foundation
import Storage

/// News of an order for its customer, in both languages the bot speaks; the customer reads the
/// one of the conversation it reaches them through.
public struct NoticeText: Sendable, Hashable {
    public let polish: String
    public let english: String

    public init(polish: String, english: String) {
        self.polish = polish
        self.english = english
    }

    /// The text in `language` (`pl` or `en`; anything else is Polish, the shop's language).
    public func text(in language: String) -> String { language == "en" ? english : polish }
}

/// Where a notice went, so the caller can wake the worker that carries it.
public enum NoticeRoute: Sendable, Hashable {
    /// Queued in `channel`'s outbox for the customer's conversation (Messenger, the web chat).
    case outbox(ConversationChannel, conversation: Int64)
    /// Queued for the shop's notifier (an SMS or an e-mail).
    case notifier
    /// Nothing could carry it: a phone customer with no notifier configured, or no contact.
    case nowhere

    /// `messenger`, `web`, `notifier` or `nowhere`, for metrics and logs.
    public var name: String {
        switch self {
        case .outbox(let channel, _): channel.rawValue
        case .notifier: "notifier"
        case .nowhere: "nowhere"
        }
    }
}

/// Tells a customer news of their order on the channel they last used, in the transaction that
/// changes the order (so the notice exists exactly when the change does):
/// - the web chat: queued for their session, pushed now or on their next visit;
/// - Messenger: inside the 24-hour window an update; after it, the notifier when the customer
///   has a verified phone or e-mail, otherwise a message tagged as a purchase update;
/// - a phone call (or no conversation): the notifier, to a verified contact, the number that
///   called, or the order's contact.
///
/// The notice is kept in the conversation's transcript either way, so agents see what the
/// customer was told.
public struct OrderNotices: Sendable {
    private let now: Now
    /// Whether a notifier is configured to carry SMS and e-mail.
    private let notifierConfigured: Bool

    public init(notifierConfigured: Bool, now: @escaping Now = { Date() }) {
        self.notifierConfigured = notifierConfigured
        self.now = now
    }

    /// How long a notice may wait for the notifier before it is stale.
    static let notifierPatience: TimeInterval = 3 * 86_400

    /// Queues `notice` about `order` for its customer; says where it went.
    @discardableResult
    public func tell(_ notice: NoticeText, about order: Order, in db: Database) throws -> NoticeRoute {
        let conversations = Conversations(now: now)
        let latest = try conversations.conversations(ofCustomer: order.customerID, limit: 1, in: db).first
        let language = latest?.language ?? "pl"
        let text = notice.text(in: language)
        if let latest, let recipient = latest.externalID {
            switch latest.channel {
            case .web:
                return try queue(text, in: latest, recipient: recipient, in: db)
            case .messenger:
                if try inWindow(latest.id, in: db) { return try queue(text, in: latest, recipient: recipient, in: db) }
                if notifierConfigured, let contact = try verifiedContact(of: order.customerID, in: db) {
                    return try notify(text, to: contact, language: language, transcript: latest, in: db)
                }
                return try queue(text, in: latest, recipient: recipient, in: db)
            case .voice:
                break
            }
        }
        guard notifierConfigured, let contact = try anyContact(of: order, in: db) else {
            if let latest { _ = try conversations.append(.reply("[nie wysłano] " + text, from: .system), to: latest.id, in: db) }
            return .nowhere
        }
        return try notify(text, to: contact, language: language, transcript: latest, in: db)
    }

    private func queue(_ text: String, in conversation: Conversation, recipient: String, in db: Database) throws -> NoticeRoute {
        _ = try Conversations(now: now).append(.reply(text, from: .bot), to: conversation.id, in: db)
        try Outbox(now: now).enqueue(
            conversation: conversation.id, channel: conversation.channel, recipient: recipient, author: .bot, text: text,
            purpose: .orderUpdate, in: db)
        return .outbox(conversation.channel, conversation: conversation.id)
    }

    private func notify(
        _ text: String, to contact: Identity, language: String, transcript: Conversation?, in db: Database
    ) throws -> NoticeRoute {
        try Notifications(now: now).enqueue(
            .orderUpdate, to: contact, language: language, text: text, giveUpAt: now().addingTimeInterval(Self.notifierPatience),
            in: db)
        if let transcript {
            let medium = contact.channel == .email ? "e-mail" : "SMS"
            _ = try Conversations(now: now).append(.reply("[\(medium)] " + text, from: .system), to: transcript.id, in: db)
        }
        return .notifier
    }

    /// Whether the customer wrote in `conversation` within Messenger's 24 hours.
    private func inWindow(_ conversation: Int64, in db: Database) throws -> Bool {
        let last = try db.queryFirst(
            "SELECT max(created_at) FROM messages WHERE conversation_id = ? AND direction = 'in' AND author = 'customer'",
            conversation
        ) { $0.optionalString(0) }
        guard let wrote = last.flatMap({ $0 }).flatMap(Timestamps.date) else { return false }
        return now().timeIntervalSince(wrote) < 24 * 3_600
    }

    /// A phone number or e-mail address the customer proved with a one-time code.
    private func verifiedContact(of customer: Int64, in db: Database) throws -> Identity? {
        try db.queryFirst("""
            SELECT channel, external_id FROM customer_identities
            WHERE customer_id = ? AND trust = 'verified' AND (channel = 'phone' OR channel = 'email')
            ORDER BY channel = 'email', id LIMIT 1
            """, customer) { row in IdentityChannel(rawValue: row.string(0)).map { Identity($0, row.string(1)) } } ?? nil
    }

    /// A verified contact, else the number the customer called from, else the order's contact.
    private func anyContact(of order: Order, in db: Database) throws -> Identity? {
        if let verified = try verifiedContact(of: order.customerID, in: db) { return verified }
        let caller = try db.queryFirst(
            "SELECT external_id FROM customer_identities WHERE customer_id = ? AND channel = 'phone' ORDER BY id LIMIT 1",
            order.customerID) { $0.string(0) }
        if let caller { return Identity(.phone, caller) }
        if let phone = order.contact.phone { return Identity(.phone, phone.e164) }
        return order.contact.email.map { Identity(.email, $0.value) }
    }
}
