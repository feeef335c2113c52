/// The upgrade request that opened a WebSocket: path, query and headers.
public struct WebSocketUpgrade: Sendable {
    public let path: String
    public let query: QueryParameters
    public let headers: HTTPHeaders
    /// Where the connection came from, as rate limits count clients (see `HTTPRequest.clientAddress`).
    public let clientAddress: String
}

/// One open WebSocket as its handler sees it: the text messages that arrive, in order, and ways
/// to send and close that work from any thread.
///
/// `messages` finishes when the connection closes, whoever closed it. Sending never blocks: a
/// frame is queued for the I/O thread, and a peer that stops reading is disconnected once its
/// queue is full rather than letting memory grow.
public struct WebSocketConnection: Sendable {
    /// Unique for the life of the process.
    public let id: UInt64
    /// The request that opened the connection.
    public let upgrade: WebSocketUpgrade
    /// Complete text messages from the peer (fragments already joined), in arrival order.
    public let messages: AsyncStream<String>
    let mailbox: Mailbox

    /// Queues `text` as one text frame; false when the connection is already gone.
    @discardableResult
    public func send(_ text: String) -> Bool {
        mailbox.post(.sendText(socket: id, text: text))
    }

    /// Sends any frames already queued, then closes with `code` and `reason`.
    public func close(_ code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        mailbox.post(.closeSocket(socket: id, code: code, reason: reason))
    }
}

/// Runs for the life of one connection; when it returns, the server closes the connection
/// (1000) if it is still open.
public typealias WebSocketHandler = @Sendable (WebSocketConnection) async -> Void

/// A WebSocket endpoint: the path clients upgrade on, and the handler each connection gets.
public struct WebSocketRoute: Sendable {
    public let path: String
    public let handler: WebSocketHandler

    public init(path: String, handler: @escaping WebSocketHandler) {
        self.path = path
        self.handler = handler
    }
}
