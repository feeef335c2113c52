import Foundation
/// Settings of the web server, each with the default the gateway runs with.
public struct ServerConfiguration: Sendable {
    /// The address to listen on: an IPv4 or IPv6 literal, `localhost`, or `0.0.0.0` / `::` for all.
    public var host: String
    /// The TCP port; 0 picks a free one (read it back from `WebServer.port`).
    public var port: Int
    /// Request bodies larger than this are answered 413 without being kept in memory.
    public var maxBodyBytes: Int
    /// At most this many client connections are open at once; more are refused at accept.
    public var maxConnections: Int
    /// At most this many of them from one client address (an IPv4 address or an IPv6 /64), so
    /// that one client cannot take every connection.
    public var maxConnectionsPerAddress: Int
    /// Seconds a client may take to send the next part of a request (headers, body chunks), and
    /// that an idle keep-alive connection stays open.
    public var idleTimeoutSeconds: Int
    /// Seconds a handler may take to answer before the client gets a 503 `timeout`.
    public var handlerTimeoutSeconds: Int
    /// Seconds `shutdown()` waits for in-flight requests and WebSocket closes before forcing.
    public var shutdownGraceSeconds: Int
    /// Non-standard request headers to capture by name (libwebsockets cannot list unknown
    /// headers): for example `x-hub-signature-256`.
    public var extraHeaderNames: [String]
    /// WebSocket messages larger than this close the connection with 1009.
    public var maxWebSocketMessageBytes: Int
    /// Frames queued for a peer that is not reading; one more closes the connection.
    public var webSocketSendQueueFrames: Int
    /// Bytes queued for a peer that is not reading; more closes the connection.
    public var webSocketSendQueueBytes: Int
    /// Messages received but not yet taken by the handler; more closes the connection with 1008.
    public var webSocketReceiveQueueMessages: Int
    /// Seconds of silence after which the server pings a WebSocket peer.
    public var webSocketPingSeconds: Int
    /// Seconds of silence (no pong, no data) after which a WebSocket peer is considered gone.
    public var webSocketHangupSeconds: Int
    /// The certificate chain and private key (PEM files) to serve HTTPS and WSS with; nil
    /// serves plain HTTP (behind a proxy that terminates TLS).
    public var tls: TLSFiles?
    /// Which pages may open the WebSockets (the `Origin` of the upgrade).
    public var webSocketOrigins: OriginPolicy
    /// Threads that run handlers and WebSocket sessions (the server's own, not Swift's global
    /// pool, so that other work in the process cannot keep handlers from running).
    public var handlerThreads: Int

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        maxBodyBytes: Int = 1 << 20,
        maxConnections: Int = 1_024,
        maxConnectionsPerAddress: Int = 64,
        idleTimeoutSeconds: Int = 10,
        handlerTimeoutSeconds: Int = 30,
        shutdownGraceSeconds: Int = 5,
        extraHeaderNames: [String] = [],
        maxWebSocketMessageBytes: Int = 256 << 10,
        webSocketSendQueueFrames: Int = 256,
        webSocketSendQueueBytes: Int = 4 << 20,
        webSocketReceiveQueueMessages: Int = 64,
        webSocketPingSeconds: Int = 30,
        webSocketHangupSeconds: Int = 75,
        webSocketOrigins: OriginPolicy = .sameOrigin,
        tls: TLSFiles? = nil,
        handlerThreads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxConnections = maxConnections
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.handlerTimeoutSeconds = handlerTimeoutSeconds
        self.shutdownGraceSeconds = shutdownGraceSeconds
        self.extraHeaderNames = extraHeaderNames
        self.maxWebSocketMessageBytes = maxWebSocketMessageBytes
        self.webSocketSendQueueFrames = webSocketSendQueueFrames
        self.webSocketSendQueueBytes = webSocketSendQueueBytes
        self.webSocketReceiveQueueMessages = webSocketReceiveQueueMessages
        self.webSocketPingSeconds = webSocketPingSeconds
        self.webSocketHangupSeconds = webSocketHangupSeconds
        self.webSocketOrigins = webSocketOrigins
        self.tls = tls
        self.handlerThreads = max(1, handlerThreads)
    }
}

/// PEM files libwebsockets serves TLS with (OpenSSL).
public struct TLSFiles: Sendable, Equatable {
    /// The certificate, followed by its chain.
    public let certificatePath: String
    public let privateKeyPath: String

    public init(certificatePath: String, privateKeyPath: String) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
    }
}
