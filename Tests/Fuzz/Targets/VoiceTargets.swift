import Foundation
@testable import Voice

/// The phone channel's two ways in: the neutral `gw.voice.transcript/v1` JSON and Twilio's
/// form-encoded speech results (with the signature check every Twilio request goes through).
enum VoiceTargets {
    static func runTranscript(_ body: Data) {
        guard let transcript = try? VoiceTranscript.parse(body) else { return }
        require(transcript.callID.count <= 200, "a call id of \(transcript.callID.count) characters was taken")
        require(transcript.alternatives.count <= VoiceTranscript.maximumAlternatives, "too many alternatives taken")
    }

    static func runTwilioForm(_ body: Data) {
        guard let parameters = try? TwilioForm.parameters(in: body) else { return }
        _ = TwilioSignature.isValid(
            signature: parameters["X-Twilio-Signature"] ?? "", url: "https://shop.example/webhooks/voice/twilio",
            parameters: parameters, authToken: "fuzz-token")
        _ = try? TwilioSpeechResult(parameters: parameters)
        if let query = String(data: body, encoding: .utf8) { _ = try? TwilioForm.parameters(inQuery: query) }
    }
}
