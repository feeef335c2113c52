import Commerce
import Foundation
import Storage
import TestSupport
import Testing

/// A queue of 10,000 escalations (a flood, or a long outage of agents): a console gets the most
/// urgent 100 with the totals and `has_more`, asks for more with `queue_more`, and stays usable;
/// the whole queue in one frame would have been beyond what a console's send queue takes. So
/// would a claimed customer's whole record and history, which an `assigned` frame bounds.
@Suite(.serialized)
struct QueuePageTests {
    @Test func aTenThousandItemQueueComesInPages() async throws {
        let fixture = try await MessengerFixture()
        let database = fixture.gateway.database
        let port = fixture.gateway.port
        try await database.write { db in
            try db.execute("INSERT INTO customers (id, language, created_at) VALUES (900000, 'pl', '2026-12-01T10:00:00.000Z')")
            for index in 0..<10_000 {
                try db.run("""
                    INSERT INTO conversations (id, customer_id, channel, external_id, mode, created_at, updated_at)
                    VALUES (?1, 900000, 'web', 'flood-' || ?1, 'human', '2026-12-01T10:00:00.000Z', '2026-12-01T10:00:00.000Z')
                    """, 900_000 + index)
                try db.run("""
                    INSERT INTO escalations (conversation_id, customer_id, reason, priority, summary, status, created_at)
                    VALUES (?1, 900000, 'customer_request', ?2, ?3, 'open', '2026-12-01T10:00:00.000Z')
                    """, 900_000 + index, index == 7_777 ? 95 : 30, String(repeating: "pomocy ", count: 40))
            }
            // The urgent customer wrote 400 messages of 4,000 characters (8,000 bytes each).
            for _ in 0..<400 {
                try db.run("""
                    INSERT INTO messages (conversation_id, direction, author, channel, text, created_at)
                    VALUES (907777, 'in', 'customer', 'web', ?, '2026-12-01T10:00:00.000Z')
                    """, String(repeating: "ż", count: 4_000))
            }
        }
        let token = try await database.write { db in try Agents().add(name: "ewa", in: db).token }
        try await blocking {
            let ewa = try AgentClient(port: port)
            _ = try ewa.signIn(token)
            let first = try #require(ewa.received.last)
            let firstItems = try #require(first["items"] as? [[String: Any]])
            #expect(firstItems.count == 100)
            #expect(first["open_total"] as? Int == 10_000)
            #expect(first["assigned_total"] as? Int == 0)
            #expect(first["has_more"] as? Bool == true)
            #expect(try JSONSerialization.data(withJSONObject: first).count < 200_000)
            #expect(firstItems.first?["priority"] as? Int == 95, "the most urgent first")

            try ewa.send(["type": "queue_more"])
            #expect((try ewa.next(type: "queue")["items"] as? [[String: Any]])?.count == 200)

            let urgent = try #require(firstItems.first?["escalation_id"] as? Int64)
            try ewa.send(["type": "claim", "escalation_id": urgent])
            let assigned = try ewa.next(type: "assigned")
            #expect(assigned["escalation_id"] as? Int64 == urgent)
            // The customer's record and the newest history that fits in 1 MiB of text.
            let history = try #require(assigned["history"] as? [[String: Any]])
            #expect(history.count == (1 << 20) / 8_000)
            #expect((try #require(assigned["customer"] as? [String: Any])["escalations"] as? [Any])?.count == 50)
        }
        await fixture.stop()
    }
}
