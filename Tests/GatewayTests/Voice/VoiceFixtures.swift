import Foundation
import Testing

/// The files of Fixtures/voice (copied byte for byte from shared/fixtures/voice) and what
/// signatures.json says about them.
enum VoiceFixtures {
    static let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("voice")

    /// The Twilio form bodies that signatures.json signs.
    static let twilioBodies = [
        "twilio_gather_speech_pl_confidence_091.txt", "twilio_gather_speech_pl_confidence_032.txt", "twilio_partial_result_pl.txt",
    ]

    /// Twilio's auth token for the fixture signatures.
    static let authToken = "test-auth-token"

    /// The bytes of a fixture, exactly as stored.
    static func body(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// The URL Twilio posted `name` to and its `X-Twilio-Signature`.
    static func twilioSignature(of name: String) throws -> (url: String, signature: String) {
        let data = try Data(contentsOf: directory.appendingPathComponent("signatures.json"))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let entry = (json?["files"] as? [String: [String: Any]])?[name]
        return (try #require(entry?["twilio_url"] as? String), try #require(entry?["x_twilio_signature"] as? String))
    }
}
