/// One-shot HTTP/1.1 requests over a fresh raw connection each.
public struct HTTPTestClient: Sendable {
    public let port: Int
    /// The address requests come from (another loopback address is another client).
    public let localAddress: String

    public init(port: Int, from localAddress: String = "127.0.0.1") {
        self.port = port
        self.localAddress = localAddress
    }

    /// Sends one request and reads its response.
    public func request(
        _ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8] = [], timeout: Double = 10
    ) throws -> RawHTTPResponse {
        let connection = try RawConnection(port: port, localAddress: localAddress)
        try connection.send(Self.encode(method, path, headers: headers, body: body))
        return try connection.readResponse(timeout: timeout)
    }

    public func get(_ path: String, headers: [String: String] = [:]) throws -> RawHTTPResponse {
        try request("GET", path, headers: headers)
    }

    public func post(_ path: String, body: [UInt8], headers: [String: String] = [:]) throws -> RawHTTPResponse {
        try request("POST", path, headers: headers, body: body)
    }

    /// The bytes of a request with a Content-Length (when there is a body or the method needs one).
    public static func encode(_ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8] = [])
        -> [UInt8]
    {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }
}
