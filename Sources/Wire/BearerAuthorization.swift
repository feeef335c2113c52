import Cryptography
import RateLimits
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
    /// Failed checks by client address; once an address has spent it, even the right token is
    /// refused with 429 until it refills, so guessing a token is as slow as the limit.
    private var lockout: RateLimiter?

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

    /// The same guard, its failures counted in `lockout` (shared by every guard of the
    /// gateway: a client's failures anywhere count together); nil counts nothing.
    package func limitingFailures(with lockout: RateLimiter?) -> BearerAuthorization {
        var limited = self
        limited.lockout = lockout
        return limited
    }

    /// Throws 401 unless `request` carries the token (429 while its address is locked out).
    package func check(_ request: HTTPRequest) throws(HTTPError) {
        try refuseLockedOut(request)
        do throws(HTTPError) {
            guard accepts(try presentedToken(request)) else { throw invalid }
        } catch {
            failed(request, error)
            throw error
        }
    }

    /// Throws 429 while `request`'s address has spent its failed attempts.
    package func refuseLockedOut(_ request: HTTPRequest) throws(HTTPError) {
        guard let decision = lockout?.check(request.clientAddress), !decision.isAllowed else { return }
        throw .rateLimited(retryAfterSeconds: decision.retryAfterSeconds)
    }

    /// Counts a refusal of `request` against its address (not while the guard is off: that is
    /// the shop's setting, not the client's guess).
    package func failed(_ request: HTTPRequest, _ refusal: HTTPError) {
        guard refusal != disabled else { return }
        _ = lockout?.take(request.clientAddress)
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
