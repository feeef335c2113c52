import Cryptography
import Foundation
import Storage

/// One-time codes that prove a typed contact: 6 digits, valid 10 minutes, 5 tries each, at most
/// 3 codes a contact an hour, and none for an hour after a code was locked by wrong tries.
///
/// A code is issued the same way whether or not the contact belongs to anyone (the caller
/// decides whether to deliver it), so neither the answer nor the limits tell a stranger whether a
/// contact is known. A code that was never delivered cannot be right. Only a salted hash of a
/// code is kept.
public struct VerificationCodes: Sendable {
    /// How long a code is valid.
    public static let lifetime: TimeInterval = 10 * 60
    /// Wrong tries before a code is locked.
    public static let tries = 5
    /// Codes issued for one contact within `window` at most.
    public static let codesPerWindow = 3
    /// The window of the code limit and of a lock.
    public static let window: TimeInterval = 60 * 60

    private let now: Now

    public init(now: @escaping Now = { Date() }) {
        self.now = now
    }

    /// What asking for a code came to.
    public enum Issue: Sendable, Equatable {
        /// A new code; any earlier pending code of the conversation is void.
        case issued(code: String, expiresAt: Date)
        /// The contact had its codes for the hour, or a code of it was locked within the hour.
        case refused
    }

    /// What typing a code came to.
    public enum Check: Sendable, Equatable {
        /// The code was right: the contact is proved.
        case verified(Identity)
        /// Wrong; `triesLeft` more before the code is locked.
        case wrong(triesLeft: Int)
        /// Wrong for the last time: the code is void, and the contact gets no code for an hour.
        case locked
        /// The code had run out (or the conversation has none pending).
        case expired
    }

    /// Issues a code for `contact` in `conversation`; `delivered` says whether it will be sent.
    public func issue(for contact: Identity, conversation: Int64, delivered: Bool, in db: Database) throws -> Issue {
        let moment = now()
        let windowStart = Timestamps.text(moment.addingTimeInterval(-Self.window))
        let recent = try db.queryFirst("""
            SELECT count(*) FILTER (WHERE created_at > ?3), count(*) FILTER (WHERE locked_at > ?3)
            FROM verification_codes WHERE channel = ?1 AND external_id = ?2
            """, contact.channel.rawValue, contact.externalID, windowStart) { (issued: $0.int(0), locked: $0.int(1)) }
        guard let recent, recent.issued < Self.codesPerWindow, recent.locked == 0 else { return .refused }
        try db.run("UPDATE verification_codes SET status = 'replaced' WHERE conversation_id = ? AND status = 'pending'", conversation)
        let code = try Self.randomCode()
        let salt = try SecureRandom.bytes(count: 16)
        let expiresAt = moment.addingTimeInterval(Self.lifetime)
        try db.run("""
            INSERT INTO verification_codes (conversation_id, channel, external_id, salt, code_hash, delivered, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, conversation, contact.channel.rawValue, contact.externalID, Hex.encode(salt), Self.hash(code, salt: salt),
            delivered ? 1 : 0, Timestamps.text(moment), Timestamps.text(expiresAt))
        return .issued(code: code, expiresAt: expiresAt)
    }

    /// Checks `code` against the conversation's pending code.
    public func check(_ code: String, conversation: Int64, in db: Database) throws -> Check {
        guard let pending = try db.queryFirst("""
            SELECT id, channel, external_id, salt, code_hash, delivered, attempts, expires_at FROM verification_codes
            WHERE conversation_id = ? AND status = 'pending' ORDER BY id DESC LIMIT 1
            """, conversation, as: { row in
                (id: row.int64(0), contact: Identity(IdentityChannel(rawValue: row.string(1)) ?? .phone, row.string(2)),
                 salt: Hex.decode(row.string(3)) ?? [], hash: row.string(4), delivered: row.int(5) == 1,
                 attempts: row.int(6), expiresAt: Timestamps.date(row.string(7)) ?? .distantPast)
            })
        else { return .expired }
        let moment = now()
        guard moment < pending.expiresAt else {
            try db.run("UPDATE verification_codes SET status = 'expired' WHERE id = ?", pending.id)
            return .expired
        }
        let right = pending.delivered && ConstantTime.equals(
            Array(Self.hash(code, salt: pending.salt).utf8), Array(pending.hash.utf8))
        if right {
            try db.run("UPDATE verification_codes SET status = 'verified' WHERE id = ?", pending.id)
            return .verified(pending.contact)
        }
        let attempts = pending.attempts + 1
        if attempts >= Self.tries {
            try db.run(
                "UPDATE verification_codes SET attempts = ?, status = 'locked', locked_at = ? WHERE id = ?",
                attempts, Timestamps.text(moment), pending.id)
            return .locked
        }
        try db.run("UPDATE verification_codes SET attempts = ? WHERE id = ?", attempts, pending.id)
        return .wrong(triesLeft: Self.tries - attempts)
    }

    /// Six decimal digits, evenly drawn from the secure generator.
    static func randomCode() throws -> String {
        while true {
            let bytes = try SecureRandom.bytes(count: 4)
            let value = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            // 4_294_000_000 is the largest multiple of a million below 2^32: no value is likelier.
            guard value < 4_294_000_000 else { continue }
            let digits = String(value % 1_000_000)
            return String(repeating: "0", count: 6 - digits.count) + digits
        }
    }

    private static func hash(_ code: String, salt: [UInt8]) -> String {
        Hex.encode(HMACSHA256.authenticationCode(key: salt, message: Array(code.utf8)))
    }
}
