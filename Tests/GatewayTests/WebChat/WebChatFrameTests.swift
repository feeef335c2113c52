@testable import Commerce
import Foundation
@testable import Gateway
import NLU
import Testing
@testable import WebChat

/// The web chat's frames without a socket: what a page's frames parse to, which refusal each
/// bad one gets, and the frames the server writes.
struct WebChatFrameTests {
    /// The two requests, with their optional fields and the languages the bot speaks.
    @Test func requestsParse() throws {
        #expect(try ChatRequest.parse(#"{"type":"hello"}"#) == .hello(session: nil, language: nil))
        #expect(try ChatRequest.parse(#"{"language":"en-GB","type":"hello","session":null}"#) == .hello(session: nil, language: .english))
        #expect(try ChatRequest.parse(#"{"type":"hello","session":"s_x","language":"de"}"#) == .hello(session: "s_x", language: nil))
        #expect(try ChatRequest.parse(#"{"type":"message","client_id":"c1","text":"  tak \n"}"#) == .message(clientID: "c1", text: "tak"))
    }

    /// Each bad frame gets its code, and the message names the field.
    @Test(arguments: [
        ("", "malformed_frame"), ("null", "malformed_frame"), ("\"hello\"", "malformed_frame"), ("{\"type\":1}", "invalid_frame"),
        (#"{"type":"hello","language":["pl"]}"#, "invalid_frame"), (#"{"type":"HELLO"}"#, "unknown_type"),
        (#"{"type":"message","client_id":"","text":"a"}"#, "invalid_frame"),
        (#"{"type":"message","client_id":"\#(String(repeating: "x", count: 101))","text":"a"}"#, "invalid_frame"),
        (#"{"type":"message","client_id":"c","text":null}"#, "invalid_frame"),
    ])
    func badFramesAreRefused(frame: String, code: String) {
        #expect(throws: ChatFrameError.self) { try ChatRequest.parse(frame) }
        do {
            _ = try ChatRequest.parse(frame)
        } catch {
            #expect(error.code == code)
            #expect(!error.message.isEmpty)
        }
    }

    /// Server frames are compact JSON with `type` first; quick replies appear only when the
    /// stored reply has some, and stored text that is not the engine's list is left out.
    @Test func serverFramesPutTypeFirst() throws {
        #expect(ChatFrame.welcome(session: "s_a", conversationID: 7) == #"{"type":"welcome","session":"s_a","conversation_id":7}"#)
        #expect(ChatFrame.ack("c\"1") == #"{"type":"ack","client_id":"c\"1"}"#)
        #expect(ChatFrame.error(code: "x", message: "y\n") == #"{"type":"error","code":"x","message":"y\n"}"#)
        #expect(ChatFrame.handoff(.agentJoined("Ewa")) == #"{"type":"handoff","status":"agent_joined","agent":"Ewa"}"#)
        #expect(ChatFrame.handoff(.returnedToBot) == #"{"type":"handoff","status":"returned_to_bot"}"#)
        #expect(ChatFrame.message(item(.bot, "Hej", #"[{"title":"Tak","payload":"affirm"}]"#))
            == #"{"type":"message","from":"bot","text":"Hej","quick_replies":[{"title":"Tak","payload":"affirm"}]}"#)
        #expect(ChatFrame.message(item(.agent, "Już", "[]")) == #"{"type":"message","from":"agent","text":"Już"}"#)
        #expect(ChatFrame.message(item(.bot, "Hej", "{not json")) == #"{"type":"message","from":"bot","text":"Hej"}"#)
        for frame in [ChatFrame.message(item(.bot, "Hej", #"[{"title":"T\"a","payload":"p"}]"#))] {
            #expect(try JSONSerialization.jsonObject(with: Data(frame.utf8)) is [String: Any])
        }
    }

    /// Session ids are `s_` and 22 base64url characters, never the same twice.
    @Test func sessionIDs() throws {
        let ids = try (0..<200).map { _ in try WebChat.newSessionID() }
        #expect(Set(ids).count == 200)
        #expect(ids.allSatisfy(WebChat.isSessionID))
        #expect(!WebChat.isSessionID("s_AAAAAAAAAAAAAAAAAAAAA="))
        #expect(!WebChat.isSessionID("s_AAAAAAAAAAAAAAAAAAAAA"))
        #expect(!WebChat.isSessionID("x_AAAAAAAAAAAAAAAAAAAAAA"))
        #expect(!WebChat.isSessionID("s_ĄAAAAAAAAAAAAAAAAAAAA"))
    }

    private func item(_ author: MessageAuthor, _ text: String, _ chips: String) -> OutboxItem {
        OutboxItem(
            id: 1, conversationID: 1, channel: .web, recipient: "s_x", author: author, text: text, quickRepliesJSON: chips,
            status: .pending, attempts: 0, nextAttemptAt: Date(), lastError: nil, partsSent: 0, platformMessageID: nil,
            customerLastWroteAt: nil, createdAt: Date(), purpose: .reply)
    }
}
