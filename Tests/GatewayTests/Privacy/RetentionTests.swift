import Commerce
import Foundation
@testable import Gateway
@testable import OrderBotCLI
import Storage
import Telemetry
import TestSupport
import Testing

/// Past `ORDERBOT_RETENTION_DAYS`, handled events, delivered replies, sent notifications and
/// message texts go (in small batches); what is newer, still pending, and the shop's records stay.
struct RetentionTests {
    @Test func whatIsPastTheRetentionIsPurgedInBatches() async throws {
        let directory = TemporaryDirectory()
        let database = try DatabasePool(DatabaseConfiguration(path: directory.path("r.sqlite")), migrator: Schema.migrator())
        defer { database.close() }
        let old = "2026-01-01T10:00:00.000Z"
        let recent = "2026-12-01T10:00:00.000Z"
        try await database.write { db in
            try db.execute("""
                INSERT INTO customers (id, name, language, created_at) VALUES (1, 'Anna', 'pl', '\(old)');
                INSERT INTO conversations (id, customer_id, channel, external_id, created_at, updated_at)
                    VALUES (1, 1, 'web', 's-1', '\(old)', '\(recent)');
                INSERT INTO orders (id, number, customer_id, status, currency, items_minor, delivery_minor, payment_fee_minor,
                                    total_minor, delivery_method, store_id, payment_method, contact_name, created_at, updated_at)
                    VALUES (1, '100008', 1, 'new', 'PLN', 100, 0, 0, 100, 'store_pickup', 'WRO', 'card', 'Anna', '\(old)', '\(old)');
                INSERT INTO order_events (public_id, order_id, event, occurred_at, status, next_attempt_at)
                    VALUES ('evt_sent_old', 1, 'order.created', '\(old)', 'sent', '\(old)'),
                           ('evt_pending_old', 1, 'order.changed', '\(old)', 'pending', '\(old)'),
                           ('evt_sent_recent', 1, 'order.paid', '\(recent)', 'sent', '\(recent)');
                """)
            for index in 0..<25 {
                let at = index < 20 ? old : recent
                try db.run("""
                    INSERT INTO messages (conversation_id, direction, author, channel, text, intent, created_at)
                    VALUES (1, 'in', 'customer', 'web', ?, 'order_status', ?)
                    """, "wiadomość \(index)", at)
                try db.run("""
                    INSERT INTO inbox (channel, dedup_key, sender, kind, event, status, received_at)
                    VALUES ('web', ?, 's-1', 'turn', '{}', ?, ?)
                    """, "k-\(index)", index == 3 ? "pending" : "done", at)
                try db.run("""
                    INSERT INTO outbox (conversation_id, channel, recipient, author, text, status, next_attempt_at, created_at)
                    VALUES (1, 'web', 's-1', 'bot', ?, ?, ?, ?)
                    """, "odpowiedź \(index)", index == 4 ? "pending" : "sent", at, at)
            }
        }
        let metrics = MetricsRegistry()
        let service = RetentionService(
            database: database,
            retention: Retention(days: 30, batchSize: 7, now: { Timestamps.date("2026-12-07T10:00:00.000Z")! }),
            metrics: metrics, logger: Logger(level: .error, sink: MemoryLogSink()))
        await service.purgeAll()

        let left = try await database.read { db in
            (messages: try db.query("SELECT text FROM messages ORDER BY id") { $0.string(0) },
             intents: try db.queryFirst("SELECT count(*) FROM messages WHERE intent = 'order_status'") { $0.int(0) } ?? 0,
             inbox: try db.query("SELECT dedup_key FROM inbox ORDER BY id") { $0.string(0) },
             outbox: try db.query("SELECT text FROM outbox ORDER BY id") { $0.string(0) },
             customer: try db.queryFirst("SELECT name FROM customers WHERE id = 1") { $0.optionalString(0) } ?? nil,
             events: try db.query("SELECT public_id FROM order_events ORDER BY id") { $0.string(0) })
        }
        #expect(left.messages == Array(repeating: "", count: 20) + (20..<25).map { "wiadomość \($0)" })
        #expect(left.intents == 25, "the messages stay, for counts")
        #expect(left.inbox == ["k-3"] + (20..<25).map { "k-\($0)" }, "a pending event is never purged")
        #expect(left.outbox == ["odpowiedź 4"] + (20..<25).map { "odpowiedź \($0)" })
        #expect(left.customer == "Anna", "the shop's records stay")
        #expect(left.events == ["evt_pending_old", "evt_sent_recent"], "an event the ERP has not taken stays, however old")
        let text = metrics.render()
        #expect(text.contains(#"orderbot_retention_purged_total{table="messages"} 20"#))
        #expect(text.contains(#"orderbot_retention_purged_total{table="inbox"} 19"#))
    }

    @Test func retentionDaysAreReadFromTheEnvironment() throws {
        func days(_ value: String?) throws -> Int? {
            let environment = value.map { ["ORDERBOT_RETENTION_DAYS": $0] } ?? [:]
            let settings = Settings(arguments: try ParsedArguments([], valued: [], flags: []), environment: environment)
            return try ServeCommand.configuration(settings).retentionDays
        }
        #expect(try days(nil) == 365)
        #expect(try days("30") == 30)
        #expect(try days("off") == nil)
        #expect(throws: (any Error).self) { try days("0") }
        #expect(throws: (any Error).self) { try days("forever") }
    }
}
