import Commerce
import Foundation
import Gateway
import Storage
import Testing
import TestSupport

/// `/ws/chat` on a live gateway with real WebSocket clients: sessions, acks, replies, resent
/// messages, reconnects, errors, and a handoff to an agent and back.
@Suite(.serialized)
struct WebChatTests {
    private static func count(_ database: DatabasePool, _ sql: String, _ argument: Int64) throws -> Int {
        try database.read { db in try db.queryFirst(sql, argument) { $0.int(0) } ?? 0 }
    }

    @Test("hello → welcome; a message is acked, then the bot answers with chips; a resent client_id is acked and not handled twice")
    func messagesAndResends() async throws {
        let fixture = try await MessengerFixture()
        let database = fixture.gateway.database
        let port = fixture.gateway.port
        try await blocking {
            let page = try ChatClient(port: port)
            let (session, conversation) = try page.hello()
            #expect(session.hasPrefix("s_") && session.count == 24)
            #expect(conversation > 0)
            try page.send(["type": "message", "client_id": "c-1", "text": "dzień dobry"])
            let ack = try page.next(type: "ack")
            #expect(ack["client_id"] as? String == "c-1")
            let reply = try page.next(type: "message")
            #expect(reply["from"] as? String == "bot")
            #expect((reply["text"] as? String)?.contains("W czym mogę pomóc?") == true)
            #expect((reply["quick_replies"] as? [[String: Any]])?.isEmpty == false)
            #expect(page.received.firstIndex { $0["type"] as? String == "ack" }! < page.received.firstIndex { $0["type"] as? String == "message" }!)

            try page.send(["type": "message", "client_id": "c-1", "text": "dzień dobry"])
            _ = try page.next(type: "ack") { $0["client_id"] as? String == "c-1" }
            #expect(try page.drain(for: 0.3).allSatisfy { $0["type"] as? String != "message" })
            #expect(try Self.count(database, "SELECT count(*) FROM messages WHERE conversation_id = ? AND author = 'customer'", conversation) == 1)
        }
        await fixture.stop()
    }

    @Test("errors keep the socket open and change nothing: malformed, unknown type, message before hello, hello twice, empty text; an unknown session gets a new one")
    func refusals() async throws {
        let fixture = try await MessengerFixture()
        let port = fixture.gateway.port
        try await blocking {
            let page = try ChatClient(port: port)
            try page.send(["type": "message", "client_id": "x", "text": "hej"])
            #expect(try page.next(type: "error")["code"] as? String == "hello_required")
            try page.socket.sendText("{oops")
            #expect(try page.next(type: "error")["code"] as? String == "malformed_frame")
            try page.send(["type": "wave"])
            #expect(try page.next(type: "error")["code"] as? String == "unknown_type")
            let (session, _) = try page.hello(session: "s_not-one-we-issued")
            #expect(session != "s_not-one-we-issued")
            try page.send(["type": "hello"])
            #expect(try page.next(type: "error")["code"] as? String == "already_started")
            try page.send(["type": "message", "client_id": "c", "text": "   "])
            #expect(try page.next(type: "error")["code"] as? String == "invalid_frame")
            try page.send(["type": "message", "client_id": 7, "text": "tak"])
            #expect(try page.next(type: "error")["code"] as? String == "invalid_frame")
            try page.say("dzień dobry", id: "after-errors")
            _ = try page.next(type: "message")
        }
        await fixture.stop()
    }

    @Test("a web chat customer who gives an e-mail is linked to their record")
    func emailLinked() async throws {
        let fixture = try await MessengerFixture()
        let database = fixture.gateway.database
        let port = fixture.gateway.port
        try await blocking {
            let page = try ChatClient(port: port)
            let (session, _) = try page.hello()
            try page.say("gdzie jest moje zamówienie?", id: "1")
            _ = try page.next(type: "message")
            try page.say("mój e-mail to ola@example.pl", id: "2")
            _ = try page.next(type: "message")
            let linked = try database.read { db in
                try db.queryFirst("""
                    SELECT count(*) FROM customer_identities e JOIN customer_identities w ON w.customer_id = e.customer_id
                    WHERE e.channel = 'email' AND e.external_id = 'ola@example.pl' AND w.channel = 'web' AND w.external_id = ?
                    """, session) { $0.int(0) } ?? 0
            }
            #expect(linked == 1)
        }
        await fixture.stop()
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
