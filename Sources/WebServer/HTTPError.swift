import Foundation

/// An error a handler throws (or the server raises) that becomes a JSON error response:
/// a status, a machine code in snake_case, and a sentence safe to show to the caller.
///
/// Anything else a handler throws becomes a 500 `internal` whose detail is logged, never sent.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: HTTPStatus
    /// A stable snake_case code clients can branch on (`not_found`, `malformed_json`).
    public let code: String
    /// A human sentence without internals (no SQL, no stack, no secrets).
    public let message: String
    /// Extra header fields for the response (`Allow` on a 405).
    public var headers: HTTPHeaders

    public init(_ status: HTTPStatus, code: String, message: String, headers: HTTPHeaders = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    var jsonBody: Data {
        let payload = ["error": ["code": code, "message": message]]
        // Encoding a dictionary of strings cannot fail.
        return (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    public static let notFound = HTTPError(.notFound, code: "not_found", message: "There is nothing at this address.")
    public static let internalError = HTTPError(
        .internalServerError, code: "internal", message: "Something went wrong on our side; it has been logged.")
    public static let draining = HTTPError(
        .serviceUnavailable, code: "draining", message: "The server is shutting down; try again in a moment.")
    public static let lengthRequired = HTTPError(
        .lengthRequired, code: "length_required",
        message: "Send the body with a Content-Length header; chunked uploads are not accepted.")
    public static let invalidContentLength = HTTPError(
        .badRequest, code: "invalid_content_length", message: "The Content-Length header must be one whole number.")
    public static let malformedRequest = HTTPError(
        .badRequest, code: "malformed_request", message: "The request is not valid HTTP/1.1.")
    public static let handlerTimeout = HTTPError(
        .serviceUnavailable, code: "timeout", message: "The request took too long to handle; try again.")

    /// 503: the request could not be stored now (a full disk, a failing or locked database);
    /// nothing was kept, and the client may send it again after `Retry-After`.
    public static let storageUnavailable = HTTPError(
        .serviceUnavailable, code: "storage_unavailable",
        message: "The request could not be stored right now; nothing was kept. Send it again in a moment.",
        headers: ["retry-after": "5"])

    /// 429: the client went over a rate limit; `Retry-After` says in how many seconds it may try again.
    public static func rateLimited(retryAfterSeconds: Int) -> HTTPError {
        HTTPError(
            .tooManyRequests, code: "rate_limited", message: "Too many requests; try again in \(retryAfterSeconds) s.",
            headers: ["retry-after": String(retryAfterSeconds)])
    }

    public static func contentTooLarge(limit: Int) -> HTTPError {
        HTTPError(.contentTooLarge, code: "body_too_large", message: "The request body is larger than \(limit) bytes.")
    }

    public static func methodNotAllowed(allowed: [HTTPMethod]) -> HTTPError {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        return HTTPError(
            .methodNotAllowed, code: "method_not_allowed", message: "This address accepts \(list) only.",
            headers: ["allow": list])
    }
}

/// An error that knows which HTTP error it is, for errors of modules below the web server (a
/// full disk is a 503 the client may retry, not a 500).
public protocol HTTPErrorConvertible: Error {
    /// The response's error, or nil for a plain 500.
    var httpError: HTTPError? { get }
}
