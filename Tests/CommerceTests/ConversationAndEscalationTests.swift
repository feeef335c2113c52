import Commerce
import Foundation
import Storage
import Testing

/// Conversations (transcripts, dialogue state) and the human-handoff queue.
struct ConversationAndEscalationTests {
    private static func openConversation(
        _ fixture: CommerceFixture, customer: Int64, externalID: String, channel: ConversationChannel = .messenger
    ) throws -> Conversation {
        try fixture.database.write { db in
            try fixture.conversations.open(customer: customer, channel: channel, externalID: externalID, in: db)
        }
    }

    private static func conversation(_ fixture: CommerceFixture, _ id: Int64) throws -> Conversation {
        try #require(try fixture.database.read { db in try fixture.conversations.find(id, in: db) })
    }

    private static func escalation(_ fixture: CommerceFixture, _ id: Int64) throws -> Escalation {
        try #require(try fixture.database.read { db in try fixture.escalations.find(id, in: db) })
    }

    private static func escalate(
        _ fixture: CommerceFixture, _ conversation: Int64, priority: Int, reason: EscalationReason = .customerRequest
    ) throws -> Escalation {
        try fixture.database.write { db in
            try fixture.escalations.open(
                conversation: conversation, reason: reason, priority: priority, summary: "Klient prosi o konsultanta",
                in: db)
        }
    }

    /// The same channel and external id lead to the same open conversation, and to a new one once it is closed.
    @Test func openReusesTheOpenConversationUntilClosed() throws {
        let fixture = try CommerceFixture()
        let customer = try fixture.newCustomer()
        let first = try Self.openConversation(fixture, customer: customer, externalID: "psid-1")
        let again = try Self.openConversation(fixture, customer: customer, externalID: "psid-1")
        let otherChannel = try Self.openConversation(fixture, customer: customer, externalID: "psid-1", channel: .web)
        #expect(again.id == first.id)
        #expect(otherChannel.id != first.id)
        #expect(first.customerID == customer)
        #expect(first.channel == .messenger)
        #expect(first.externalID == "psid-1")
        #expect(first.mode == .bot)
        #expect(first.closedAt == nil)

        fixture.clock.advance(days: 1)
        try fixture.database.write { db in try fixture.conversations.close(first.id, in: db) }
        #expect(try Self.conversation(fixture, first.id).closedAt != nil)
        let afterClose = try Self.openConversation(fixture, customer: customer, externalID: "psid-1")
        #expect(afterClose.id != first.id)
        #expect(afterClose.id != otherChannel.id)
        #expect(afterClose.closedAt == nil)
        #expect(try Self.openConversation(fixture, customer: customer, externalID: "psid-1").id == afterClose.id)
    }

    /// The transcript keeps the order of appends; customer messages keep intent and confidence, replies have none.
    @Test func appendKeepsOrderAndClassification() throws {
        let fixture = try CommerceFixture()
        let customer = try fixture.newCustomer()
        let conversation = try Self.openConversation(fixture, customer: customer, externalID: "psid-1")
        try fixture.database.write { db in
            try fixture.conversations.append(
                .fromCustomer("Dzień dobry, szukam butów", intent: "product_search", confidence: 0.91, externalID: "mid-1"),
                to: conversation.id, in: db)
            try fixture.conversations.append(.reply("Jaki rozmiar?", from: .bot), to: conversation.id, in: db)
            try fixture.conversations.append(
                .fromCustomer("42", intent: "give_size", confidence: 0.55), to: conversation.id, in: db)
            try fixture.conversations.append(.reply("Już sprawdzam", from: .agent), to: conversation.id, in: db)
        }
        let messages = try fixture.database.read { db in try fixture.conversations.messages(of: conversation.id, in: db) }
        #expect(messages.map(\.text) == ["Dzień dobry, szukam butów", "Jaki rozmiar?", "42", "Już sprawdzam"])
        #expect(messages.map(\.direction) == [.inbound, .outbound, .inbound, .outbound])
        #expect(messages.map(\.author) == [.customer, .bot, .customer, .agent])
        #expect(messages.map(\.intent) == ["product_search", nil, "give_size", nil])
        #expect(messages.map(\.confidence) == [0.91, nil, 0.55, nil])
        #expect(messages.map(\.externalID) == ["mid-1", nil, nil, nil])
        #expect(messages.allSatisfy { $0.channel == .messenger && $0.conversationID == conversation.id })
        let counts = try fixture.database.read { db in try fixture.conversations.messageCounts(ofCustomer: conversation.customerID, in: db) }
        #expect(counts == [conversation.id: 4])
    }

    /// Saving state with the version read bumps it; a stale version is refused and the saved state is kept.
    @Test func saveStateChecksTheVersion() throws {
        let fixture = try CommerceFixture()
        let customer = try fixture.newCustomer()
        let conversation = try Self.openConversation(fixture, customer: customer, externalID: "psid-1")
        #expect(conversation.stateVersion == 0)
        #expect(conversation.state == "{}")

        let version = try fixture.database.write { db in
            try fixture.conversations.saveState(#"{"step":"size"}"#, of: conversation.id, expectedVersion: 0, in: db)
        }
        #expect(version == 1)
        let saved = try Self.conversation(fixture, conversation.id)
        #expect(saved.state == #"{"step":"size"}"#)
        #expect(saved.stateVersion == 1)

        #expect(throws: CommerceError.staleState(conversation: conversation.id, expected: 0)) {
            try fixture.database.write { db in
                try fixture.conversations.saveState(#"{"step":"lost"}"#, of: conversation.id, expectedVersion: 0, in: db)
            }
        }
        let kept = try Self.conversation(fixture, conversation.id)
        #expect(kept.state == #"{"step":"size"}"#)
        #expect(kept.stateVersion == 1)

        let next = try fixture.database.write { db in
            try fixture.conversations.saveState(#"{"step":"pay"}"#, of: conversation.id, expectedVersion: 1, in: db)
        }
        #expect(next == 2)
        #expect(try Self.conversation(fixture, conversation.id).stateVersion == 2)
    }

    /// Opening an escalation hands the conversation to people; opening it again returns it, raising its priority.
    @Test func openingAnEscalationHandsTheConversationToPeople() throws {
        let fixture = try CommerceFixture()
        let customer = try fixture.newCustomer()
        let conversation = try Self.openConversation(fixture, customer: customer, externalID: "psid-1")
        let opened = try Self.escalate(fixture, conversation.id, priority: 1, reason: .complaint)
        #expect(opened.status == .open)
        #expect(opened.priority == 1)
        #expect(opened.reason == .complaint)
        #expect(opened.customerID == customer)
        #expect(opened.conversationID == conversation.id)
        #expect(opened.agent == nil)
        #expect(try Self.conversation(fixture, conversation.id).mode == .human)

        let raised = try Self.escalate(fixture, conversation.id, priority: 3)
        #expect(raised.id == opened.id)
        #expect(raised.priority == 3)
        #expect(raised.reason == .complaint)
        let notLowered = try Self.escalate(fixture, conversation.id, priority: 2)
        #expect(notLowered.id == opened.id)
        #expect(try Self.escalation(fixture, opened.id).priority == 3)
        #expect(try fixture.database.read { db in try fixture.escalations.list(in: db) }.count == 1)
    }

    /// An open escalation goes to one agent only; releasing it puts it back in the queue for another claim.
    @Test func assignReleaseAndReassign() throws {
        let fixture = try CommerceFixture()
        let customer = try fixture.newCustomer()
        let conversation = try Self.openConversation(fixture, customer: customer, externalID: "psid-1")
        let opened = try Self.escalate(fixture, conversation.id, priority: 1)

        let assigned = try fixture.database.write { db in try fixture.escalations.assign(opened.id, to: "ewa", in: db) }
        #expect(assigned.status == .assigned)
        #expect(assigned.agent == "ewa")
        #expect(assigned.assignedAt != nil)

        #expect(throws: CommerceError.invalidEscalationTransition(id: opened.id, from: .assigned, to: .assigned)) {
            try fixture.database.write { db in try fixture.escalations.assign(opened.id, to: "piotr", in: db) }
        }
        #expect(try Self.escalation(fixture, opened.id).agent == "ewa")

        let released = try fixture.database.write { db in try fixture.escalations.release(opened.id, in: db) }
        #expect(released.status == .open)
        #expect(released.agent == nil)
        #expect(released.assignedAt == nil)
        #expect(throws: CommerceError.invalidEscalationTransition(id: opened.id, from: .open, to: .open)) {
            try fixture.database.write { db in try fixture.escalations.release(opened.id, in: db) }
        }

        let reassigned = try fixture.database.write { db in try fixture.escalations.assign(opened.id, to: "piotr", in: db) }
        #expect(reassigned.agent == "piotr")
        #expect(try Self.escalation(fixture, opened.id).status == .assigned)
    }

    /// Resolving returns the open conversation to the bot or closes it; a resolved escalation cannot be resolved again.
    @Test func resolvingReturnsToTheBotOrClosesTheConversation() throws {
        let fixture = try CommerceFixture()
        let customer = try fixture.newCustomer()
        let first = try Self.openConversation(fixture, customer: customer, externalID: "psid-1")
        let second = try Self.openConversation(fixture, customer: customer, externalID: "call-1", channel: .voice)
        let toBot = try Self.escalate(fixture, first.id, priority: 1)
        let toClose = try Self.escalate(fixture, second.id, priority: 1, reason: .voiceTransfer)
        _ = try fixture.database.write { db in try fixture.escalations.assign(toBot.id, to: "ewa", in: db) }

        let returned = try fixture.database.write { db in
            try fixture.escalations.resolve(toBot.id, as: .returnedToBot, in: db)
        }
        #expect(returned.status == .resolved)
        #expect(returned.resolution == .returnedToBot)
        #expect(returned.resolvedAt != nil)
        let firstAfter = try Self.conversation(fixture, first.id)
        #expect(firstAfter.mode == .bot)
        #expect(firstAfter.closedAt == nil)

        let closed = try fixture.database.write { db in try fixture.escalations.resolve(toClose.id, as: .closed, in: db) }
        #expect(closed.status == .resolved)
        #expect(closed.resolution == .closed)
        let secondAfter = try Self.conversation(fixture, second.id)
        #expect(secondAfter.closedAt != nil)
        #expect(secondAfter.mode == .bot)

        #expect(throws: CommerceError.invalidEscalationTransition(id: toBot.id, from: .resolved, to: .resolved)) {
            try fixture.database.write { db in try fixture.escalations.resolve(toBot.id, as: .closed, in: db) }
        }
        #expect(throws: CommerceError.invalidEscalationTransition(id: toClose.id, from: .resolved, to: .assigned)) {
            try fixture.database.write { db in try fixture.escalations.assign(toClose.id, to: "ewa", in: db) }
        }
        #expect(try Self.escalation(fixture, toBot.id).resolution == .returnedToBot)
        #expect(try Self.conversation(fixture, first.id).closedAt == nil)

        let next = try Self.escalate(fixture, first.id, priority: 1)
        #expect(next.id != toBot.id)
        #expect(next.status == .open)
        #expect(try Self.conversation(fixture, first.id).mode == .human)
    }

    /// The queue lists the most urgent first, then the longest waiting by creation time; a status filter keeps one status.
    @Test func queueOrdersByPriorityThenWaitingTime() throws {
        let fixture = try CommerceFixture()
        let customer = try fixture.newCustomer()
        let conversations = try (1...5).map { index in
            try Self.openConversation(fixture, customer: customer, externalID: "psid-\(index)").id
        }
        let lowEarly = try Self.escalate(fixture, conversations[0], priority: 1)
        fixture.clock.advance(days: 1)
        let highEarly = try Self.escalate(fixture, conversations[1], priority: 5)
        fixture.clock.advance(days: 1)
        let lowLate = try Self.escalate(fixture, conversations[2], priority: 1)
        fixture.clock.advance(days: 1)
        let highLate = try Self.escalate(fixture, conversations[3], priority: 5)
        let backdated = Escalations(now: { Date(timeIntervalSince1970: 1_700_000_000) })
        let lowEarliest = try fixture.database.write { db in
            try backdated.open(conversation: conversations[4], reason: .complaint, priority: 1, summary: "Stara sprawa", in: db)
        }
        #expect(lowEarliest.id > lowLate.id)

        let open = try fixture.database.read { db in try fixture.escalations.list(status: .open, in: db) }
        #expect(open.map(\.id) == [highEarly.id, highLate.id, lowEarliest.id, lowEarly.id, lowLate.id])

        _ = try fixture.database.write { db in try fixture.escalations.assign(highEarly.id, to: "ewa", in: db) }
        _ = try fixture.database.write { db in try fixture.escalations.resolve(lowEarly.id, as: .returnedToBot, in: db) }
        try fixture.database.read { db throws in
            #expect(try fixture.escalations.list(status: .open, in: db).map(\.id) == [highLate.id, lowEarliest.id, lowLate.id])
            #expect(try fixture.escalations.list(status: .assigned, in: db).map(\.id) == [highEarly.id])
            #expect(try fixture.escalations.list(status: .resolved, in: db).map(\.id) == [lowEarly.id])
            #expect(try fixture.escalations.list(in: db).map(\.id)
                    == [highEarly.id, highLate.id, lowEarliest.id, lowEarly.id, lowLate.id])
            #expect(try fixture.escalations.list(limit: 2, in: db).map(\.id) == [highEarly.id, highLate.id])
        }
    }

    /// Ids that do not exist are refused with the error naming them, and nothing is written.
    @Test func unknownIdsAreRefused() throws {
        let fixture = try CommerceFixture()
        let customer = try fixture.newCustomer()
        let conversation = try Self.openConversation(fixture, customer: customer, externalID: "psid-1")
        let missing: Int64 = 9_999

        #expect(throws: CommerceError.unknownCustomer(missing)) {
            try fixture.database.write { db in
                try fixture.conversations.open(customer: missing, channel: .web, externalID: "new", in: db)
            }
        }
        #expect(throws: CommerceError.unknownConversation(missing)) {
            try fixture.database.write { db in
                try fixture.conversations.append(.reply("Halo?", from: .bot), to: missing, in: db)
            }
        }
        #expect(throws: CommerceError.unknownConversation(missing)) {
            try fixture.database.write { db in
                try fixture.conversations.saveState("{}", of: missing, expectedVersion: 0, in: db)
            }
        }
        #expect(throws: CommerceError.unknownConversation(missing)) {
            try fixture.database.write { db in try fixture.conversations.setMode(.human, of: missing, in: db) }
        }
        #expect(throws: CommerceError.unknownConversation(missing)) {
            try fixture.database.write { db in try fixture.conversations.close(missing, in: db) }
        }
        #expect(throws: CommerceError.unknownConversation(missing)) {
            try fixture.database.write { db in
                try fixture.escalations.open(
                    conversation: missing, reason: .customerRequest, priority: 1, summary: "?", in: db)
            }
        }
        #expect(throws: CommerceError.unknownEscalation(missing)) {
            try fixture.database.write { db in try fixture.escalations.assign(missing, to: "ewa", in: db) }
        }
        #expect(throws: CommerceError.unknownEscalation(missing)) {
            try fixture.database.write { db in try fixture.escalations.release(missing, in: db) }
        }
        #expect(throws: CommerceError.unknownEscalation(missing)) {
            try fixture.database.write { db in try fixture.escalations.resolve(missing, as: .closed, in: db) }
        }

        try fixture.database.read { db throws in
            #expect(try fixture.conversations.find(missing, in: db) == nil)
            #expect(try fixture.escalations.find(missing, in: db) == nil)
            #expect(try db.queryFirst("SELECT count(*) FROM conversations") { $0.int(0) } == 1)
            #expect(try db.queryFirst("SELECT count(*) FROM messages") { $0.int(0) } == 0)
            #expect(try db.queryFirst("SELECT count(*) FROM escalations") { $0.int(0) } == 0)
            #expect(try fixture.conversations.find(conversation.id, in: db)?.mode == .bot)
        }
    }
}
