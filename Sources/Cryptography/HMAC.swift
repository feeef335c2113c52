import CCrypto

/// HMAC-SHA256 through libcrypto, for webhook signatures (`X-Hub-Signature-256`, Twilio).
public enum HMACSHA256 {
    /// The 32-byte HMAC-SHA256 of `message` under `key`.
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBufferPointer { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                // HMAC() with non-null output cannot fail for SHA-256 short of memory exhaustion,
                // in which case it returns NULL and `length` stays 0: caught by the check below.
                _ = HMAC(
                    EVP_sha256(), keyBuffer.baseAddress, Int32(keyBuffer.count),
                    messageBuffer.baseAddress, messageBuffer.count, &output, &length)
            }
        }
        precondition(length == 32, "libcrypto failed to compute HMAC-SHA256")
        return Array(output.prefix(Int(length)))
    }

    /// Whether `signature` is the HMAC-SHA256 of `message` under `key`, compared in constant time.
    public static func isValid(signature: [UInt8], key: [UInt8], message: [UInt8]) -> Bool {
        ConstantTime.equals(authenticationCode(key: key, message: message), signature)
    }
}
