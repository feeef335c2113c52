import Foundation
import Testing
import Cryptography

/// HMAC-SHA256, SHA-256, hex and constant-time comparison through libcrypto.
struct HMACTests {
    private static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        .appendingPathComponent("messenger")

    private static func expectedSignature(of file: String) throws -> String {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("signatures.json"))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let files = json?["files"] as? [String: [String: Any]]
        return try #require(files?[file]?["hmac_sha256_hex"] as? String)
    }

    /// RFC 4231 test case 2: key "Jefe", message "what do ya want for nothing?".
    @Test func rfc4231TestCase2() {
        let code = HMACSHA256.authenticationCode(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(Hex.encode(code) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    /// RFC 4231 test case 6: a key longer than the block size is hashed first.
    @Test func rfc4231LongKey() {
        let key = [UInt8](repeating: 0xaa, count: 131)
        let message = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        #expect(Hex.encode(HMACSHA256.authenticationCode(key: key, message: message))
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    /// The signatures Meta would send for the Messenger fixtures match, byte for byte: the same
    /// JSON value in different bytes has a different signature.
    @Test(arguments: ["text_message.json", "polish_text_message.json", "polish_text_message_utf8.json"])
    func messengerFixtureSignaturesMatch(_ file: String) throws {
        let body = try [UInt8](Data(contentsOf: Self.fixtures.appendingPathComponent(file)))
        let expected = try Self.expectedSignature(of: file)
        let code = HMACSHA256.authenticationCode(key: Array("test-app-secret".utf8), message: body)
        #expect(Hex.encode(code) == expected)
        #expect(HMACSHA256.isValid(signature: try #require(Hex.decode(expected)), key: Array("test-app-secret".utf8), message: body))
        #expect(!HMACSHA256.isValid(signature: try #require(Hex.decode(expected)), key: Array("wrong-secret".utf8), message: body))
    }

    /// SHA-256 of "abc" (FIPS 180-2 example).
    @Test func sha256OfABC() {
        #expect(Hex.encode(SHA256Digest.hash(Array("abc".utf8)))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// Constant-time equality: equal, different content, different length, empty.
    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equals([], []))
    }

    /// Hex decoding accepts either case and refuses odd lengths and non-hex characters.
    @Test func hexDecoding() {
        #expect(Hex.decode("00ffAB") == [0, 255, 171])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("") == [])
    }

    /// Random bytes come in the asked number and differ between calls.
    @Test func randomBytes() throws {
        let first = try SecureRandom.bytes(count: 32)
        let second = try SecureRandom.bytes(count: 32)
        #expect(first.count == 32)
        #expect(first != second)
    }
}
