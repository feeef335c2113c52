import Foundation
import Storage

/// The shared customer record: customers, their identities on every channel, the contacts they
/// typed, and merges.
///
/// Every method takes the `Database` of the caller's transaction, so linking an identity can
/// commit together with the message that revealed it.
public struct Customers: Sendable {
    private let now: Now

    public init(now: @escaping Now = { Date() }) {
        self.now = now
    }

    /// The customer an identity leads to, creating one (with that identity) on first contact.
    public func resolve(_ identity: Identity, language: String = "pl", in db: Database) throws -> Int64 {
        if let existing = try customerID(for: identity, in: db) { return existing }
        let stamp = Timestamps.text(now())
        try db.run("INSERT INTO customers (language, created_at) VALUES (?, ?)", language, stamp)
        let id = db.lastInsertedRowID
        try db.run(
            "INSERT INTO customer_identities (customer_id, channel, external_id, linked_at) VALUES (?, ?, ?, ?)",
            id, identity.channel.rawValue, identity.externalID, stamp)
        try fillContactFields(from: identity, customer: id, in: db)
        return id
    }

    /// The customer an identity is a key of (`platform` or `verified`), or nil; a claim is no key.
    public func customerID(for identity: Identity, in db: Database) throws -> Int64? {
        try db.queryFirst(
            "SELECT customer_id FROM customer_identities WHERE channel = ? AND external_id = ?",
            identity.channel.rawValue, identity.externalID
        ) { $0.int64(0) }
    }

    /// Links `identity` to `customer` as a key to the record. When another customer already has
    /// it, the two records become one: the older survives and the newer's identities, claims,
    /// orders, conversations and escalations move to it, all in the caller's transaction; the
    /// merge is recorded with `actor`. Only a channel's own identity (`platform`) or a proved one
    /// (`verified`) may be linked: a typed contact is a `claim`.
    @discardableResult
    public func link(
        _ identity: Identity, to customer: Int64, trust: IdentityTrust = .platform, actor: String = "link", in db: Database
    ) throws -> LinkOutcome {
        precondition(trust != .claimed, "a claimed contact is recorded with claim(_:by:), never linked")
        guard try exists(customer, in: db) else { throw CommerceError.unknownCustomer(customer) }
        if let owner = try customerID(for: identity, in: db) {
            guard owner != customer else { return .alreadyLinked(customer: customer) }
            return try merge(owner, customer, because: .identity(identity, actor: actor), in: db)
        }
        try db.run(
            "INSERT INTO customer_identities (customer_id, channel, external_id, linked_at, trust) VALUES (?, ?, ?, ?, ?)",
            customer, identity.channel.rawValue, identity.externalID, Timestamps.text(now()), trust.rawValue)
        try fillContactFields(from: identity, customer: customer, in: db)
        return .linked(customer: customer)
    }

    /// Whether the customer's record was erased (`CustomerErasure`): for the API it is gone.
    public func isErased(_ customer: Int64, in db: Database) throws -> Bool {
        try db.queryFirst("SELECT erased_at IS NOT NULL FROM customers WHERE id = ?", customer) { $0.int(0) } == 1
    }

    /// Whether the customer proved a contact with a one-time code (or an agent linked one on
    /// purpose): a known person, whom the limits on orders and escalations do not hold back.
    public func hasVerifiedIdentity(_ customer: Int64, in db: Database) throws -> Bool {
        try db.queryFirst(
            "SELECT EXISTS (SELECT 1 FROM customer_identities WHERE customer_id = ? AND trust = 'verified')", customer
        ) { $0.int(0) } == 1
    }

    /// The customers an identity leads to (its key holder) and then those who typed it as theirs,
    /// newest claim first: for staff looking a customer up, never for a conversation.
    public func customers(withContact identity: Identity, in db: Database) throws -> [Int64] {
        var found = try customerID(for: identity, in: db).map { [$0] } ?? []
        let claimants = try db.query("""
            SELECT c.customer_id FROM contact_claims c JOIN customers k ON k.id = c.customer_id AND k.merged_into IS NULL
            WHERE c.channel = ? AND c.external_id = ? ORDER BY c.claimed_at DESC, c.id DESC
            """, identity.channel.rawValue, identity.externalID) { $0.int64(0) }
        for id in claimants where !found.contains(id) { found.append(id) }
        return found
    }

    /// Records that `customer` typed `contact` as theirs. A claim fills the record's empty phone or
    /// e-mail field and nothing else: it is no key, merges nothing and shows nothing of anyone.
    public func claim(_ contact: Identity, by customer: Int64, in db: Database) throws {
        guard contact.channel == .phone || contact.channel == .email else { return }
        try db.run(
            "INSERT OR IGNORE INTO contact_claims (customer_id, channel, external_id, claimed_at) VALUES (?, ?, ?, ?)",
            customer, contact.channel.rawValue, contact.externalID, Timestamps.text(now()))
        try fillContactFields(from: contact, customer: customer, in: db)
    }

    /// The contacts `customer` typed and has not proved (no key of the record), newest first.
    public func unprovedContacts(of customer: Int64, limit: Int = 4, in db: Database) throws -> [Identity] {
        try db.query("""
            SELECT c.channel, c.external_id FROM contact_claims c
            WHERE c.customer_id = ?1 AND NOT EXISTS (
                SELECT 1 FROM customer_identities i
                WHERE i.customer_id = ?1 AND i.channel = c.channel AND i.external_id = c.external_id)
            ORDER BY c.claimed_at DESC, c.id DESC LIMIT ?2
            """, customer, limit
        ) { Identity(IdentityChannel(rawValue: $0.string(0)) ?? .phone, $0.string(1)) }
    }

    /// The records, other than `customer`, that someone who proves `contact` is entitled to: those
    /// it is a key of, and those that gave it as the contact of one of their orders.
    public func records(provedBy contact: Identity, other customer: Int64, in db: Database) throws -> [Int64] {
        var owners = Set(try customerID(for: contact, in: db).map { [$0] } ?? [])
        let orderColumn: String? = switch contact.channel {
        case .phone: "contact_phone"
        case .email: "contact_email"
        case .messenger, .web: nil
        }
        if let orderColumn {
            owners.formUnion(try db.query(
                "SELECT DISTINCT customer_id FROM orders WHERE \(orderColumn) = ? AND customer_id IS NOT NULL",
                contact.externalID) { $0.int64(0) })
        }
        owners.remove(customer)
        return owners.sorted()
    }

    /// Makes `one` and `other` one record on purpose (a proved contact, or an agent who knows both
    /// are the same person): the older survives; the merge is recorded with its reason.
    @discardableResult
    public func merge(_ one: Int64, _ other: Int64, because reason: MergeReason, in db: Database) throws -> LinkOutcome {
        guard try exists(one, in: db) else { throw CommerceError.unknownCustomer(one) }
        guard try exists(other, in: db) else { throw CommerceError.unknownCustomer(other) }
        guard one != other else { return .alreadyLinked(customer: one) }
        let survivor = min(one, other)
        let merged = max(one, other)
        try merge(merged, into: survivor, reason: reason, in: db)
        return .merged(survivor: survivor, merged: merged)
    }

    /// Sets the customer's name and language (when given).
    public func update(_ customer: Int64, name: String? = nil, language: String? = nil, in db: Database) throws {
        if let name { try db.run("UPDATE customers SET name = ? WHERE id = ?", name, customer) }
        if let language { try db.run("UPDATE customers SET language = ? WHERE id = ?", language, customer) }
    }

    /// The customer with their identities (or without, for a caller that needs only the contact
    /// fields); nil when unknown. A merged-away id leads to the survivor.
    public func find(_ id: Int64, withIdentities: Bool = true, in db: Database) throws -> Customer? {
        var current = id
        for _ in 0..<16 {
            guard let row = try db.queryFirst(
                "SELECT id, name, phone, email, language, created_at, merged_into FROM customers WHERE id = ?", current,
                as: { row in
                    (Customer(
                        id: row.int64(0), name: row.optionalString(1), phone: row.optionalString(2),
                        email: row.optionalString(3), language: row.string(4),
                        createdAt: Timestamps.date(row.string(5)) ?? .distantPast, identities: []),
                     row.isNull(6) ? nil : row.int64(6))
                })
            else { return nil }
            if let next = row.1 {
                current = next
                continue
            }
            var customer = row.0
            guard withIdentities else { return customer }
            customer.identities = try db.query("""
                SELECT channel, external_id, linked_at, trust FROM customer_identities WHERE customer_id = ?1
                UNION ALL
                SELECT channel, external_id, claimed_at, 'claimed' FROM contact_claims c WHERE customer_id = ?1
                    AND NOT EXISTS (SELECT 1 FROM customer_identities i
                                    WHERE i.customer_id = ?1 AND i.channel = c.channel AND i.external_id = c.external_id)
                """, current
            ) { row in
                LinkedIdentity(
                    identity: Identity(IdentityChannel(rawValue: row.string(0)) ?? .web, row.string(1)),
                    linkedAt: Timestamps.date(row.string(2)) ?? .distantPast,
                    trust: IdentityTrust(rawValue: row.string(3)) ?? .claimed)
            }
            return customer
        }
        return nil
    }

    /// The customer an identity leads to, with their identities.
    public func find(_ identity: Identity, in db: Database) throws -> Customer? {
        guard let id = try customerID(for: identity, in: db) else { return nil }
        return try find(id, in: db)
    }

    private func exists(_ customer: Int64, in db: Database) throws -> Bool {
        try db.queryFirst("SELECT 1 FROM customers WHERE id = ? AND merged_into IS NULL", customer) { _ in true } ?? false
    }

    private func merge(_ merged: Int64, into survivor: Int64, reason: MergeReason, in db: Database) throws {
        var moved: [String: Int] = [:]
        for table in ["customer_identities", "orders", "conversations", "escalations"] {
            moved[table] = try db.run("UPDATE \(table) SET customer_id = ? WHERE customer_id = ?", survivor, merged)
        }
        moved["contact_claims"] = try db.run(
            "UPDATE OR IGNORE contact_claims SET customer_id = ? WHERE customer_id = ?", survivor, merged)
        try db.run("DELETE FROM contact_claims WHERE customer_id = ?", merged)
        // The survivor keeps its own contact details and takes the merged record's where it has none.
        try db.run("""
            UPDATE customers SET
                name = coalesce(name, (SELECT name FROM customers WHERE id = ?2)),
                phone = coalesce(phone, (SELECT phone FROM customers WHERE id = ?2)),
                email = coalesce(email, (SELECT email FROM customers WHERE id = ?2))
            WHERE id = ?1
            """, survivor, merged)
        try db.run("UPDATE customers SET merged_into = ? WHERE id = ?", survivor, merged)
        let summary = moved.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        try db.run("""
            INSERT INTO customer_merges (survivor_id, merged_id, trigger_channel, trigger_external_id, moved, merged_at, actor)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, survivor, merged, reason.triggerChannel, reason.triggerID, summary, Timestamps.text(now()), reason.actor)
    }

    /// A phone or e-mail identity fills the customer's contact field when it is empty.
    private func fillContactFields(from identity: Identity, customer: Int64, in db: Database) throws {
        switch identity.channel {
        case .phone:
            try db.run("UPDATE customers SET phone = coalesce(phone, ?) WHERE id = ?", identity.externalID, customer)
        case .email:
            try db.run("UPDATE customers SET email = coalesce(email, ?) WHERE id = ?", identity.externalID, customer)
        case .messenger, .web:
            break
        }
    }
}

/// Why two customer records became one, as `customer_merges` keeps it.
public enum MergeReason: Sendable, Equatable {
    /// A key identity of one record was linked to the other: `actor` is `link` for a channel's
    /// own identity, `verification` for a contact proved with a one-time code.
    case identity(Identity, actor: String)
    /// An agent who knows both records are one person linked them in the console.
    case agent(String)

    var triggerChannel: String {
        switch self {
        case .identity(let identity, _): identity.channel.rawValue
        case .agent: "agent"
        }
    }

    var triggerID: String {
        switch self {
        case .identity(let identity, _): identity.externalID
        case .agent(let name): name
        }
    }

    var actor: String {
        switch self {
        case .identity(_, let actor): actor
        case .agent(let name): "agent:" + name
        }
    }
}
