/// A WebSocket close status (RFC 6455 section 7.4, plus the 4000–4999 range for applications).
public struct WebSocketCloseCode: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    /// The conversation is over.
    public static let normalClosure = WebSocketCloseCode(1000)
    /// The server is shutting down (or the page is going away).
    public static let goingAway = WebSocketCloseCode(1001)
    /// The peer broke the protocol.
    public static let protocolError = WebSocketCloseCode(1002)
    /// The peer sent a kind of data we do not take (binary frames on a text endpoint).
    public static let unsupportedData = WebSocketCloseCode(1003)
    /// A text frame was not valid UTF-8.
    public static let invalidPayload = WebSocketCloseCode(1007)
    /// The peer broke a rule of ours (sent faster than it can be processed, read too slowly).
    public static let policyViolation = WebSocketCloseCode(1008)
    /// A message was larger than the configured limit.
    public static let messageTooBig = WebSocketCloseCode(1009)
    /// The server hit an unexpected condition.
    public static let internalError = WebSocketCloseCode(1011)

    public var description: String { String(rawValue) }
}
