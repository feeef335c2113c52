import Foundation

/// A response a handler returns: status, header fields and a body of known length.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: Data

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A plain-text response (`text/plain; charset=utf-8`).
    public static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "text/plain; charset=utf-8"], body: Data(text.utf8))
    }

    /// A JSON response from bytes that are already JSON.
    public static func json(_ body: Data, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "application/json"], body: body)
    }

    /// A JSON response encoding `value` (keys sorted, so output is stable).
    public static func json<Value: Encodable>(encoding value: Value, status: HTTPStatus = .ok) throws -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return .json(try encoder.encode(value), status: status)
    }

    /// The JSON error body of CONTRACT.md: `{"error":{"code":…,"message":…}}`.
    public static func error(_ error: HTTPError) -> HTTPResponse {
        var response = HTTPResponse.json(error.jsonBody, status: error.status)
        for (name, value) in error.headers { response.headers.add(name, value) }
        return response
    }

    /// An empty response with just a status.
    public static func status(_ status: HTTPStatus) -> HTTPResponse {
        HTTPResponse(status: status)
    }
}
