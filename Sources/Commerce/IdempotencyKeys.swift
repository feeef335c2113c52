import Cryptography
import Foundation
import Storage

/// The answer a request got, kept under its `Idempotency-Key` so a repeat gets it again.
public struct RememberedResponse: Sendable, Hashable {
    public let status: Int
    public let body: String

    public init(status: Int, body: String) {
        self.status = status
        self.body = body
    }
}

/// What a request's idempotency key says about it.
public enum IdempotencyLookup: Sendable, Hashable {
    /// Never seen: handle it, and remember the answer in the same transaction.
    case fresh
    /// Seen with the same body: answer what it was answered, change nothing.
    case repeated(RememberedResponse)
    /// Seen with another body: a client reusing a key for a different request.
    case reusedForAnotherRequest
}

/// `Idempotency-Key`s of requests that change something (an ERP's status update), with the
/// answer each got. A key is remembered in the transaction of the change it made, so a retry
/// after a lost answer repeats the answer and never the change. Keys are scoped by what they
/// were used for and forgotten after `retention` (`Retention`).
public struct IdempotencyKeys: Sendable {
    private let now: Now

    /// How long a key is remembered.
    public static let retention: TimeInterval = 7 * 86_400

    public init(now: @escaping Now = { Date() }) {
        self.now = now
    }

    /// Whether a key is one a client may send: 1–255 visible ASCII characters.
    public static func isWellFormed(_ key: String) -> Bool {
        (1...255).contains(key.utf8.count) && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// What `key` under `scope` says about a request with `body`.
    public func lookUp(_ key: String, scope: String, body: Data, in db: Database) throws -> IdempotencyLookup {
        let found = try db.queryFirst(
            "SELECT request_sha256, status, body FROM idempotency_keys WHERE scope = ? AND key = ?", scope, key
        ) { row in (row.string(0), RememberedResponse(status: row.int(1), body: row.string(2))) }
        guard let (hash, response) = found else { return .fresh }
        return hash == Self.hash(body) ? .repeated(response) : .reusedForAnotherRequest
    }

    /// Remembers the answer to the request with `body` under `key`.
    public func remember(
        _ response: RememberedResponse, key: String, scope: String, body: Data, in db: Database
    ) throws {
        try db.run("""
            INSERT INTO idempotency_keys (scope, key, request_sha256, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)
            """, scope, key, Self.hash(body), response.status, response.body, Timestamps.text(now()))
    }

    private static func hash(_ body: Data) -> String {
        Hex.encode(SHA256Digest.hash([UInt8](body)))
    }
}
