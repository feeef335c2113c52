import Foundation

/// A complete HTTP request: head and whole body, as a handler sees it.
public struct HTTPRequest: Sendable {
    /// The request method.
    public let method: HTTPMethod
    /// The path, percent-decoded and normalised (no `..`, no repeated slashes), without the query.
    public let path: String
    /// The query parameters, percent-decoded.
    public let query: QueryParameters
    /// The header fields the server captures: every standard header, plus the extra names in
    /// `ServerConfiguration.extraHeaderNames`.
    public let headers: HTTPHeaders
    /// The body bytes exactly as received (signatures are computed over these).
    public let body: Data
    /// Where the request came from, as rate limits count clients: an IPv4 address or an IPv6 /64
    /// (the TCP peer; a proxy in front is one client).
    public let clientAddress: String
    /// Values of the `{name}` segments of the matched route.
    public internal(set) var pathParameters: [String: String]
    /// The pattern of the matched route (`/api/orders/{id}`), for logs and metrics.
    public internal(set) var route: String?

    public init(
        method: HTTPMethod, path: String, query: QueryParameters = QueryParameters(), headers: HTTPHeaders = [:],
        body: Data = Data(), clientAddress: String = "unknown", pathParameters: [String: String] = [:], route: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.clientAddress = clientAddress
        self.pathParameters = pathParameters
        self.route = route
    }

    /// The media type of the body without parameters, lowercased (`application/json`), or nil.
    public var contentType: String? {
        guard let value = headers["content-type"] else { return nil }
        var essence = value.prefix { $0 != ";" }
        // Optional whitespace in HTTP is spaces and tabs (RFC 9110 §5.6.3).
        while let first = essence.first, first == " " || first == "\t" { essence = essence.dropFirst() }
        while let last = essence.last, last == " " || last == "\t" { essence = essence.dropLast() }
        return essence.lowercased()
    }

    /// The body decoded as JSON into `type`; a malformed body is a 400 `malformed_json` error.
    public func decodeJSON<Value: Decodable>(_ type: Value.Type) throws(HTTPError) -> Value {
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch {
            throw HTTPError(.badRequest, code: "malformed_json", message: "The request body is not valid JSON of the expected shape.")
        }
    }
}
