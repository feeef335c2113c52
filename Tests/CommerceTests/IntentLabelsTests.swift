import Commerce
import Foundation
import Storage
import Testing
import TestSupport

/// Agents' intent labels: what they store, what they correct, what they refuse.
struct IntentLabelsTests {
    /// A conversation in `language` with a customer message, a bot reply and an agent reply.
    private static func transcript(_ fixture: CommerceFixture, language: String = "pl") throws -> [Message] {
        let customer = try fixture.newCustomer()
        return try fixture.database.write { db in
            let conversation = try fixture.conversations.open(
                customer: customer, channel: .web, externalID: UUID().uuidString, language: language, in: db)
            return try [
                NewMessage.fromCustomer("czy mogę dostać fakturę na firmę", intent: "order_product", confidence: 0.41),
                .reply("Chętnie pomogę.", from: .bot),
                .reply("Już wystawiam.", from: .agent),
            ].map { try fixture.conversations.append($0, to: conversation.id, in: db) }
        }
    }

    private static func record(_ fixture: CommerceFixture, _ message: Int64, _ intent: String) throws -> IntentLabel {
        try fixture.database.write { db in
            try IntentLabels(now: fixture.clock.now).record(messageID: message, intent: intent, agent: "anna", in: db)
        }
    }

    /// A label stores the message's text and its conversation's language, and the transcript then
    /// shows the corrected intent (with the classifier's confidence kept).
    @Test func recordCorrectsTheTranscript() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        let messages = try Self.transcript(fixture, language: "en")
        let label = try Self.record(fixture, messages[0].id, "invoice")
        #expect(label.text == "czy mogę dostać fakturę na firmę")
        #expect(label.intent == "invoice" && label.language == "en" && label.agent == "anna")
        #expect(label.messageID == messages[0].id && label.createdAt == fixture.clock.now())
        let stored = try fixture.database.read { db in try fixture.conversations.messages(of: messages[0].conversationID, in: db) }
        #expect(stored.map(\.intent) == ["invoice", nil, nil])
        #expect(stored.first?.confidence == 0.41)
        #expect(try fixture.database.read { db in try IntentLabels().all(in: db) } == [label])
    }

    /// Bot and agent messages are not the customer's and cannot be labelled; an unknown message
    /// neither; nothing is stored or changed.
    @Test func onlyCustomerMessagesCanBeLabelled() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        let messages = try Self.transcript(fixture)
        #expect(throws: IntentLabelError.notACustomerMessage(messages[1].id, author: .bot)) {
            _ = try Self.record(fixture, messages[1].id, "invoice")
        }
        #expect(throws: IntentLabelError.notACustomerMessage(messages[2].id, author: .agent)) {
            _ = try Self.record(fixture, messages[2].id, "invoice")
        }
        #expect(throws: IntentLabelError.unknownMessage(999_999)) { _ = try Self.record(fixture, 999_999, "invoice") }
        #expect(throws: IntentLabelError.emptyIntent(message: messages[0].id)) { _ = try Self.record(fixture, messages[0].id, "") }
        #expect(try fixture.database.read { db in try IntentLabels().all(in: db) }.isEmpty)
        let stored = try fixture.database.read { db in try fixture.conversations.messages(of: messages[0].conversationID, in: db) }
        #expect(stored.map(\.intent) == ["order_product", nil, nil])
    }

    /// `all` lists every label oldest first, relabels of one message included; the message keeps
    /// the latest.
    @Test func allListsLabelsOldestFirst() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        let first = try Self.transcript(fixture)
        let second = try Self.transcript(fixture, language: "en")
        _ = try Self.record(fixture, first[0].id, "invoice")
        fixture.clock.advance(days: 1)
        _ = try Self.record(fixture, second[0].id, "complaint")
        _ = try Self.record(fixture, first[0].id, "account")
        let labels = try fixture.database.read { db in try IntentLabels().all(in: db) }
        #expect(labels.map(\.intent) == ["invoice", "complaint", "account"])
        #expect(labels.map(\.language) == ["pl", "en", "pl"])
        #expect(labels.map(\.messageID) == [first[0].id, second[0].id, first[0].id])
        #expect(labels[0].createdAt < labels[1].createdAt)
        let message = try fixture.database.read { db in try fixture.conversations.messages(of: first[0].conversationID, in: db) }
        #expect(message.first?.intent == "account")
    }

    /// A database from before the labels (schema 4) has none, and reading it changes nothing.
    @Test func olderDatabaseHasNoLabels() throws {
        let directory = TemporaryDirectory()
        let database = try Database(path: directory.path("v4.sqlite"))
        try Migrator(Array(Schema.migrations.prefix(4))).migrate(database)
        #expect(try IntentLabels().all(in: database).isEmpty)
        #expect(try database.schemaVersion() == 4)
    }
}
