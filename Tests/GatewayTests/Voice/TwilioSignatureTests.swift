import Foundation
import Gateway
import Testing
import Voice

/// `X-Twilio-Signature`: the fixtures' signatures hold, and any change to what is signed breaks them.
struct TwilioSignatureTests {
    private static let token = VoiceFixtures.authToken

    private func fixture(_ name: String) throws -> (parameters: [String: String], url: String, signature: String) {
        let parameters = try TwilioForm.parameters(in: VoiceFixtures.body(name))
        let (url, signature) = try VoiceFixtures.twilioSignature(of: name)
        return (parameters, url, signature)
    }

    /// Both gather callbacks and the partial result validate against signatures.json.
    @Test(arguments: VoiceFixtures.twilioBodies)
    func fixtureSignaturesValidate(_ name: String) throws {
        let (parameters, url, signature) = try fixture(name)
        #expect(TwilioSignature.expected(url: url, parameters: parameters, authToken: Self.token) == signature)
        #expect(TwilioSignature.isValid(signature: signature, url: url, parameters: parameters, authToken: Self.token))
    }

    /// A changed, added or removed parameter fails.
    @Test(arguments: VoiceFixtures.twilioBodies)
    func changedParametersFail(_ name: String) throws {
        let (parameters, url, signature) = try fixture(name)
        var changed = parameters
        changed["CallSid"] = "CA00000000000000000000000000000000"
        var added = parameters
        added["Extra"] = ""
        var removed = parameters
        removed["ToZip"] = nil
        for altered in [changed, added, removed] {
            #expect(!TwilioSignature.isValid(signature: signature, url: url, parameters: altered, authToken: Self.token))
        }
    }

    /// A wrong auth token fails.
    @Test(arguments: VoiceFixtures.twilioBodies)
    func wrongTokenFails(_ name: String) throws {
        let (parameters, url, signature) = try fixture(name)
        #expect(!TwilioSignature.isValid(signature: signature, url: url, parameters: parameters, authToken: "test-auth-tokem"))
        #expect(!TwilioSignature.isValid(signature: signature, url: url, parameters: parameters, authToken: ""))
    }

    /// Another URL fails: scheme, host, path, a trailing slash, a query string all count.
    @Test(arguments: VoiceFixtures.twilioBodies)
    func differentURLFails(_ name: String) throws {
        let (parameters, url, signature) = try fixture(name)
        let others = [
            url.replacingOccurrences(of: "https://", with: "http://"), url + "/", url + "?turn=3",
            url.replacingOccurrences(of: "gateway.", with: "gw."), url.replacingOccurrences(of: "/voice/", with: "/Voice/"),
        ]
        for other in others {
            #expect(!TwilioSignature.isValid(signature: signature, url: other, parameters: parameters, authToken: Self.token))
        }
    }

    /// A malformed, truncated, re-cased or empty header value fails.
    @Test func malformedSignaturesFail() throws {
        let (parameters, url, signature) = try fixture("twilio_gather_speech_pl_confidence_091.txt")
        for bad in ["", String(signature.dropLast()), signature.lowercased(), signature + "=", "not base64!"] {
            #expect(!TwilioSignature.isValid(signature: bad, url: url, parameters: parameters, authToken: Self.token))
        }
    }

    /// Parameters are signed in name order whatever the body's order, and the query string of
    /// the URL is signed as written.
    @Test func orderOfBodyDoesNotMatter() throws {
        let url = "https://gw.example/voice/twilio/gather?turn=2"
        let forward = try TwilioForm.parameters(in: Array("A=1&B=2&a=3".utf8))
        let backward = try TwilioForm.parameters(in: Array("a=3&B=2&A=1".utf8))
        #expect(TwilioSignature.expected(url: url, parameters: forward, authToken: "t")
            == TwilioSignature.expected(url: url, parameters: backward, authToken: "t"))
        #expect(TwilioSignature.expected(url: url, parameters: forward, authToken: "t").count == 28)
    }
}
