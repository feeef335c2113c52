import Commerce
import Foundation
import Storage
import Testing
import TestSupport

/// Migrations 7 and 8 rebuilt the tables every message writes and indexed a customer's orders by
/// date: nothing lost, links kept, the same values refused, and no temporary b-tree built per row
/// written or per turn's look at the customer's orders.
struct SchemaTests {
    /// A version-6 database with a message an agent labelled, an inbox event and a reply waiting.
    private func versionSixDatabase(in directory: TemporaryDirectory) throws -> Database {
        let database = try Database(path: directory.path("shop.sqlite"))
        try Migrator(Array(Schema.migrations.prefix(6))).migrate(database)
        try database.execute("""
            INSERT INTO customers (id, language, created_at) VALUES (1, 'pl', '2026-01-01T00:00:00.000Z');
            INSERT INTO conversations (id, customer_id, channel, external_id, created_at, updated_at)
                VALUES (1, 1, 'messenger', 'psid-1', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
            INSERT INTO messages (id, conversation_id, direction, author, channel, text, intent, confidence, external_id, created_at)
                VALUES (7, 1, 'in', 'customer', 'messenger', 'gdzie jest moja paczka', 'order_status', 0.91, 'm_1',
                        '2026-01-01T00:00:01.000Z');
            INSERT INTO intent_labels (message_id, text, intent, language, agent, created_at)
                VALUES (7, 'gdzie jest moja paczka', 'order_status', 'pl', 'ania', '2026-01-01T00:00:02.000Z');
            INSERT INTO inbox (channel, dedup_key, sender, kind, event, status, received_at)
                VALUES ('messenger', 'm_1', 'psid-1', 'message', '{}', 'done', '2026-01-01T00:00:01.000Z');
            INSERT INTO outbox (conversation_id, channel, recipient, author, text, next_attempt_at, created_at, parts_sent)
                VALUES (1, 'messenger', 'psid-1', 'bot', 'Podaj numer zamówienia.', '2026-01-01T00:00:01.000Z',
                        '2026-01-01T00:00:01.000Z', 1);
            """)
        return database
    }

    private func rows(_ sql: String, in database: Database) throws -> [String] {
        try database.query(sql) { row in (0..<row.columnCount).map { row.isNull($0) ? "NULL" : row.string($0) }.joined(separator: "|") }
    }

    @Test func rowsAndLinksSurviveTheRebuild() throws {
        let directory = TemporaryDirectory()
        let database = try versionSixDatabase(in: directory)
        let before = try ["messages", "inbox", "outbox", "intent_labels"].map { try rows("SELECT * FROM \($0)", in: database) }
        #expect(try Schema.migrator().migrate(database).map(\.version) == Array(7...Schema.migrations.count))
        var after = try ["messages", "inbox", "outbox", "intent_labels"].map { try rows("SELECT * FROM \($0)", in: database) }
        // Migration 11 adds the outbox's `purpose`, a reply unless said otherwise.
        #expect(after[2] == before[2].map { $0 + "|reply" })
        after[2] = before[2]
        #expect(after == before)
        #expect(before.allSatisfy { $0.count == 1 })
        #expect(try rows("PRAGMA foreign_key_check", in: database).isEmpty)
        #expect(try rows("PRAGMA foreign_keys", in: database) == ["1"])
        #expect(try rows("PRAGMA integrity_check", in: database) == ["ok"])
        // The label still points at its message: the message cannot go while the label refers to it.
        #expect(throws: SQLiteError.self) { try database.run("DELETE FROM messages WHERE id = 7") }
        let indexes = try rows("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('messages', 'inbox', 'outbox') ORDER BY name", in: database)
        #expect(indexes == [
            "inbox_pending", "messages_by_conversation", "messages_from_customers_by_intent", "outbox_by_conversation", "outbox_pending",
            "sqlite_autoindex_inbox_1",
        ])
    }

    /// Migration 11 rebuilt `orders` for the statuses `packed` and `returned`: an order of a
    /// version-10 database keeps every column, its lines and history still point at it, and a
    /// payment its history shows is its payment status.
    @Test func ordersSurviveTheLifecycleRebuild() throws {
        let directory = TemporaryDirectory()
        let database = try Database(path: directory.path("shop.sqlite"))
        try Migrator(Array(Schema.migrations.prefix(10))).migrate(database)
        try database.execute("""
            INSERT INTO customers (id, language, created_at) VALUES (1, 'pl', '2026-01-01T00:00:00.000Z');
            INSERT INTO products (id, name_pl, name_en, category, updated_at) VALUES ('p', 'Skarpety', 'Socks', 'socks', 'now');
            INSERT INTO variants (sku, product_id, size, color, price_minor, currency, stock) VALUES ('S-1', 'p', '39', 'biały', 1000, 'PLN', 5);
            INSERT INTO orders (id, number, customer_id, status, currency, items_minor, delivery_minor, payment_fee_minor,
                                total_minor, delivery_method, locker_code, payment_method, contact_name, contact_phone,
                                created_at, updated_at)
                VALUES (3, '100008', 1, 'paid', 'PLN', 1000, 999, 0, 1999, 'parcel_locker', 'WRO01M', 'blik', 'Ewa',
                        '+48600700800', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:05.000Z');
            INSERT INTO order_lines (order_id, line, sku, product_id, name_pl, name_en, size, color, quantity,
                                     unit_price_minor, line_total_minor)
                VALUES (3, 1, 'S-1', 'p', 'Skarpety', 'Socks', '39', 'biały', 1, 1000, 1000);
            INSERT INTO order_status_history (order_id, status, at) VALUES (3, 'new', '2026-01-01T00:00:00.000Z');
            INSERT INTO order_status_history (order_id, status, at) VALUES (3, 'paid', '2026-01-01T00:00:05.000Z');
            """)
        let before = try rows("SELECT * FROM orders", in: database)
        try Schema.migrator().migrate(database)
        let after = try rows("SELECT * FROM orders", in: database)
        #expect(after == before.map { $0 + "|NULL|NULL|NULL|paid|2026-01-01T00:00:05.000Z|NULL" })
        #expect(try rows("PRAGMA foreign_key_check", in: database).isEmpty)
        #expect(throws: SQLiteError.self) { try database.run("DELETE FROM orders WHERE id = 3") }
        for status in ["packed", "returned"] { try database.run("UPDATE orders SET status = ? WHERE id = 3", status) }
        #expect(throws: SQLiteError.self) { try database.run("UPDATE orders SET status = 'lost' WHERE id = 3") }
        #expect(throws: SQLiteError.self) { try database.run("UPDATE orders SET payment_status = 'maybe' WHERE id = 3") }
        let indexes = try rows("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'orders' AND sql IS NOT NULL ORDER BY name", in: database)
        #expect(indexes == ["orders_awaiting_payment", "orders_by_contact_email", "orders_by_contact_phone", "orders_by_customer_newest"])
        let opcodes = try database.query("EXPLAIN UPDATE orders SET status = 'shipped' WHERE id = 3") { $0.string(1) }
        #expect(!opcodes.contains("OpenEphemeral"))
    }

    @Test func theSameValuesAreRefused() throws {
        let directory = TemporaryDirectory()
        let database = try Database(path: directory.path("shop.sqlite"))
        try Schema.migrator().migrate(database)
        try database.execute("""
            INSERT INTO customers (id, language, created_at) VALUES (1, 'pl', '2026-01-01T00:00:00.000Z');
            INSERT INTO conversations (id, customer_id, channel, created_at, updated_at)
                VALUES (1, 1, 'web', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
            """)
        let message = "INSERT INTO messages (conversation_id, direction, author, channel, text, created_at) VALUES (1, 'in', ?, ?, 'x', 'now')"
        try database.run(message, "system", "voice")
        for (author, channel) in [("robot", "web"), ("bot", "sms"), ("Bot", "web"), ("bot", "")] {
            #expect(throws: SQLiteError.self) { try database.run(message, author, channel) }
        }
        let inbox = "INSERT INTO inbox (channel, dedup_key, sender, kind, event, status, received_at) VALUES (?, ?, 's', 'message', '{}', ?, 'now')"
        try database.run(inbox, "web", "a", "failed")
        #expect(throws: SQLiteError.self) { try database.run(inbox, "web", "b", "lost") }
        #expect(throws: SQLiteError.self) { try database.run(inbox, "email", "c", "pending") }
        try database.run("UPDATE inbox SET status = 'done' WHERE dedup_key = 'a'")
        #expect(throws: SQLiteError.self) { try database.run("UPDATE inbox SET status = 'gone' WHERE dedup_key = 'a'") }
        let outbox = """
            INSERT INTO outbox (conversation_id, channel, recipient, author, text, status, next_attempt_at, created_at)
            VALUES (1, ?, 'r', 'bot', 'x', ?, 'now', 'now')
            """
        try database.run(outbox, "messenger", "sent")
        #expect(throws: SQLiteError.self) { try database.run(outbox, "messenger", "queued") }
        #expect(throws: SQLiteError.self) { try database.run(outbox, "phone", "pending") }
    }

    /// What migrations 7 and 8 were for: writing a message, an inbox event or a reply, and reading
    /// a customer's latest orders, build no temporary b-tree (`x IN (three values)` in a CHECK built
    /// one per row written; ordering by date, one per read).
    @Test func theHotPathBuildsNoTemporaryBTree() throws {
        let directory = TemporaryDirectory()
        let database = try Database(path: directory.path("shop.sqlite"))
        try Schema.migrator().migrate(database)
        let writes = [
            "INSERT INTO messages (conversation_id, direction, author, channel, text, created_at) VALUES (1, 'in', 'bot', 'web', 'x', 'now')",
            "INSERT INTO inbox (channel, dedup_key, sender, kind, event, received_at) VALUES ('web', 'k', 's', 'message', '{}', 'now')",
            "UPDATE inbox SET status = 'done', outcome = 'ok' WHERE id = 1 AND status = 'pending'",
            """
            INSERT INTO outbox (conversation_id, channel, recipient, author, text, next_attempt_at, created_at)
            VALUES (1, 'web', 'r', 'bot', 'x', 'now', 'now')
            """,
            "UPDATE outbox SET status = 'sent' WHERE id = 1",
            "SELECT id FROM orders o WHERE o.customer_id = 1 ORDER BY o.created_at DESC, o.id DESC LIMIT 20",
        ]
        for sql in writes {
            let opcodes = try database.query("EXPLAIN " + sql) { $0.string(1) }
            #expect(!opcodes.isEmpty)
            #expect(!opcodes.contains("OpenEphemeral"), "\(sql)")
        }
    }
}
