import Commerce
import Cryptography
import Engine
import Foundation
import NLU
import Storage

/// What a `hello` found or made.
struct OpenedChatSession: Sendable {
    let session: ChatSession
    /// Whether the page resumed a session the server issued before.
    let resumed: Bool
    /// Who has the conversation, when a person does (resumed sessions only).
    let handoff: HandoffChange?
}

extension WebChat {
    /// The session a hello starts: the one asked for when the server issued it (its open web
    /// conversation, or a new one after the last was closed), else a new session with a new
    /// customer and conversation — in one write, so `welcome` can name the conversation.
    func open(_ requested: String?, language: Language?) async throws -> OpenedChatSession {
        let now = engine.now
        let fresh = try Self.newSessionID()
        let tag = language?.rawValue ?? Language.polish.rawValue
        return try await engine.database.write { db in
            if let requested, Self.isSessionID(requested),
               let customer = try Customers(now: now).customerID(for: Identity(.web, requested), in: db) {
                let conversation = try Conversations(now: now).open(
                    customer: customer, channel: .web, externalID: requested, language: tag, in: db)
                return OpenedChatSession(
                    session: ChatSession(id: requested, conversation: conversation.id, language: language), resumed: true,
                    handoff: try Self.handoff(of: conversation, in: db))
            }
            let customer = try Customers(now: now).resolve(Identity(.web, fresh), language: tag, in: db)
            let conversation = try Conversations(now: now).open(customer: customer, channel: .web, externalID: fresh, language: tag, in: db)
            return OpenedChatSession(
                session: ChatSession(id: fresh, conversation: conversation.id, language: language), resumed: false, handoff: nil)
        }
    }

    /// `waiting` or `agent_joined` for a conversation a person has (its unresolved escalation
    /// says which), else nil.
    package static func handoff(of conversation: Conversation, in db: Database) throws -> HandoffChange? {
        guard conversation.mode == .human else { return nil }
        let escalation = try Escalations().escalations(ofCustomer: conversation.customerID, in: db)
            .first { $0.conversationID == conversation.id && $0.status != .resolved }
        guard let escalation, escalation.status == .assigned else { return .waiting }
        return .agentJoined(escalation.agent)
    }

    /// A new session id: `s_` and 22 base64url characters (16 random bytes).
    package static func newSessionID() throws -> String {
        let bytes = try SecureRandom.bytes(count: 16)
        return "s_" + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Whether `text` has the shape of a session id the server issues (whether it did is for the
    /// database to say).
    package static func isSessionID(_ text: String) -> Bool {
        text.utf8.count == 24 && text.hasPrefix("s_")
            && text.utf8.dropFirst(2).allSatisfy { byte in
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }
    }
}
