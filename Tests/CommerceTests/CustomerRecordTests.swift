import Commerce
import Foundation
import ShopValues
import Storage
import Testing

/// The shared customer record: identities on every channel, linking them, and merging two
/// records that turn out to be one person.
struct CustomerRecordTests {
    private struct AbandonedMerge: Error {}

    private static func count(_ table: String, in db: Database) throws -> Int {
        try db.queryFirst("SELECT count(*) FROM \(table)") { $0.int(0) } ?? -1
    }

    /// Resolving an identity twice gives one customer; phone and e-mail identities fill the matching contact field.
    @Test func resolvingIsStableAndFillsContactFields() throws {
        let fixture = try CommerceFixture()
        let (first, second, byPhone, byEmail, byMessenger, customerCount) = try fixture.database.write { db in
            (
                try fixture.customers.resolve(Identity(.messenger, "psid-1"), in: db),
                try fixture.customers.resolve(Identity(.messenger, "psid-1"), in: db),
                try fixture.customers.resolve(Identity(.phone, "+48600123456"), in: db),
                try fixture.customers.resolve(Identity(.email, "anna@example.pl"), language: "en", in: db),
                try fixture.customers.find(Identity(.messenger, "psid-1"), in: db),
                try Self.count("customers", in: db)
            )
        }
        #expect(first == second)
        #expect(customerCount == 3)
        let phoneCustomer = try #require(try fixture.database.read { db in try fixture.customers.find(byPhone, in: db) })
        #expect(phoneCustomer.phone == "+48600123456")
        #expect(phoneCustomer.email == nil)
        #expect(phoneCustomer.language == "pl")
        let emailCustomer = try #require(try fixture.database.read { db in try fixture.customers.find(byEmail, in: db) })
        #expect(emailCustomer.email == "anna@example.pl")
        #expect(emailCustomer.phone == nil)
        #expect(emailCustomer.language == "en")
        let messengerCustomer = try #require(byMessenger)
        #expect(messengerCustomer.id == first)
        #expect(messengerCustomer.phone == nil && messengerCustomer.email == nil)
        #expect(messengerCustomer.identities.map(\.identity) == [Identity(.messenger, "psid-1")])
    }

    /// Linking a new identity adds it to the customer's identities; linking it again reports it as already theirs.
    @Test func linkingANewIdentityAddsIt() throws {
        let fixture = try CommerceFixture()
        let customer = try fixture.newCustomer("web-session-1")
        let (outcome, again) = try fixture.database.write { db in
            (
                try fixture.customers.link(Identity(.phone, "+48600123456"), to: customer, in: db),
                try fixture.customers.link(Identity(.phone, "+48600123456"), to: customer, in: db)
            )
        }
        #expect(outcome == .linked(customer: customer))
        #expect(again == .alreadyLinked(customer: customer))
        let found = try #require(try fixture.database.read { db in try fixture.customers.find(customer, in: db) })
        #expect(found.identities.map(\.identity) == [Identity(.web, "web-session-1"), Identity(.phone, "+48600123456")])
        #expect(found.phone == "+48600123456")
        let resolved = try fixture.database.read { db in
            try fixture.customers.customerID(for: Identity(.phone, "+48600123456"), in: db)
        }
        #expect(resolved == customer)
    }

    /// Linking another customer's identity merges the two into the older one, moving everything and losing nothing.
    @Test func linkingAnotherCustomersIdentityMergesTheRecords() throws {
        let fixture = try CommerceFixture()
        let messengerIdentity = Identity(.messenger, "psid-anna")
        let phoneIdentity = Identity(.phone, "+48600123456")

        let (a, conversationA, orderA, escalationA) = try fixture.database.write { db in
            let a = try fixture.customers.resolve(messengerIdentity, in: db)
            let conversation = try fixture.conversations.open(
                customer: a, channel: .messenger, externalID: "psid-anna", in: db)
            try fixture.conversations.append(
                .fromCustomer("Chcę skarpetki", intent: "place_order", confidence: 0.9), to: conversation.id, in: db)
            try fixture.conversations.append(.reply("Jaki rozmiar?", from: .bot), to: conversation.id, in: db)
            let order = try fixture.orders.place(fixture.request(customer: a, [("RUN-SOCKS-39-42-WHT", 1)]), in: db)
            let escalation = try fixture.escalations.open(
                conversation: conversation.id, reason: .complaint, priority: 2, summary: "Reklamacja", in: db)
            return (a, conversation.id, order.number, escalation.id)
        }
        fixture.clock.advance(days: 1)
        let (b, conversationB, orderB, escalationB) = try fixture.database.write { db in
            let b = try fixture.customers.resolve(phoneIdentity, in: db)
            let conversation = try fixture.conversations.open(customer: b, channel: .voice, externalID: "call-1", in: db)
            try fixture.conversations.append(
                .fromCustomer("Gdzie jest moje zamówienie?", intent: "order_status", confidence: 0.8),
                to: conversation.id, in: db)
            let order = try fixture.orders.place(fixture.request(customer: b, [("AERO-RUN-42-BLK", 1)]), in: db)
            let escalation = try fixture.escalations.open(
                conversation: conversation.id, reason: .voiceTransfer, priority: 1, summary: "Przekierowanie", in: db)
            return (b, conversation.id, order.number, escalation.id)
        }
        #expect(a < b)
        #expect(orderA != orderB)

        let tables = ["orders", "order_lines", "conversations", "messages", "escalations", "customer_identities"]
        let countsBefore = try fixture.database.read { db in try tables.map { try Self.count($0, in: db) } }
        #expect(countsBefore == [2, 2, 2, 3, 2, 2])

        let outcome = try fixture.database.write { db in try fixture.customers.link(phoneIdentity, to: a, in: db) }
        #expect(outcome == .merged(survivor: a, merged: b))
        #expect(outcome.customerID == a)

        try fixture.database.read { db throws in
            let survivor = try #require(try fixture.customers.find(a, in: db))
            #expect(Set(survivor.identities.map(\.identity)) == [messengerIdentity, phoneIdentity])
            #expect(survivor.phone == "+48600123456")
            #expect(try fixture.customers.customerID(for: messengerIdentity, in: db) == a)
            #expect(try fixture.customers.customerID(for: phoneIdentity, in: db) == a)
            #expect(try fixture.customers.find(b, in: db)?.id == a)
            #expect(try fixture.customers.find(phoneIdentity, in: db)?.id == a)

            let orders = try fixture.orders.orders(ofCustomer: a, in: db)
            #expect(Set(orders.map(\.number)) == [orderA, orderB])
            #expect(orders.allSatisfy { $0.customerID == a })
            #expect(try fixture.orders.orders(ofCustomer: b, in: db).isEmpty)

            let conversations = try fixture.conversations.conversations(ofCustomer: a, in: db)
            #expect(Set(conversations.map(\.id)) == [conversationA, conversationB])
            #expect(Set(conversations.map(\.channel)) == [.messenger, .voice])
            let messages = try fixture.conversations.messages(ofCustomer: a, in: db)
            #expect(messages.map(\.text) == ["Chcę skarpetki", "Jaki rozmiar?", "Gdzie jest moje zamówienie?"])
            #expect(messages.map(\.channel) == [.messenger, .messenger, .voice])
            #expect(try fixture.conversations.messages(ofCustomer: b, in: db).isEmpty)

            let escalations = try fixture.escalations.escalations(ofCustomer: a, in: db)
            #expect(Set(escalations.map(\.id)) == [escalationA, escalationB])
            #expect(escalations.allSatisfy { $0.customerID == a })
            #expect(try fixture.escalations.escalations(ofCustomer: b, in: db).isEmpty)

            let merge = try db.queryFirst("SELECT survivor_id, merged_id FROM customer_merges") { ($0.int64(0), $0.int64(1)) }
            #expect(merge?.0 == a)
            #expect(merge?.1 == b)
            let trigger = try db.queryFirst("SELECT trigger_channel, trigger_external_id, moved FROM customer_merges") {
                ($0.string(0), $0.string(1), $0.string(2))
            }
            #expect(trigger?.0 == "phone")
            #expect(trigger?.1 == "+48600123456")
            #expect(trigger?.2 == "contact_claims=0,conversations=1,customer_identities=1,escalations=1,orders=1")
            #expect(try Self.count("customer_merges", in: db) == 1)

            #expect(try tables.map { try Self.count($0, in: db) } == countsBefore)
        }
    }

    /// The older customer survives a merge whichever of the two the identity was linked to.
    @Test func mergeKeepsTheOlderCustomerWhicheverSideLinks() throws {
        let fixture = try CommerceFixture()
        let messengerIdentity = Identity(.messenger, "psid-older")
        let older = try fixture.database.write { db in try fixture.customers.resolve(messengerIdentity, in: db) }
        let newer = try fixture.database.write { db in try fixture.customers.resolve(Identity(.phone, "+48600123456"), in: db) }
        let outcome = try fixture.database.write { db in try fixture.customers.link(messengerIdentity, to: newer, in: db) }
        #expect(outcome == .merged(survivor: older, merged: newer))
        let resolved = try fixture.database.read { db in
            try fixture.customers.customerID(for: Identity(.phone, "+48600123456"), in: db)
        }
        #expect(resolved == older)
    }

    /// A merge in a transaction that then fails is rolled back: both customers stay separate.
    @Test func mergeInAFailedTransactionLeavesBothCustomersSeparate() throws {
        let fixture = try CommerceFixture()
        let messengerIdentity = Identity(.messenger, "psid-anna")
        let phoneIdentity = Identity(.phone, "+48600123456")
        let (a, b) = try fixture.database.write { db in
            let a = try fixture.customers.resolve(messengerIdentity, in: db)
            let b = try fixture.customers.resolve(phoneIdentity, in: db)
            _ = try fixture.conversations.open(customer: b, channel: .voice, externalID: "call-1", in: db)
            _ = try fixture.orders.place(fixture.request(customer: b, [("RUN-SOCKS-39-42-WHT", 2)]), in: db)
            return (a, b)
        }
        #expect(a != b)

        #expect(throws: AbandonedMerge.self) {
            try fixture.database.write { db in
                let outcome = try fixture.customers.link(phoneIdentity, to: a, in: db)
                #expect(outcome == .merged(survivor: a, merged: b))
                throw AbandonedMerge()
            }
        }

        try fixture.database.read { db throws in
            #expect(try fixture.customers.customerID(for: messengerIdentity, in: db) == a)
            #expect(try fixture.customers.customerID(for: phoneIdentity, in: db) == b)
            #expect(try fixture.customers.find(b, in: db)?.id == b)
            #expect(try fixture.customers.find(a, in: db)?.identities.map(\.identity) == [messengerIdentity])
            #expect(try fixture.customers.find(a, in: db)?.phone == nil)
            #expect(try fixture.orders.orders(ofCustomer: b, in: db).count == 1)
            #expect(try fixture.orders.orders(ofCustomer: a, in: db).isEmpty)
            #expect(try fixture.conversations.conversations(ofCustomer: b, in: db).count == 1)
            #expect(try Self.count("customer_merges", in: db) == 0)
        }
    }

    /// Linking to a customer that does not exist, or was merged away, is refused and adds nothing.
    @Test func linkingToAnUnknownCustomerIsRefused() throws {
        let fixture = try CommerceFixture()
        #expect(throws: CommerceError.unknownCustomer(9_999)) {
            try fixture.database.write { db in try fixture.customers.link(Identity(.web, "lost"), to: 9_999, in: db) }
        }
        let older = try fixture.newCustomer("older")
        let newer = try fixture.newCustomer("newer")
        _ = try fixture.database.write { db in try fixture.customers.link(Identity(.web, "newer"), to: older, in: db) }
        #expect(throws: CommerceError.unknownCustomer(newer)) {
            try fixture.database.write { db in try fixture.customers.link(Identity(.web, "late"), to: newer, in: db) }
        }
        let stray = try fixture.database.read { db in
            (
                try fixture.customers.customerID(for: Identity(.web, "lost"), in: db),
                try fixture.customers.customerID(for: Identity(.web, "late"), in: db)
            )
        }
        #expect(stray.0 == nil)
        #expect(stray.1 == nil)
    }
}
