import Foundation
import Storage

/// The shared customer record: customers, their identities on every channel, and merges.
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

    /// The customer an identity belongs to, or nil.
    public func customerID(for identity: Identity, in db: Database) throws -> Int64? {
        try db.queryFirst(
            "SELECT customer_id FROM customer_identities WHERE channel = ? AND external_id = ?",
            identity.channel.rawValue, identity.externalID
        ) { $0.int64(0) }
    }

    /// Links `identity` to `customer`. When another customer already has it, the two records
    /// become one: the older survives and the newer's identities, orders, conversations and
    /// escalations move to it, all in the caller's transaction; the merge is recorded.
    @discardableResult
    public func link(_ identity: Identity, to customer: Int64, in db: Database) throws -> LinkOutcome {
        guard try exists(customer, in: db) else { throw CommerceError.unknownCustomer(customer) }
        if let owner = try customerID(for: identity, in: db) {
            guard owner != customer else { return .alreadyLinked(customer: customer) }
            let survivor = min(owner, customer)
            let merged = max(owner, customer)
            try merge(merged, into: survivor, trigger: identity, in: db)
            return .merged(survivor: survivor, merged: merged)
        }
        try db.run(
            "INSERT INTO customer_identities (customer_id, channel, external_id, linked_at) VALUES (?, ?, ?, ?)",
            customer, identity.channel.rawValue, identity.externalID, Timestamps.text(now()))
        try fillContactFields(from: identity, customer: customer, in: db)
        return .linked(customer: customer)
    }

    /// Sets the customer's name and language (when given).
    public func update(_ customer: Int64, name: String? = nil, language: String? = nil, in db: Database) throws {
        if let name { try db.run("UPDATE customers SET name = ? WHERE id = ?", name, customer) }
        if let language { try db.run("UPDATE customers SET language = ? WHERE id = ?", language, customer) }
    }

    /// The customer with their identities; nil when unknown. A merged-away id leads to the survivor.
    public func find(_ id: Int64, in db: Database) throws -> Customer? {
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
            customer.identities = try db.query(
                "SELECT channel, external_id, linked_at FROM customer_identities WHERE customer_id = ? ORDER BY id",
                current
            ) { row in
                LinkedIdentity(
                    identity: Identity(IdentityChannel(rawValue: row.string(0)) ?? .web, row.string(1)),
                    linkedAt: Timestamps.date(row.string(2)) ?? .distantPast)
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

    private func merge(_ merged: Int64, into survivor: Int64, trigger: Identity, in db: Database) throws {
        var moved: [String: Int] = [:]
        for table in ["customer_identities", "orders", "conversations", "escalations"] {
            moved[table] = try db.run("UPDATE \(table) SET customer_id = ? WHERE customer_id = ?", survivor, merged)
        }
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
            INSERT INTO customer_merges (survivor_id, merged_id, trigger_channel, trigger_external_id, moved, merged_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, survivor, merged, trigger.channel.rawValue, trigger.externalID, summary, Timestamps.text(now()))
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
