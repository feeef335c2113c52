import Cryptography
import WebServer

/// Who may call `/api/*`: whoever presents `Authorization: Bearer <ORDERBOT_ADMIN_TOKEN>`.
/// Without a configured token every call is refused.
struct APIAuthorization: Sendable {
    /// The token's MAC under a key made at start-up: comparing MACs in constant time hides
    /// both the token's bytes and its length from timing.
    private let expected: [UInt8]?
    private let key: [UInt8]

    init(adminToken: String?) {
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        self.key = key
        expected = adminToken.flatMap { $0.isEmpty ? nil : HMACSHA256.authenticationCode(key: key, message: Array($0.utf8)) }
    }

    /// Throws 401 unless `request` carries the admin token.
    func check(_ request: HTTPRequest) throws(HTTPError) {
        guard let expected else { throw Self.disabled }
        guard let header = request.headers["authorization"] else { throw Self.missing }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw Self.missing }
        let presented = HMACSHA256.authenticationCode(
            key: key, message: Array(parts[1].trimmingCharacters(in: .whitespaces).utf8))
        guard ConstantTime.equals(presented, expected) else { throw Self.invalid }
    }

    private static let challenge: HTTPHeaders = ["www-authenticate": "Bearer realm=\"orderbot\""]
    private static let missing = HTTPError(
        .unauthorized, code: "unauthorized", message: "Send Authorization: Bearer with the admin token.",
        headers: challenge)
    private static let invalid = HTTPError(
        .unauthorized, code: "unauthorized", message: "The token is not valid.", headers: challenge)
    private static let disabled = HTTPError(
        .unauthorized, code: "unauthorized", message: "The API is off until ORDERBOT_ADMIN_TOKEN is set.",
        headers: challenge)
}
