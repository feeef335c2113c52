import Commerce
import Foundation
@testable import Gateway
import Storage
import TestSupport
import Testing
@testable import WebChat

/// `/ws/chat` over real sockets against a live server and a real engine on SQLite: sessions,
/// acks, replies, resent messages, reconnects, the delivery worker, handoff frames, errors.
@Suite(.serialized)
struct WebChatTests {
    /// A hello without a session gets a new one (`s_` and 22 base64url characters) with a new
    /// customer (`web:<session>`) and web conversation whose thread is the session.
    @Test func helloStartsASession() async throws {
        let fixture = try await WebChatFixture()
        let (page, session, conversation) = try await blocking {
            let page = try fixture.page()
            let (session, conversation) = try page.hello(language: "en")
            return (page, session, conversation)
        }
        #expect(WebChat.isSessionID(session))
        #expect(conversation > 0)
        #expect(page.receivedText.first?.hasPrefix(#"{"type":"welcome","#) == true)
        #expect(try fixture.count("SELECT count(*) FROM customer_identities WHERE channel = 'web' AND external_id = ?", session) == 1)
        #expect(try fixture.count(
            "SELECT count(*) FROM conversations WHERE id = ? AND channel = 'web' AND external_id = ? AND language = 'en'",
            conversation, session) == 1)
        await fixture.stop()
    }

    /// A message is acked once its turn committed, then the bot's reply follows from the outbox
    /// with its quick replies, and the reply is marked sent; every frame starts with `type`.
    @Test func aMessageIsAckedThenAnswered() async throws {
        let fixture = try await WebChatFixture()
        let (page, conversation) = try await blocking {
            let page = try fixture.page()
            let (_, conversation) = try page.hello()
            try page.send(["type": "message", "client_id": "c-1", "text": "dzień dobry"])
            _ = try page.next(type: "message")
            return (page, conversation)
        }
        #expect(page.types == ["welcome", "ack", "message"])
        let reply = page.received[2]
        #expect(reply["from"] as? String == "bot")
        #expect((reply["text"] as? String)?.contains("W czym mogę pomóc?") == true)
        let chips = reply["quick_replies"] as? [[String: Any]] ?? []
        #expect(!chips.isEmpty && chips.allSatisfy { $0["title"] is String && $0["payload"] is String })
        #expect(page.receivedText.allSatisfy { $0.hasPrefix(#"{"type":"#) })
        #expect(try await fixture.sentOutbox(conversation).allSatisfy { $0.hasPrefix("sent bot ") })
        #expect(fixture.chat.metrics.messages.value("handled") == 1)
        await fixture.stop()
    }

    /// A resent `client_id` is acked again but handled once: one customer message, one answer.
    @Test func aResentMessageIsAckedAndNotHandledTwice() async throws {
        let fixture = try await WebChatFixture()
        let (conversation, after) = try await blocking {
            let page = try fixture.page()
            let (_, conversation) = try page.hello()
            try page.say("dzień dobry", id: "c-1")
            _ = try page.next(type: "message")
            try page.say("dzień dobry", id: "c-1")
            return (conversation, try page.drain(for: 0.3).count)
        }
        #expect(after == 0)
        #expect(try fixture.count("SELECT count(*) FROM messages WHERE conversation_id = ? AND author = 'customer'", conversation) == 1)
        #expect(try fixture.count("SELECT count(*) FROM messages WHERE conversation_id = ? AND author = 'bot'", conversation) >= 1)
        #expect(try fixture.count("SELECT count(*) FROM outbox WHERE conversation_id = ?", conversation)
            == fixture.count("SELECT count(*) FROM messages WHERE conversation_id = ? AND author = 'bot'", conversation))
        #expect(fixture.chat.metrics.messages.value("repeated") == 1)
        await fixture.stop()
    }

    /// A reply queued while the customer is away (an agent's) waits in the outbox; the hello
    /// that resumes the session gets the same conversation, then the reply, which is then sent.
    @Test func aReplyQueuedWhileAwayIsPushedOnResume() async throws {
        let fixture = try await WebChatFixture()
        let (session, conversation) = try await blocking {
            let page = try fixture.page()
            let started = try page.hello()
            try page.say("dzień dobry", id: "1")
            _ = try page.next(type: "message")
            try page.close()
            try fixture.waitUntilClosed(session: started.session)
            return started
        }
        try fixture.enqueueAgentReply("Dzień dobry, tu Ewa.", conversation: conversation, session: session)
        try await Task.sleep(for: .milliseconds(200))
        #expect(try fixture.outbox(conversation).last == "pending agent Dzień dobry, tu Ewa.")

        let page = try await blocking {
            let page = try fixture.page()
            let resumed = try page.hello(session: session)
            #expect(resumed.session == session && resumed.conversation == conversation)
            _ = try page.next(type: "message")
            return page
        }
        #expect(page.types == ["welcome", "message"])
        #expect(page.received[1]["from"] as? String == "agent" && page.received[1]["text"] as? String == "Dzień dobry, tu Ewa.")
        #expect(page.received[1]["quick_replies"] == nil)
        #expect(try await fixture.sentOutbox(conversation).last == "sent agent Dzień dobry, tu Ewa.")
        await fixture.stop()
    }

    /// With the page open, the worker pushes a queued agent reply at once, to every socket of
    /// the session (the page open in two tabs).
    @Test func theWorkerPushesAgentRepliesToOpenSockets() async throws {
        let fixture = try await WebChatFixture()
        let (first, second, session, conversation) = try await blocking {
            let first = try fixture.page()
            let (session, conversation) = try first.hello()
            let second = try fixture.page()
            _ = try second.hello(session: session)
            return (first, second, session, conversation)
        }
        try fixture.enqueueAgentReply("Sprawdzam zamówienie.", conversation: conversation, session: session)
        try await blocking {
            for page in [first, second] {
                let pushed = try page.next(type: "message")
                #expect(pushed["from"] as? String == "agent" && pushed["text"] as? String == "Sprawdzam zamówienie.")
            }
        }
        #expect(try await fixture.sentOutbox(conversation) == ["sent agent Sprawdzam zamówienie."])
        await fixture.stop()
    }

    /// A session the server never issued, or something that is not a session id at all, gets a
    /// new session: clients cannot choose ids.
    @Test func anUnknownSessionGetsANewOne() async throws {
        let fixture = try await WebChatFixture()
        let made = "s_AAAAAAAAAAAAAAAAAAAAAA"
        let (issued, forged, junk) = try await blocking {
            let issued = try fixture.page().hello()
            let forged = try fixture.page().hello(session: made)
            let junk = try fixture.page().hello(session: "../../etc/passwd")
            return (issued, forged, junk)
        }
        #expect(WebChat.isSessionID(made))
        #expect(forged.session != made && WebChat.isSessionID(forged.session))
        #expect(junk.session != "../../etc/passwd" && WebChat.isSessionID(junk.session))
        #expect(Set([issued.conversation, forged.conversation, junk.conversation]).count == 3)
        #expect(try fixture.count("SELECT count(*) FROM customer_identities WHERE external_id = ?", made) == 0)
        await fixture.stop()
    }

    /// Every refusal is `error{code, message}` with the socket kept open and nothing stored:
    /// message before hello, not JSON, not an object, missing or wrong fields, an unknown
    /// type, a second hello, empty and too long texts, JSON nested past any sense.
    @Test func refusedFramesKeepTheSocketOpen() async throws {
        let fixture = try await WebChatFixture()
        let (codes, messages) = try await blocking {
            let page = try fixture.page()
            var codes: [String?] = []
            codes.append(try page.refusal(#"{"type":"message","client_id":"x","text":"hej"}"#))
            codes.append(try page.refusal("{oops"))
            codes.append(try page.refusal("[1,2]"))
            codes.append(try page.refusal(String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)))
            codes.append(try page.refusal("{}"))
            codes.append(try page.refusal(#"{"type":"wave"}"#))
            codes.append(try page.refusal(#"{"type":"hello","session":5}"#))
            _ = try page.hello()
            codes.append(try page.refusal(#"{"type":"hello"}"#))
            codes.append(try page.refusal(#"{"type":"message","text":"hej"}"#))
            codes.append(try page.refusal(#"{"type":"message","client_id":7,"text":"hej"}"#))
            codes.append(try page.refusal(#"{"type":"message","client_id":"c"}"#))
            codes.append(try page.refusal(#"{"type":"message","client_id":"c","text":"   "}"#))
            codes.append(try page.refusal(#"{"type":"message","client_id":"c","text":""# + String(repeating: "a", count: 4_001) + #""}"#))
            let messages = page.received.filter { $0["type"] as? String == "error" }.map { $0["message"] as? String ?? "" }
            try page.say(String(repeating: "a", count: 4_000), id: "longest")
            try page.say("dzień dobry", id: "after-errors")
            _ = try page.next(type: "message") { ($0["text"] as? String)?.contains("W czym mogę pomóc?") == true }
            return (codes, messages)
        }
        #expect(codes == [
            "hello_required", "malformed_frame", "malformed_frame", "malformed_frame", "invalid_frame", "unknown_type",
            "invalid_frame", "already_started", "invalid_frame", "invalid_frame", "invalid_frame", "invalid_frame", "invalid_frame",
        ])
        #expect(messages.allSatisfy { !$0.isEmpty })
        #expect(messages.contains("message.client_id is required and must be a string."))
        #expect(messages.contains("message.text must be 1–4000 characters."))
        #expect(fixture.chat.metrics.refused.value("invalid_frame") == 7)
        #expect(try fixture.count("SELECT count(*) FROM messages WHERE author = ?", "customer") == 2)
        await fixture.stop()
    }

    /// Asking for a person: the bot's answer, then `handoff{waiting}`; a resuming page is told
    /// `waiting` again, then `agent_joined` with the agent once one has taken it; the agents' side
    /// pushes handoff frames through the sessions.
    @Test func askingForAPersonHandsOver() async throws {
        let fixture = try await WebChatFixture()
        let (page, session, conversation) = try await blocking {
            let page = try fixture.page()
            let (session, conversation) = try page.hello()
            try page.say("chcę rozmawiać z konsultantem", id: "m1")
            _ = try page.next(type: "handoff")
            return (page, session, conversation)
        }
        #expect(page.types == ["welcome", "ack", "message", "handoff"])
        #expect(page.received[3]["status"] as? String == "waiting" && page.received[3]["agent"] == nil)
        #expect(page.receivedText[3] == #"{"type":"handoff","status":"waiting"}"#)

        let resumedWaiting = try await blocking {
            let again = try fixture.page()
            _ = try again.hello(session: session)
            return try again.next(type: "handoff")["status"] as? String
        }
        #expect(resumedWaiting == "waiting")

        try await fixture.database.write { db in
            let escalation = try Escalations().list(status: .open, in: db).first { $0.conversationID == conversation }!
            _ = try Escalations().assign(escalation.id, to: "ewa", in: db)
        }
        #expect(fixture.chat.sessions.push(ChatFrame.handoff(.agentJoined("ewa")), toConversation: conversation))
        let (live, resumed) = try await blocking {
            let live = try page.next(type: "handoff")
            let again = try fixture.page()
            _ = try again.hello(session: session)
            let resumed = try again.next(type: "handoff")
            return ([live["status"] as? String, live["agent"] as? String], [resumed["status"] as? String, resumed["agent"] as? String])
        }
        #expect(live == ["agent_joined", "ewa"])
        #expect(resumed == ["agent_joined", "ewa"])
        #expect(!fixture.chat.sessions.push(ChatFrame.handoff(.returnedToBot), toConversation: conversation + 1_000))
        await fixture.stop()
    }

    /// A customer who writes their e-mail when the bot looks for their orders has it kept as a
    /// claim on their own record: no identity leads to the record through it.
    @Test func anEmailIsKeptAsAClaim() async throws {
        let fixture = try await WebChatFixture()
        let session = try await blocking {
            let page = try fixture.page()
            let (session, _) = try page.hello()
            try page.say("gdzie jest moje zamówienie?", id: "1")
            _ = try page.next(type: "message")
            try page.say("mój e-mail to ola@example.pl", id: "2")
            _ = try page.next(type: "message")
            return session
        }
        #expect(try fixture.count("""
            SELECT count(*) FROM contact_claims e JOIN customer_identities w ON w.customer_id = e.customer_id
            WHERE e.channel = 'email' AND e.external_id = 'ola@example.pl' AND w.channel = 'web' AND w.external_id = ?
            """, session) == 1)
        #expect(try fixture.count("SELECT count(*) FROM customer_identities WHERE channel = ?", "email") == 0)
        await fixture.stop()
    }

    /// The metrics: sockets open now, messages by result, refusals by code, replies pushed.
    @Test func metricsCountSocketsMessagesAndRefusals() async throws {
        let fixture = try await WebChatFixture()
        let page = try await blocking {
            let page = try fixture.page()
            _ = try page.refusal("nope")
            _ = try page.hello()
            try page.say("dzień dobry", id: "1")
            _ = try page.next(type: "message")
            return page
        }
        // The push is counted just after the frame is queued on the socket: the page may read the
        // reply a moment before the counter moves.
        let counted = #"orderbot_webchat_replies_pushed_total{from="bot"} 1"#
        let deadline = ContinuousClock.now + .seconds(2)
        while !fixture.metrics.render().contains(counted), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let metrics = fixture.metrics.render()
        #expect(metrics.contains("orderbot_webchat_sockets 1"))
        #expect(metrics.contains(#"orderbot_webchat_messages_total{result="handled"} 1"#))
        #expect(metrics.contains(#"orderbot_webchat_frames_refused_total{code="malformed_frame"} 1"#))
        #expect(metrics.contains(#"orderbot_webchat_replies_pushed_total{from="bot"} 1"#))
        try await blocking { try page.close() }
        try await Task.sleep(for: .milliseconds(200))
        #expect(fixture.metrics.render().contains("orderbot_webchat_sockets 0"))
        await fixture.stop()
    }
}

extension WebChatTests {
    /// After an agent closed the conversation, the session goes on in a new conversation: a
    /// resuming hello names it, and a reply the agent left in the old one still arrives.
    @Test func aClosedConversationIsFollowedByANewOne() async throws {
        let fixture = try await WebChatFixture()
        let (session, first) = try await blocking {
            let page = try fixture.page()
            let started = try page.hello()
            try page.close()
            try fixture.waitUntilClosed(session: started.session)
            return started
        }
        try fixture.enqueueAgentReply("Zamykam sprawę, miłego dnia.", conversation: first, session: session)
        try await fixture.database.write { db in try Conversations().close(first, in: db) }
        let (page, second, farewell) = try await blocking {
            let page = try fixture.page()
            let resumed = try page.hello(session: session)
            return (page, resumed.conversation, try page.next(type: "message")["text"] as? String)
        }
        #expect(second != first)
        #expect(farewell == "Zamykam sprawę, miłego dnia.")

        // The socket follows its session into a newer conversation when the current one closes.
        try await fixture.database.write { db in try Conversations().close(second, in: db) }
        try await blocking {
            try page.say("dzień dobry", id: "after-close")
            _ = try page.next(type: "message")
        }
        let third = try fixture.count("SELECT max(id) FROM conversations WHERE external_id = ?", session)
        #expect(third > Int(second))
        #expect(fixture.chat.sessions.push(ChatFrame.handoff(.returnedToBot), toConversation: Int64(third)))
        #expect(!fixture.chat.sessions.push(ChatFrame.handoff(.returnedToBot), toConversation: second))
        await fixture.stop()
    }
}
