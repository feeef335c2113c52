import Foundation
import TestSupport

/// A customer's web chat page in a test: a real WebSocket to `/ws/chat`, JSON frames in and out.
final class ChatClient {
    let socket: WebSocketTestClient
    private(set) var received: [[String: Any]] = []

    init(port: Int) throws {
        socket = try WebSocketTestClient(port: port, path: "/ws/chat")
    }

    func send(_ object: [String: Any]) throws {
        try socket.sendText(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
    }

    /// `hello`, and the `welcome` it gets.
    func hello(session: String? = nil, language: String = "pl") throws -> (session: String, conversation: Int64) {
        var frame: [String: Any] = ["type": "hello", "language": language]
        if let session { frame["session"] = session }
        try send(frame)
        let welcome = try next(type: "welcome")
        return (welcome["session"] as? String ?? "", welcome["conversation_id"] as? Int64 ?? 0)
    }

    /// Sends a message and waits for its `ack`.
    func say(_ text: String, id: String) throws {
        try send(["type": "message", "client_id": id, "text": text])
        _ = try next(type: "ack") { $0["client_id"] as? String == id }
    }

    /// The next frame of `type` that matches, skipping others; throws after `timeout` seconds.
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

    /// Frames that arrive within `seconds`, for checking that nothing else does.
    func drain(for seconds: Double) throws -> [[String: Any]] {
        var frames: [[String: Any]] = []
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard case .text(let text)? = try socket.readFrame(timeout: max(0.05, deadline.timeIntervalSinceNow)),
                  let frame = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            else { continue }
            frames.append(frame)
        }
        received += frames
        return frames
    }
}
