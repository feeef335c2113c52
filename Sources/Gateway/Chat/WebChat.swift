import Commerce
import Cryptography
import Dialogue
import Foundation
import NLU
import Storage
import Telemetry
import WebServer

/// `GET /ws/chat`: customers chatting from a web page (CONTRACT.md).
///
/// `hello{session?, language?}` starts or resumes a session: a session is a web identity of its
/// own (`web:<session>`), issued by the server (a session it never issued starts a new one), and
/// its conversation's thread. `message{client_id, text}` goes through the engine once per
/// `client_id` (a resent one is acknowledged again, not handled twice), is acknowledged once
/// stored, and the replies follow from the outbox. A person taking over, joining and leaving is
/// told with `handoff{status}`. Frames that are not requests get `error{code, message}`.
struct WebChat: Sendable {
    static let path = "/ws/chat"

    let engine: ConversationEngine
    let sessions: WebChatSessions
    let metrics: WebChatMetrics
    let logger: Logger

    var route: WebSocketRoute {
        WebSocketRoute(path: Self.path) { connection in await serve(connection) }
    }

    private struct Session {
        let id: String
        var conversation: Int64
        let language: Language?
    }

    func serve(_ connection: WebSocketConnection) async {
        var session: Session?
        for await frame in connection.messages {
            do {
                switch try ChatRequest.parse(frame) {
                case .hello(let requested, let language):
                    guard session == nil else { throw ChatFrameError.helloAgain }
                    let started = try await start(requested, language: language.flatMap(Self.language))
                    session = started
                    sessions.register(connection, conversation: started.conversation)
                    connection.send(ChatFrame.welcome(session: started.id, conversationID: started.conversation))
                    if let handoff = try await handoffStatus(of: started.conversation) { connection.send(handoff) }
                    await sessions.deliver(conversation: started.conversation)
                case .message(let clientID, let text):
                    guard var current = session else { throw ChatFrameError.helloRequired }
                    let conversation = try await take(text, clientID: clientID, in: current, on: connection)
                    if conversation != current.conversation {
                        sessions.unregister(connection, conversation: current.conversation)
                        sessions.register(connection, conversation: conversation)
                        current.conversation = conversation
                        session = current
                    }
                }
            } catch let refusal as ChatFrameError {
                metrics.refused.increment(refusal.code)
                connection.send(ChatFrame.error(refusal.code, refusal.message))
            } catch {
                logger.error("web chat frame failed", ["error": .string("\(error)")])
                connection.send(ChatFrame.error("internal_error", "The message could not be handled; send it again."))
            }
        }
        if let session { sessions.unregister(connection, conversation: session.conversation) }
    }

    /// One customer message: the engine (once per client id), `ack`, then the replies; the
    /// conversation it went to (a new one after the last was closed).
    private func take(_ text: String, clientID: String, in session: Session, on connection: WebSocketConnection) async throws -> Int64 {
        let message = InboundMessage(
            channel: .web, sender: .identity(Identity(.web, session.id)), thread: session.id, text: text, eventID: clientID,
            language: session.language,
            onceOnly: OnceOnly(key: "\(session.id)#\(clientID)", event: text) { _ in "answered" })
        do {
            let outcome = try await engine.handle(message)
            metrics.messages.increment("handled")
            connection.send(ChatFrame.ack(clientID))
            await sessions.deliver(conversation: outcome.conversationID)
            if let escalation = outcome.escalation, escalation.status != .resolved {
                sessions.push(WebChatHandoff.frame(status: "waiting", agent: nil), toConversation: outcome.conversationID)
            }
            return outcome.conversationID
        } catch EngineError.repeated {
            metrics.messages.increment("repeated")
            connection.send(ChatFrame.ack(clientID))
            await sessions.deliver(conversation: session.conversation)
            return session.conversation
        }
    }

    /// The session a hello starts: the one asked for when we issued it (its customer's open web
    /// conversation, or a new one after the last was closed), else a new session and customer.
    private func start(_ requested: String?, language: Language?) async throws -> Session {
        let now = engine.now
        let fresh = try Self.newSessionID()
        return try await engine.database.write { db in
            if let requested, requested.count <= 64,
               let customer = try Customers().customerID(for: Identity(.web, requested), in: db) {
                let conversation = try Conversations(now: now).open(
                    customer: customer, channel: .web, externalID: requested, language: language?.rawValue ?? "pl", in: db)
                return Session(id: requested, conversation: conversation.id, language: language)
            }
            let customer = try Customers(now: now).resolve(Identity(.web, fresh), language: language?.rawValue ?? "pl", in: db)
            let conversation = try Conversations(now: now).open(
                customer: customer, channel: .web, externalID: fresh, language: language?.rawValue ?? "pl", in: db)
            return Session(id: fresh, conversation: conversation.id, language: language)
        }
    }

    /// `handoff{waiting|agent_joined}` for a conversation a person has, else nil.
    private func handoffStatus(of conversation: Int64) async throws -> String? {
        let escalation = try await engine.database.read { db in
            try db.queryFirst(
                "SELECT status, agent FROM escalations WHERE conversation_id = ? AND status IN ('open', 'assigned') ORDER BY id DESC",
                conversation) { ($0.string(0), $0.optionalString(1)) }
        }
        guard let escalation else { return nil }
        return escalation.0 == "assigned"
            ? WebChatHandoff.frame(status: "agent_joined", agent: escalation.1)
            : WebChatHandoff.frame(status: "waiting", agent: nil)
    }

    /// `s_` and 22 base64url characters (16 random bytes).
    static func newSessionID() throws -> String {
        let bytes = try SecureRandom.bytes(count: 16)
        return "s_" + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func language(_ tag: String) -> Language? {
        switch tag.prefix(2).lowercased() {
        case "pl": .polish
        case "en": .english
        default: nil
        }
    }
}

/// The web chat's metrics: messages by result, frames refused by code (open sockets are sampled).
struct WebChatMetrics: Sendable {
    let messages: Counter
    let refused: Counter

    init(_ registry: MetricsRegistry, sessions: WebChatSessions) {
        messages = registry.counter(
            "orderbot_webchat_messages_total", help: "Web chat messages, by result (handled, repeated)", labels: ["result"])
        refused = registry.counter("orderbot_webchat_frames_refused_total", help: "Web chat frames refused, by code", labels: ["code"])
        registry.sampledGauge("orderbot_webchat_sockets", help: "Web chat sockets open") { Double(sessions.openSockets) }
    }
}
