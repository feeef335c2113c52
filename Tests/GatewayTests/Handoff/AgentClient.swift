import Foundation
import TestSupport

/// An agent's console in a test: a real WebSocket to `/ws/agent`, JSON frames in and out, and
/// waiting for a frame of a kind while others (queue updates) pass by.
final class AgentClient {
    let socket: WebSocketTestClient
    /// Every frame read so far, oldest first.
    private(set) var received: [[String: Any]] = []

    init(port: Int) throws {
        socket = try WebSocketTestClient(port: port, path: "/ws/agent")
    }

    func send(_ object: [String: Any]) throws {
        try socket.sendText(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
    }

    /// Signs in and reads `ready` and the first `queue`.
    func signIn(_ token: String) throws -> [String: Any] {
        try send(["type": "auth", "token": token])
        let ready = try next(type: "ready")
        _ = try next(type: "queue")
        return ready
    }

    /// The next frame of `type` (or any of `types`), skipping others; nil after `timeout` seconds.
    func next(type: String, timeout: Double = 10, where matches: ([String: Any]) -> Bool = { _ in true }) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard case .text(let text)? = try socket.readFrame(timeout: max(0.05, deadline.timeIntervalSinceNow)) else { continue }
            guard let frame = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { continue }
            received.append(frame)
            if frame["type"] as? String == type, matches(frame) { return frame }
        }
        throw AgentClientError.noFrame(type, seen: received.compactMap { $0["type"] as? String })
    }

    /// The latest queue holding an escalation of `conversation`, waiting for one if needed.
    func queueItem(conversation: Int64, status: String = "open", timeout: Double = 10) throws -> [String: Any] {
        let frame = try next(type: "queue", timeout: timeout) { frame in
            Self.items(frame).contains { $0["conversation_id"] as? Int64 == conversation && $0["status"] as? String == status }
        }
        return Self.items(frame).first { $0["conversation_id"] as? Int64 == conversation }!
    }

    static func items(_ frame: [String: Any]) -> [[String: Any]] { frame["items"] as? [[String: Any]] ?? [] }
}

enum AgentClientError: Error, CustomStringConvertible {
    case noFrame(String, seen: [String])

    var description: String {
        switch self {
        case .noFrame(let type, let seen): "no \(type) frame in time; saw \(seen)"
        }
    }
}
