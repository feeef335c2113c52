import Cryptography
import WebServer

/// Who may call an endpoint guarded by a shared token: whoever presents
/// `Authorization: Bearer <token>`. Without a configured token every call is refused.
package struct BearerAuthorization: Sendable {
    /// The token's MAC under a key made at start-up: comparing MACs in constant time hides
    /// both the token's bytes and its length from timing.
    private let expected: [UInt8]?
    private let key: [UInt8]
    private let missing: HTTPError
    private let invalid: HTTPError
    private let disabled: HTTPError

    /// `what` names the token in the messages of a refusal; `refusal` and `setting` (the
    /// environment variable that configures the token) make the message while it is unset.
    package init(token: String?, what: String, refusal: String, setting: String) {
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        self.key = key
        expected = token.flatMap { $0.isEmpty ? nil : HMACSHA256.authenticationCode(key: key, message: Array($0.utf8)) }
        let challenge: HTTPHeaders = ["www-authenticate": "Bearer realm=\"orderbot\""]
        missing = HTTPError(
            .unauthorized, code: "unauthorized", message: "Send Authorization: Bearer with the \(what).", headers: challenge)
        invalid = HTTPError(.unauthorized, code: "unauthorized", message: "The token is not valid.", headers: challenge)
        disabled = HTTPError(
            .unauthorized, code: "unauthorized", message: "\(refusal) until \(setting) is set.", headers: challenge)
    }

    /// Throws 401 unless `request` carries the token.
    package func check(_ request: HTTPRequest) throws(HTTPError) {
        guard accepts(try presentedToken(request)) else { throw invalid }
    }

    /// The token `request` presents; throws 401 while no token is configured, or when the
    /// request has no `Authorization: Bearer` header.
    package func presentedToken(_ request: HTTPRequest) throws(HTTPError) -> String {
        guard expected != nil else { throw disabled }
        guard let header = request.headers["authorization"] else { throw missing }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw missing }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    /// Whether `token` is the configured one, compared in constant time.
    package func accepts(_ token: String) -> Bool {
        guard let expected else { return false }
        return ConstantTime.equals(HMACSHA256.authenticationCode(key: key, message: Array(token.utf8)), expected)
    }

    /// The 401 for a token that is neither this one nor another the endpoint accepts.
    package var invalidToken: HTTPError { invalid }
}
