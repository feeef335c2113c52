import Commerce
import Cryptography
import Engine
import Foundation
import NLU
import Storage
import Telemetry
import WebServer
import Wire

/// `GET /ws/chat`: customers chatting from a web page (CONTRACT.md, docs/WEBCHAT.md).
///
/// `hello{session?, language?}` starts or resumes a session: a session is a web identity of its
/// own (`web:<session>`), issued by the server (one it never issued starts a new session), and
/// its conversation's thread. `message{client_id, text}` goes through the engine once per
/// `client_id` (a resent one is acknowledged again, not handled twice), is acknowledged once
/// the turn committed, and the replies follow from the outbox. A person taking over is told
/// with `handoff{status}`. Frames that are not requests get `error{code, message}`; the socket
/// stays open.
///
/// The gateway mounts `route`, starts `delivery` with the server and stops it after, and calls
/// `delivery.wake()` after queueing a web reply (an agent's); the handoff pushes `handoff{…}`
/// frames through `sessions`.
package final class WebChat: Sendable {
    package static let path = "/ws/chat"

    package let engine: ConversationEngine
    /// The open sockets by session and conversation.
    let sessions: WebChatSessions
    /// The worker that pushes replies queued outside a customer's own turn.
    let delivery: WebChatDelivery
    let metrics: WebChatMetrics
    let limits: WebChatLimits
    private let logger: Logger

    /// The web chat for `engine`, with its sessions, its metrics in `metrics` and a delivery
    /// worker of its own (not started).
    package convenience init(engine: ConversationEngine, limits: WebChatLimits, metrics: MetricsRegistry, logger: Logger) {
        let sessions = WebChatSessions(database: engine.database, metrics: metrics, logger: logger)
        self.init(
            engine: engine, sessions: sessions, limits: limits, metrics: WebChatMetrics(metrics, sessions: sessions), logger: logger)
    }

    /// The web chat over `sessions` made elsewhere.
    init(engine: ConversationEngine, sessions: WebChatSessions, limits: WebChatLimits, metrics: WebChatMetrics, logger: Logger) {
        self.engine = engine
        self.sessions = sessions
        self.limits = limits
        self.metrics = metrics
        self.logger = logger.with(["component": "webchat"])
        delivery = WebChatDelivery(database: engine.database, sessions: sessions, logger: logger)
    }

    /// The WebSocket endpoint to give the server.
    package var route: WebSocketRoute {
        WebSocketRoute(path: Self.path) { [self] connection in await serve(connection) }
    }

    /// One socket, from its first frame to its close.
    package func serve(_ connection: WebSocketConnection) async {
        sessions.connected()
        var session: ChatSession?
        var limitedInARow = 0
        for await frame in connection.messages {
            let (next, limited) = await receive(frame, in: session, on: connection)
            session = next
            limitedInARow = limited ? limitedInARow + 1 : 0
            if limitedInARow >= WebChatLimits.refusalsBeforeClose {
                logger.warning("web chat socket closed: it kept going over its rate limit", [
                    "client": .string(connection.upgrade.clientAddress),
                ])
                connection.close(.policyViolation, reason: "rate limited")
                break
            }
        }
        sessions.disconnected(connection, session: session?.id)
    }

    /// Answers one frame; returns the socket's session after it, and whether the frame went
    /// over a rate limit.
    private func receive(
        _ frame: String, in session: ChatSession?, on connection: WebSocketConnection
    ) async -> (ChatSession?, limited: Bool) {
        do {
            switch try ChatRequest.parse(frame) {
            case .hello(let requested, let language):
                guard session == nil else { throw ChatFrameError.alreadyStarted }
                if let refusal = limits.hello(from: connection.upgrade.clientAddress) { throw refusal }
                return (try await hello(requested, language: language, on: connection), false)
            case .message(let clientID, let text):
                guard let session else { throw ChatFrameError.helloRequired }
                if let refusal = limits.message(from: connection.upgrade.clientAddress, session: session.id) { throw refusal }
                return (try await take(text, clientID: clientID, in: session, on: connection), false)
            }
        } catch let refusal as ChatFrameError {
            metrics.refused.increment(refusal.code)
            connection.send(ChatFrame.error(code: refusal.code, message: refusal.message))
            if case .rateLimited = refusal { return (session, true) }
        } catch {
            metrics.refused.increment("internal_error")
            logger.error("a web chat frame failed", [
                "conversation": .int(Int(session?.conversation ?? 0)), "error": .string("\(error)"),
            ])
            connection.send(ChatFrame.error(code: "internal_error", message: "The frame could not be handled; send it again."))
        }
        return (session, false)
    }

    /// `welcome`, then (resuming) `handoff` when a person has the conversation, then every reply
    /// that waited — before anything else reaches the socket.
    private func hello(_ requested: String?, language: Language?, on connection: WebSocketConnection) async throws -> ChatSession {
        let opened = try await open(requested, language: language)
        try await sessions.exclusively(session: opened.session.id) { [sessions] in
            connection.send(ChatFrame.welcome(session: opened.session.id, conversationID: opened.session.conversation))
            if let handoff = opened.handoff { connection.send(ChatFrame.handoff(handoff)) }
            sessions.register(connection, session: opened.session.id, conversation: opened.session.conversation)
            return ((), after: [])
        }
        logger.debug("web chat hello", [
            "conversation": .int(Int(opened.session.conversation)), "resumed": .bool(opened.resumed),
        ])
        return opened.session
    }

    /// One customer message: the engine (once per `client_id`), `ack`, the replies, and
    /// `handoff{waiting}` when the turn handed the conversation to a person. Returns the session
    /// after it (in a new conversation when the last one was closed).
    private func take(_ text: String, clientID: String, in session: ChatSession, on connection: WebSocketConnection) async throws -> ChatSession {
        let message = InboundMessage(
            channel: .web, sender: .identity(Identity(.web, session.id)), thread: session.id, text: text, eventID: clientID,
            language: session.language,
            onceOnly: OnceOnly(key: "\(session.id)#\(clientID)", event: #"{"client_id":"# + JSONText.quoted(clientID) + "}") { _ in "acked" })
        let conversation = try await sessions.exclusively(session: session.id) { [self] () -> (Int64, after: [String]) in
            do {
                let outcome = try await engine.handle(message)
                metrics.messages.increment("handled")
                connection.send(ChatFrame.ack(clientID))
                if outcome.conversationID != session.conversation {
                    sessions.register(connection, session: session.id, conversation: outcome.conversationID)
                }
                let handedOver = outcome.escalation != nil && outcome.mode == .human
                return (outcome.conversationID, after: handedOver ? [ChatFrame.handoff(.waiting)] : [])
            } catch EngineError.repeated {
                metrics.messages.increment("repeated")
                connection.send(ChatFrame.ack(clientID))
                return (session.conversation, after: [])
            } catch {
                metrics.messages.increment("failed")
                throw error
            }
        }
        var next = session
        next.conversation = conversation
        return next
    }
}

/// A socket's session after its hello.
struct ChatSession: Sendable, Equatable {
    let id: String
    /// The conversation the session is in now.
    var conversation: Int64
    /// The language the page named, if the bot speaks it.
    let language: Language?
}
