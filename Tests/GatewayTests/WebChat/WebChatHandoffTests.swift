import Commerce
import Foundation
import Gateway
import Storage
import Testing
import TestSupport

/// The web chat on the live gateway, as it is wired there, with the agents' console: a customer
/// handed to an agent and back, with a reconnect and a resent message in the middle.
@Suite(.serialized)
struct WebChatHandoffTests {
    private static func count(_ database: DatabasePool, _ sql: String, _ argument: Int64) throws -> Int {
        try database.read { db in try db.queryFirst(sql, argument) { $0.int(0) } ?? 0 }
    }

    @Test("web chat customer handed to an agent: waiting, agent joined, the agent's reply pushed, a reconnect and a resent message in the middle, the bot silent, then back to the bot")
    func handoffWithReconnect() async throws {
        let fixture = try await MessengerFixture()
        let database = fixture.gateway.database
        let port = fixture.gateway.port
        try await blocking {
            let token = try database.write { db in try Agents().add(name: "ewa", in: db).token }
            let agent = try AgentClient(port: port)
            _ = try agent.signIn(token)

            var page = try ChatClient(port: port)
            let (session, conversation) = try page.hello()
            try page.say("chcę rozmawiać z konsultantem", id: "m1")
            _ = try page.next(type: "message") { $0["from"] as? String == "bot" }
            #expect(try page.next(type: "handoff")["status"] as? String == "waiting")

            let item = try agent.queueItem(conversation: conversation)
            #expect(item["channel"] as? String == "web")
            try agent.send(["type": "claim", "escalation_id": item["escalation_id"] as? Int64 ?? 0])
            let assigned = try agent.next(type: "assigned")
            #expect((assigned["history"] as? [[String: Any]])?.contains { $0["text"] as? String == "chcę rozmawiać z konsultantem" } == true)
            let joined = try page.next(type: "handoff")
            #expect(joined["status"] as? String == "agent_joined" && joined["agent"] as? String == "ewa")

            // The customer's connection drops; the agent answers meanwhile.
            try page.socket.sendClose()
            try agent.send(["type": "send", "conversation_id": conversation, "text": "Dzień dobry, tu Ewa. Jak mogę pomóc?"])
            Thread.sleep(forTimeInterval: 0.2)

            page = try ChatClient(port: port)
            let resumed = try page.hello(session: session)
            #expect(resumed.session == session && resumed.conversation == conversation)
            #expect(try page.next(type: "handoff")["status"] as? String == "agent_joined")
            let fromAgent = try page.next(type: "message")
            #expect(fromAgent["from"] as? String == "agent" && fromAgent["text"] as? String == "Dzień dobry, tu Ewa. Jak mogę pomóc?")

            try page.say("buty się rozkleiły po tygodniu", id: "m2")
            let relayed = try agent.next(type: "customer_message")
            #expect(relayed["text"] as? String == "buty się rozkleiły po tygodniu" && relayed["channel"] as? String == "web")
            try page.say("buty się rozkleiły po tygodniu", id: "m2")
            #expect(try page.drain(for: 0.3).allSatisfy { $0["type"] as? String != "message" }, "the bot stays silent")
            #expect(try Self.count(
                database, "SELECT count(*) FROM messages WHERE conversation_id = ? AND text = 'buty się rozkleiły po tygodniu'",
                conversation) == 1, "the resent message is stored once")

            try agent.send(["type": "resolve", "escalation_id": item["escalation_id"] as? Int64 ?? 0, "return_to_bot": true])
            #expect(try page.next(type: "handoff")["status"] as? String == "returned_to_bot")
            try page.say("dzień dobry", id: "m3")
            #expect(try page.next(type: "message")["from"] as? String == "bot")
        }
        await fixture.stop()
    }
}
