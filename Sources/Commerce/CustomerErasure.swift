import Foundation
import Storage

/// Erases a customer (GDPR art. 17): after `erase`, no name, contact, address, identity or
/// message text of theirs is left in any table, in the caller's transaction. What the shop must
/// keep for its books stays without them: orders keep their numbers, lines, amounts and status
/// (contact and address erased), conversations and messages stay as counts with empty texts.
/// Records merged into the customer are erased with it.
///
/// The bytes leave the file only when SQLite overwrites them: the writer runs with
/// `secure_delete` on, and `DatabasePool.checkpoint()` afterwards folds the WAL into the file
/// and truncates it.
public struct CustomerErasure: Sendable {
    private let now: Now

    public init(now: @escaping Now = { Date() }) {
        self.now = now
    }

    /// What an erasure removed, by table (rows deleted or emptied).
    public struct Report: Sendable, Equatable, Encodable {
        public let customerId: Int64
        public let erased: [String: Int]
    }

    /// Erases `customer` (an id merged into another erases the record it was merged into);
    /// throws `unknownCustomer` when there is no such record, or it was erased already.
    public func erase(_ customer: Int64, in db: Database) throws -> Report {
        guard let survivor = try Customers().find(customer, withIdentities: false, in: db)?.id,
              try !Customers().isErased(survivor, in: db)
        else {
            throw CommerceError.unknownCustomer(customer)
        }
        let ids = try records(mergedInto: survivor, in: db)
        let list = ids.map(String.init).joined(separator: ",")
        let conversations = "SELECT id FROM conversations WHERE customer_id IN (\(list))"
        let orders = "SELECT id FROM orders WHERE customer_id IN (\(list))"
        // Every identifier the customer was known by: channel identities, typed contacts,
        // threads (PSIDs, web sessions, call ids) and their records' own contact fields.
        let handles = """
            SELECT external_id FROM customer_identities WHERE customer_id IN (\(list))
            UNION SELECT external_id FROM contact_claims WHERE customer_id IN (\(list))
            UNION SELECT external_id FROM conversations WHERE customer_id IN (\(list)) AND external_id IS NOT NULL
            UNION SELECT phone FROM customers WHERE id IN (\(list)) AND phone IS NOT NULL
            UNION SELECT email FROM customers WHERE id IN (\(list)) AND email IS NOT NULL
            UNION SELECT contact_phone FROM orders WHERE customer_id IN (\(list)) AND contact_phone IS NOT NULL
            UNION SELECT contact_email FROM orders WHERE customer_id IN (\(list)) AND contact_email IS NOT NULL
            """
        let stamp = Timestamps.text(now())
        var erased: [String: Int] = [:]
        // Read before anything they come from is erased: the tables go in this order.
        erased["inbox"] = try db.run("""
            DELETE FROM inbox WHERE sender IN (\(handles))
                OR dedup_key IN (SELECT 'mid:' || external_id FROM messages WHERE conversation_id IN (\(conversations)) AND external_id IS NOT NULL)
            """)
        erased["outbox"] = try db.run("DELETE FROM outbox WHERE conversation_id IN (\(conversations))")
        erased["notifications"] = try db.run("DELETE FROM notifications WHERE recipient IN (\(handles))")
        erased["verification_codes"] = try db.run("""
            DELETE FROM verification_codes WHERE conversation_id IN (\(conversations))
                OR external_id IN (\(handles))
            """)
        erased["intent_labels"] = try db.run(
            "DELETE FROM intent_labels WHERE message_id IN (SELECT id FROM messages WHERE conversation_id IN (\(conversations)))")
        erased["messages"] = try db.run(
            "UPDATE messages SET text = '', external_id = NULL WHERE conversation_id IN (\(conversations))")
        erased["escalations"] = try db.run("UPDATE escalations SET summary = '' WHERE customer_id IN (\(list))")
        erased["conversations"] = try db.run("""
            UPDATE conversations SET external_id = NULL, state = '{}', state_version = state_version + 1, mode = 'bot',
                closed_at = coalesce(closed_at, ?1), updated_at = ?1
            WHERE customer_id IN (\(list))
            """, stamp)
        erased["orders"] = try db.run("""
            UPDATE orders SET contact_name = '', contact_phone = NULL, contact_email = NULL, address_street = NULL,
                address_postcode = NULL, address_city = NULL, locker_code = NULL, invoice_company = NULL, invoice_nip = NULL,
                invoice_address = NULL, updated_at = ?1
            WHERE customer_id IN (\(list))
            """, stamp)
        erased["order_status_history"] = try db.run(
            "UPDATE order_status_history SET note = NULL WHERE order_id IN (\(orders)) AND note IS NOT NULL")
        erased["return_cases"] = try db.run("UPDATE return_cases SET reason = '' WHERE order_id IN (\(orders))")
        erased["customer_merges"] = try db.run("""
            UPDATE customer_merges SET trigger_external_id = '' WHERE survivor_id IN (\(list)) OR merged_id IN (\(list))
            """)
        erased["contact_claims"] = try db.run("DELETE FROM contact_claims WHERE customer_id IN (\(list))")
        erased["customer_identities"] = try db.run("DELETE FROM customer_identities WHERE customer_id IN (\(list))")
        erased["customers"] = try db.run(
            "UPDATE customers SET name = NULL, phone = NULL, email = NULL, erased_at = ?1 WHERE id IN (\(list))", stamp)
        return Report(customerId: survivor, erased: erased)
    }

    /// `customer` and every record merged into it, directly or through others.
    private func records(mergedInto customer: Int64, in db: Database) throws -> [Int64] {
        try db.query("""
            WITH RECURSIVE merged(id) AS (SELECT ?1 UNION SELECT c.id FROM customers c JOIN merged m ON c.merged_into = m.id)
            SELECT id FROM merged
            """, customer) { $0.int64(0) }
    }
}
