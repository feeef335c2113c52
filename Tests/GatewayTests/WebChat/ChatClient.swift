import Foundation
import TestSupport

/// A customer's web chat page in a test: a real WebSocket to `/ws/chat`, JSON frames in and out.
///
/// `@unchecked Sendable`: a test hands a page from one `blocking` block to the next, and only
/// ever uses it from one thread at a time.
final class ChatClient: @unchecked Sendable {
    let socket: WebSocketTestClient
    /// Every frame read so far, oldest first.
    private(set) var received: [[String: Any]] = []
    /// The same frames as the server wrote them.
    private(set) var receivedText: [String] = []

    init(port: Int, from localAddress: String = "127.0.0.1") throws {
        socket = try WebSocketTestClient(port: port, path: "/ws/chat", localAddress: localAddress)
    }

    func send(_ object: [String: Any]) throws {
        try socket.sendText(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
    }

    /// `hello`, and the `welcome` it gets.
    func hello(session: String? = nil, language: String? = "pl") throws -> (session: String, conversation: Int64) {
        var frame: [String: Any] = ["type": "hello"]
        if let language { frame["language"] = language }
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

    /// The `code` of the `error` that `text` gets.
    func refusal(_ text: String) throws -> String? {
        try socket.sendText(text)
        return try next(type: "error")["code"] as? String
    }

    /// The next frame of `type` that matches, skipping others; throws after `timeout` seconds.
    func next(type: String, timeout: Double = 10, where matches: ([String: Any]) -> Bool = { _ in true }) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard let frame = try read(timeout: max(0.05, deadline.timeIntervalSinceNow)) else { continue }
            if frame["type"] as? String == type, matches(frame) { return frame }
        }
        throw ChatClientError.noFrame(type, seen: received.compactMap { $0["type"] as? String })
    }

    /// The next frame whose type is one of `types`, skipping others.
    func next(ofTypes types: Set<String>, timeout: Double = 10) throws -> [String: Any] {
        try next(type: "", timeout: timeout, anyOf: types)
    }

    private func next(type: String, timeout: Double, anyOf types: Set<String>) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard let frame = try read(timeout: max(0.05, deadline.timeIntervalSinceNow)) else { continue }
            if let kind = frame["type"] as? String, types.contains(kind) { return frame }
        }
        throw ChatClientError.noFrame(types.sorted().joined(separator: "|"), seen: received.compactMap { $0["type"] as? String })
    }

    /// Frames that arrive within `seconds`, for checking that nothing else does.
    func drain(for seconds: Double) throws -> [[String: Any]] {
        var frames: [[String: Any]] = []
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let frame = try read(timeout: max(0.05, deadline.timeIntervalSinceNow)) { frames.append(frame) }
        }
        return frames
    }

    /// Closes the socket and waits for the server's close.
    func close() throws {
        try socket.sendClose()
        _ = socket.readClose(timeout: 2)
    }

    /// The types of the frames read so far.
    var types: [String] { received.compactMap { $0["type"] as? String } }

    /// The code of the server's close frame, once one was read.
    private(set) var closeCode: UInt16?

    /// Reads and keeps every frame until the server closes the socket (or `timeout` passes).
    func readUntilClosed(timeout: Double = 10) {
        let deadline = Date().addingTimeInterval(timeout)
        while closeCode == nil, Date() < deadline {
            do { _ = try read(timeout: max(0.05, deadline.timeIntervalSinceNow)) } catch { return }
        }
    }

    private func read(timeout: Double) throws -> [String: Any]? {
        let frame = try socket.readFrame(timeout: timeout)
        if case .close(let code, _)? = frame { closeCode = code }
        guard case .text(let text)? = frame,
              let frame = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        else { return nil }
        received.append(frame)
        receivedText.append(text)
        return frame
    }
}

enum ChatClientError: Error, CustomStringConvertible {
    case noFrame(String, seen: [String])

    var description: String {
        switch self {
        case .noFrame(let type, let seen): "no \(type) frame in time; saw \(seen)"
        }
    }
}
