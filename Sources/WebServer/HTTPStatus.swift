/// An HTTP response status code.
public struct HTTPStatus: Sendable, Hashable, CustomStringConvertible {
    /// The numeric code, 100–599.
    public let code: Int

    public init(_ code: Int) {
        precondition((100...599).contains(code), "invalid HTTP status \(code)")
        self.code = code
    }

    public static let ok = HTTPStatus(200)
    public static let created = HTTPStatus(201)
    public static let accepted = HTTPStatus(202)
    public static let noContent = HTTPStatus(204)
    public static let notModified = HTTPStatus(304)
    public static let permanentRedirect = HTTPStatus(308)
    public static let badRequest = HTTPStatus(400)
    public static let unauthorized = HTTPStatus(401)
    public static let forbidden = HTTPStatus(403)
    public static let notFound = HTTPStatus(404)
    public static let methodNotAllowed = HTTPStatus(405)
    public static let conflict = HTTPStatus(409)
    public static let lengthRequired = HTTPStatus(411)
    public static let contentTooLarge = HTTPStatus(413)
    public static let unsupportedMediaType = HTTPStatus(415)
    public static let unprocessableContent = HTTPStatus(422)
    public static let tooManyRequests = HTTPStatus(429)
    public static let internalServerError = HTTPStatus(500)
    public static let serviceUnavailable = HTTPStatus(503)
    public static let gatewayTimeout = HTTPStatus(504)

    /// The status class for metrics labels: `2xx`, `4xx`, …
    public var classLabel: String { "\(code / 100)xx" }

    public var description: String { String(code) }
}
