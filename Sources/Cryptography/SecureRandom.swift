import CCrypto

/// Cryptographically secure random bytes from libcrypto, for tokens and session ids.
public enum SecureRandom {
    /// Why random bytes could not be produced.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// libcrypto's generator is not seeded or failed; the code is `ERR_get_error()`.
        case generatorFailed(code: UInt)

        public var description: String {
            switch self {
            case .generatorFailed(let code): "the random generator failed (libcrypto error \(code))"
            }
        }
    }

    /// `count` random bytes.
    public static func bytes(count: Int) throws(Failure) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: count)
        let status = output.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        guard status == 1 else { throw .generatorFailed(code: ERR_get_error()) }
        return output
    }
}
