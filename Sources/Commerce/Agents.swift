import Cryptography
import Foundation
import Storage

/// A person who answers customers in the agents' console. Their token is never part of it.
public struct Agent: Sendable, Hashable {
    public let id: Int64
    /// Unique whatever its case: 1–64 ASCII letters, digits, `-`, `_` or `.`.
    public let name: String
    /// Whether the agent's token is accepted.
    public let enabled: Bool
    public let createdAt: Date

    /// Whether `name` can name an agent: 1–64 characters, each an ASCII letter, a digit, `-`,
    /// `_` or `.`.
    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                true
            default:
                false
            }
        }
    }
}

/// Why an agent operation was refused; none of them changes anything.
public enum AgentError: Error, Equatable, CustomStringConvertible {
    /// The name is empty, longer than 64 characters, or has a character other than an ASCII
    /// letter, a digit, `-`, `_` or `.`.
    case invalidName(String)
    /// An agent of that name (in any case) exists already.
    case duplicateName(String)
    case unknownAgent(String)
    /// No secure random bytes were available for the token.
    case tokenUnavailable(SecureRandom.Failure)

    public var description: String {
        switch self {
        case .invalidName(let name):
            "\"\(name)\" is not a valid agent name (1 to 64 letters, digits, -, _ or .)"
        case .duplicateName(let name): "an agent named \(name) exists already"
        case .unknownAgent(let name): "no agent named \(name)"
        case .tokenUnavailable(let failure): "cannot make a token: \(failure)"
        }
    }
}

/// An agent's secret: `oba_` and 32 random bytes as unpadded base64url (47 characters).
public enum AgentToken {
    /// What every agent token starts with, so a leaked one is recognisable (secret scanners).
    public static let prefix = "oba_"
    private static let encodedLength = 43

    /// A new token from 32 secure random bytes.
    public static func generate() throws(AgentError) -> String {
        let bytes: [UInt8]
        do throws(SecureRandom.Failure) {
            bytes = try SecureRandom.bytes(count: 32)
        } catch {
            throw .tokenUnavailable(error)
        }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + base64
    }

    /// The SHA-256 of `token`, the only form in which a token is stored.
    public static func digest(_ token: String) -> [UInt8] {
        SHA256Digest.hash(Array(token.utf8))
    }

    /// Whether `text` has a token's shape (prefix, length, alphabet): anything else cannot be
    /// one, and needs no database read to be refused.
    public static func isWellFormed(_ text: some StringProtocol) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == prefix.utf8.count + encodedLength, text.hasPrefix(prefix) else { return false }
        return bytes.dropFirst(prefix.utf8.count).allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default:
                false
            }
        }
    }
}

/// The agents: who they are, whether they may work, and the hashes of their tokens.
public struct Agents: Sendable {
    private let now: Now

    public init(now: @escaping Now = { Date() }) {
        self.now = now
    }

    /// Creates an enabled agent and returns it with its token, which exists only in this return
    /// value: the database keeps its SHA-256.
    public func add(name: String, in db: Database) throws -> (agent: Agent, token: String) {
        guard Agent.isValidName(name) else { throw AgentError.invalidName(name) }
        guard try find(named: name, in: db) == nil else { throw AgentError.duplicateName(name) }
        let token = try AgentToken.generate()
        try db.run(
            "INSERT INTO agents (name, token_hash, created_at) VALUES (?, ?, ?)",
            name, Hex.encode(AgentToken.digest(token)), Timestamps.text(now()))
        return (try require(name, in: db), token)
    }

    /// The enabled agent whose token `token` is, or nil. The presented token's hash is compared
    /// with every enabled agent's in constant time, and the loop does not stop at a match.
    public func authenticate(_ token: String, in db: Database) throws -> Agent? {
        guard AgentToken.isWellFormed(token) else { return nil }
        let presented = AgentToken.digest(token)
        let candidates = try db.query(Self.select + ", token_hash FROM agents WHERE enabled = 1 ORDER BY id") { row in
            (agent: Self.agent(row), hash: Hex.decode(row.string(4)) ?? [])
        }
        var match: Agent?
        for candidate in candidates where ConstantTime.equals(presented, candidate.hash) {
            match = candidate.agent
        }
        return match
    }

    /// Stops accepting the agent's token (at once: every check reads the database). Disabling
    /// a disabled agent changes nothing.
    @discardableResult
    public func disable(_ name: String, in db: Database) throws -> Agent {
        let agent = try require(name, in: db)
        if agent.enabled {
            try db.run("UPDATE agents SET enabled = 0, disabled_at = ? WHERE id = ?", Timestamps.text(now()), agent.id)
        }
        return try require(name, in: db)
    }

    /// Accepts the agent's token again.
    @discardableResult
    public func enable(_ name: String, in db: Database) throws -> Agent {
        let agent = try require(name, in: db)
        try db.run("UPDATE agents SET enabled = 1, disabled_at = NULL WHERE id = ?", agent.id)
        return try require(name, in: db)
    }

    /// The agent named `name` (in any case), or nil.
    public func find(named name: String, in db: Database) throws -> Agent? {
        try db.queryFirst(Self.select + " FROM agents WHERE name = ?", name, as: Self.agent)
    }

    /// Every agent, enabled or not, by name.
    public func list(in db: Database) throws -> [Agent] {
        try db.query(Self.select + " FROM agents ORDER BY name, id", as: Self.agent)
    }

    private func require(_ name: String, in db: Database) throws -> Agent {
        guard let agent = try find(named: name, in: db) else { throw AgentError.unknownAgent(name) }
        return agent
    }

    private static let select = "SELECT id, name, enabled, created_at"

    private static func agent(_ row: Row) -> Agent {
        Agent(id: row.int64(0), name: row.string(1), enabled: row.int(2) != 0,
              createdAt: Timestamps.date(row.string(3)) ?? .distantPast)
    }
}
