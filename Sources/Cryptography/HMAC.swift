import CCrypto

/// HMAC-SHA256 through libcrypto, for webhook signatures (`X-Hub-Signature-256`, the gateway's
/// own relay signatures).
public enum HMACSHA256 {
    /// The 32-byte HMAC-SHA256 of `message` under `key`.
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        LibcryptoHMAC.authenticationCode(digest: EVP_sha256(), name: "HMAC-SHA256", length: 32, key: key, message: message)
    }

    /// Whether `signature` is the HMAC-SHA256 of `message` under `key`, compared in constant time.
    public static func isValid(signature: [UInt8], key: [UInt8], message: [UInt8]) -> Bool {
        ConstantTime.equals(authenticationCode(key: key, message: message), signature)
    }

    /// `sha256=<hex>`: how Meta (`X-Hub-Signature-256`) and OrderBot (`X-OrderBot-Signature`)
    /// sign a body under a shared secret.
    public static func header(for message: [UInt8], key: [UInt8]) -> String {
        "sha256=" + Hex.encode(authenticationCode(key: key, message: message))
    }

    /// Whether `header` (`sha256=<hex>`) signs `message` under `key`.
    public static func isValid(header: String, key: [UInt8], message: [UInt8]) -> Bool {
        let prefix = "sha256="
        guard header.lowercased().hasPrefix(prefix), let given = Hex.decode(header.dropFirst(prefix.count)) else { return false }
        return isValid(signature: given, key: key, message: message)
    }
}

/// HMAC-SHA1 through libcrypto, for Twilio's `X-Twilio-Signature`. SHA-1 is weak as a hash but
/// HMAC-SHA1 is still sound as a MAC; use it only where a platform demands it.
public enum HMACSHA1 {
    /// The 20-byte HMAC-SHA1 of `message` under `key`.
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        LibcryptoHMAC.authenticationCode(digest: EVP_sha1(), name: "HMAC-SHA1", length: 20, key: key, message: message)
    }

    /// Whether `signature` is the HMAC-SHA1 of `message` under `key`, compared in constant time.
    public static func isValid(signature: [UInt8], key: [UInt8], message: [UInt8]) -> Bool {
        ConstantTime.equals(authenticationCode(key: key, message: message), signature)
    }
}

/// The one call into libcrypto's `HMAC()` that both digests share.
private enum LibcryptoHMAC {
    static func authenticationCode(
        digest: OpaquePointer?, name: String, length expected: Int, key: [UInt8], message: [UInt8]
    ) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBufferPointer { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                // HMAC() with non-null output cannot fail for these digests short of memory
                // exhaustion, in which case it returns NULL and `length` stays 0: caught below.
                _ = HMAC(
                    digest, keyBuffer.baseAddress, Int32(keyBuffer.count),
                    messageBuffer.baseAddress, messageBuffer.count, &output, &length)
            }
        }
        precondition(Int(length) == expected, "libcrypto failed to compute \(name)")
        return Array(output.prefix(Int(length)))
    }
}
