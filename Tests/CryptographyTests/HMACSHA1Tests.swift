import Testing
import Cryptography

/// HMAC-SHA1 through libcrypto, as Twilio signs its webhooks.
struct HMACSHA1Tests {
    /// RFC 2202 test case 1: a 20-byte key of 0x0b, message "Hi There".
    @Test func rfc2202TestCase1() {
        let code = HMACSHA1.authenticationCode(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        #expect(Hex.encode(code) == "b617318655057264e28bc0b6fb378c8ef146be00")
    }

    /// RFC 2202 test case 2: key "Jefe", message "what do ya want for nothing?".
    @Test func rfc2202TestCase2() {
        let code = HMACSHA1.authenticationCode(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(Hex.encode(code) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }

    /// RFC 2202 test case 6: a key longer than the block size is hashed first.
    @Test func rfc2202LongKey() {
        let key = [UInt8](repeating: 0xaa, count: 80)
        let message = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        #expect(Hex.encode(HMACSHA1.authenticationCode(key: key, message: message)) == "aa4ae5e15272d00e95705637ce8a3b55ed402112")
    }

    /// Validation accepts the right code and refuses another key, another message and a truncated code.
    @Test func validation() throws {
        let key = Array("Jefe".utf8)
        let message = Array("what do ya want for nothing?".utf8)
        let code = try #require(Hex.decode("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"))
        #expect(HMACSHA1.isValid(signature: code, key: key, message: message))
        #expect(!HMACSHA1.isValid(signature: code, key: Array("Jeff".utf8), message: message))
        #expect(!HMACSHA1.isValid(signature: code, key: key, message: message + [0x20]))
        #expect(!HMACSHA1.isValid(signature: Array(code.dropLast()), key: key, message: message))
    }
}
