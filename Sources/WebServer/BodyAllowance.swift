/// A route's body limit above the server's `maxBodyBytes`, for the requests `admit` lets in
/// (a shop's whole catalog file, from the admin only).
///
/// `admit` sees the request's head (the body still empty) before a body over the server's limit
/// is read, and throws the error to answer instead, so a client that may not use the route
/// cannot make the server hold a large body for it. It runs on the I/O thread: it must answer
/// at once, without blocking or I/O.
public struct BodyAllowance: Sendable {
    /// The largest body the route takes from an admitted request.
    public let maxBytes: Int
    /// Throws the answer to a request whose large body is not to be read.
    public let admit: @Sendable (HTTPRequest) throws(HTTPError) -> Void

    public init(maxBytes: Int, admit: @escaping @Sendable (HTTPRequest) throws(HTTPError) -> Void) {
        self.maxBytes = maxBytes
        self.admit = admit
    }
}
