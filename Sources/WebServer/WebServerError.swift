/// Why the server could not start.
public enum WebServerError: Error, Equatable, CustomStringConvertible {
    /// The host is not an IP address, `localhost`, or a wildcard.
    case invalidHost(String)
    /// Binding failed: the port is taken, or the address is not on this machine, or not permitted.
    case cannotListen(host: String, port: Int)
    /// `start()` was called on a server that already started.
    case alreadyStarted

    public var description: String {
        switch self {
        case .invalidHost(let host):
            "cannot listen on \"\(host)\": give an IPv4 or IPv6 address, localhost, or 0.0.0.0 for every interface"
        case .cannotListen(let host, let port):
            "cannot listen on \(host):\(port): the port is in use, the address is not on this machine, or it is not permitted"
        case .alreadyStarted:
            "the server was already started"
        }
    }
}
