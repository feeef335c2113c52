import Commerce
import Foundation
import Storage
import Testing
import TestSupport

/// One-time codes, the notifications outbox, claims and the migration of earlier typed contacts,
/// on a real SQLite file with a clock the test moves.
struct VerificationTests {
    static let phone = Identity(.phone, "+48601234567")

    /// A conversation of a new web customer, for codes to belong to.
    static func conversation(_ fixture: CommerceFixture) throws -> Int64 {
        let customer = try fixture.newCustomer()
        return try fixture.database.write { db in
            try fixture.conversations.open(customer: customer, channel: .web, externalID: UUID().uuidString, in: db).id
        }
    }

    static func issue(_ fixture: CommerceFixture, _ conversation: Int64, delivered: Bool = true) throws -> VerificationCodes.Issue {
        try fixture.database.write { db in
            try VerificationCodes(now: fixture.clock.now).issue(for: phone, conversation: conversation, delivered: delivered, in: db)
        }
    }

    static func check(_ fixture: CommerceFixture, _ code: String, _ conversation: Int64) throws -> VerificationCodes.Check {
        try fixture.database.write { db in try VerificationCodes(now: fixture.clock.now).check(code, conversation: conversation, in: db) }
    }

    static func code(_ issue: VerificationCodes.Issue) -> String? {
        if case .issued(let code, _) = issue { return code }
        return nil
    }

    /// Six digits, right once, kept only as a salted hash.
    @Test func aCodeIsRightOnceAndNeverStored() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        let conversation = try Self.conversation(fixture)
        let code = try #require(Self.code(try Self.issue(fixture, conversation)))
        #expect(code.count == 6 && code.allSatisfy(\.isASCIIDigit))
        let stored = try fixture.database.read { db in
            try db.query("SELECT salt || code_hash FROM verification_codes") { $0.string(0) }
        }
        #expect(stored.count == 1 && !stored[0].contains(code))
        #expect(try Self.check(fixture, code, conversation) == .verified(Self.phone))
        #expect(try Self.check(fixture, code, conversation) == .expired, "a used code is spent")
    }

    /// Ten minutes, then the code has expired even when right.
    @Test func aCodeExpiresAfterTenMinutes() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        let conversation = try Self.conversation(fixture)
        let code = try #require(Self.code(try Self.issue(fixture, conversation)))
        fixture.clock.advance(days: 10.0 / 1_440 + 0.000_01)
        #expect(try Self.check(fixture, code, conversation) == .expired)
    }

    /// A code never delivered (the contact belongs to nobody) is wrong whatever is typed.
    @Test func anUndeliveredCodeIsNeverRight() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        let conversation = try Self.conversation(fixture)
        let code = try #require(Self.code(try Self.issue(fixture, conversation, delivered: false)))
        #expect(try Self.check(fixture, code, conversation) == .wrong(triesLeft: 4))
    }

    /// A new code voids the conversation's pending one.
    @Test func aNewCodeReplacesThePendingOne() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        let conversation = try Self.conversation(fixture)
        let first = try #require(Self.code(try Self.issue(fixture, conversation)))
        let second = try #require(Self.code(try Self.issue(fixture, conversation)))
        if first != second { #expect(try Self.check(fixture, first, conversation) == .wrong(triesLeft: 4)) }
        #expect(try Self.check(fixture, second, conversation) == .verified(Self.phone))
    }

    /// Three codes a contact an hour, across conversations; the fourth is refused until the hour
    /// has passed since the first.
    @Test func threeCodesAContactAnHour() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        for _ in 1...3 { #expect(Self.code(try Self.issue(fixture, try Self.conversation(fixture))) != nil) }
        #expect(try Self.issue(fixture, try Self.conversation(fixture)) == .refused)
        fixture.clock.advance(days: 61.0 / 1_440)
        #expect(Self.code(try Self.issue(fixture, try Self.conversation(fixture))) != nil)
    }

    /// Five wrong tries lock the code, and the contact gets no code for an hour after.
    @Test func fiveWrongTriesLockTheContactForAnHour() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        let conversation = try Self.conversation(fixture)
        let code = try #require(Self.code(try Self.issue(fixture, conversation)))
        let wrong = code == "000000" ? "111111" : "000000"
        let answers = try (1...5).map { _ in try Self.check(fixture, wrong, conversation) }
        #expect(answers == [.wrong(triesLeft: 4), .wrong(triesLeft: 3), .wrong(triesLeft: 2), .wrong(triesLeft: 1), .locked])
        #expect(try Self.check(fixture, code, conversation) == .expired, "the locked code is void")
        fixture.clock.advance(days: 59.0 / 1_440)
        #expect(try Self.issue(fixture, try Self.conversation(fixture)) == .refused)
        fixture.clock.advance(days: 2.0 / 1_440)
        #expect(Self.code(try Self.issue(fixture, try Self.conversation(fixture))) != nil)
    }

    /// The outbox: due at once, retried later, given up after its time, the body emptied once
    /// finished either way.
    @Test func notificationsAreRetriedThenGivenUpAndForgotten() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        let notifications = Notifications(now: fixture.clock.now)
        let start = fixture.clock.now()
        let id = try fixture.database.write { db in
            try notifications.enqueue(.verificationCode, to: Self.phone, language: "pl", text: "kod 123456", code: "123456",
                                      giveUpAt: start.addingTimeInterval(600), in: db)
        }
        #expect(id.hasPrefix("ntf_"))
        let due = try fixture.database.read { db in try notifications.due(limit: 10, in: db) }
        let pending = try #require(due.first)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(pending.body.utf8)) as? [String: Any])
        #expect(body["id"] as? String == id && body["code"] as? String == "123456" && body["kind"] as? String == "verification_code")
        #expect(body["to"] as? [String: String] == ["phone": Self.phone.externalID])
        try fixture.database.write { db in
            try notifications.failed(pending.rowID, error: "503", next: start.addingTimeInterval(60), in: db)
        }
        #expect(try fixture.database.read { db in try notifications.due(limit: 10, in: db) }.isEmpty, "not due before its retry")
        fixture.clock.advance(days: 61.0 / 86_400)
        let retry = try #require(try fixture.database.read { db in try notifications.due(limit: 10, in: db) }.first)
        #expect(retry.attempts == 1)
        try fixture.database.write { db in
            try notifications.failed(retry.rowID, error: "503", next: start.addingTimeInterval(601), in: db)
        }
        let row = try fixture.database.read { db in
            try db.queryFirst("SELECT status, body FROM notifications") { ($0.string(0), $0.string(1)) }
        }
        #expect(row?.0 == "failed" && row?.1 == "", "given up past the code's life, and the code is gone")
    }

    /// A claim fills the record's empty contact field and is listed with trust `claimed`, but
    /// leads nowhere; two customers may claim one contact.
    @Test func aClaimIsNoKey() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        let first = try fixture.newCustomer()
        let second = try fixture.newCustomer()
        try fixture.database.write { db in
            try fixture.customers.claim(Self.phone, by: first, in: db)
            try fixture.customers.claim(Self.phone, by: second, in: db)
        }
        #expect(try fixture.database.read { db in try fixture.customers.customerID(for: Self.phone, in: db) } == nil)
        let record = try #require(try fixture.database.read { db in try fixture.customers.find(first, in: db) })
        #expect(record.phone == Self.phone.externalID)
        #expect(record.identities.map(\.trust) == [.platform, .claimed])
        #expect(try fixture.database.read { db in try fixture.customers.customers(withContact: Self.phone, in: db) }.count == 2)
    }

    /// Migration 6 on a version-5 database: an e-mail and a phone typed after the record was made
    /// become claims; a caller's number (linked as the record was made) stays a key.
    @Test func earlierTypedContactsBecomeClaims() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("old.sqlite")
        do {
            let old = try Database(path: path)
            _ = try Migrator(Array(Schema.migrations.prefix(5))).migrate(old)
            try old.execute("""
                INSERT INTO customers (id, created_at) VALUES (1, '2026-01-01T10:00:00.000Z'), (2, '2026-01-02T10:00:00.000Z');
                INSERT INTO customer_identities (customer_id, channel, external_id, linked_at) VALUES
                    (1, 'messenger', 'psid-1', '2026-01-01T10:00:00.000Z'),
                    (1, 'phone', '+48600000001', '2026-01-01T10:05:00.000Z'),
                    (1, 'email', 'a@example.pl', '2026-01-01T10:06:00.000Z'),
                    (2, 'phone', '+48600000002', '2026-01-02T10:00:00.000Z');
                """)
        }
        let pool = try DatabasePool(DatabaseConfiguration(path: path), migrator: Schema.migrator())
        defer { pool.close() }
        let keys = try pool.read { db in
            try db.query("SELECT channel || ':' || external_id || ':' || trust FROM customer_identities ORDER BY id") { $0.string(0) }
        }
        #expect(keys == ["messenger:psid-1:platform", "phone:+48600000002:platform"])
        let claims = try pool.read { db in
            try db.query("SELECT customer_id || ':' || external_id FROM contact_claims ORDER BY id") { $0.string(0) }
        }
        #expect(claims == ["1:+48600000001", "1:a@example.pl"])
    }
}
