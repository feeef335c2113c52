import Commerce
import Cryptography
import Foundation
import RateLimits
import Storage
import WebServer

/// `POST /webhooks/voice/twilio`: Twilio's `<Gather input="speech">` callbacks, form-encoded,
/// answered with TwiML.
///
/// - The call's first request (the number's voice URL: no speech, no `turn`) is greeted and
///   listened to; nothing is stored until the caller speaks.
/// - A final result (`SpeechResult`, `Confidence`) goes through the same turn as the neutral
///   endpoint; the next `<Gather>` posts back with `?turn=N`, Twilio's callbacks carrying no
///   turn number of their own. Without `turn`, a repeat of the same body is the same turn.
/// - A partial result (`partialResultCallback`) is answered 204: Twilio ignores the body.
/// - The `<Gather>` posts to the public URL when one is configured, else relative to the
///   current one (`?turn=N`), so a path prefix in front of the gateway does not matter.
///
/// Every callback must carry `X-Twilio-Signature`, the signature of the public URL and the
/// parameters under `ORDERBOT_TWILIO_AUTH_TOKEN` (403 otherwise), checked before anything is
/// stored. Without the token every callback is refused (403 `twilio_not_configured`): an
/// unauthenticated caller could otherwise speak as any phone number.
package struct TwilioWebhook: Sendable {
    package static let path = "/webhooks/voice/twilio"
    package static let signatureHeader = "x-twilio-signature"
    static let forwardedProtoHeader = "x-forwarded-proto"
    static let turnParameter = "turn"

    package let calls: VoiceCalls
    package let settings: VoiceSettings
    let metrics: VoiceMetrics
    /// POSTs by client address (shared by every webhook of the gateway); nil limits nothing.
    var limit: RateLimiter?

    package func install(in router: inout Router) {
        router.post(Self.path, limitedBy: limit) { request in try await receive(request) }
    }

    package func receive(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let token = settings.twilioSigningToken else {
            return refuse("not_configured", HTTPError(
                .forbidden, code: "twilio_not_configured",
                message: "Twilio callbacks are refused until ORDERBOT_TWILIO_AUTH_TOKEN is set."))
        }
        if let type = request.contentType, type != "application/x-www-form-urlencoded" {
            return refuse("content_type", HTTPError(
                .unsupportedMediaType, code: "unsupported_media_type",
                message: "Twilio callbacks must be application/x-www-form-urlencoded."))
        }
        guard let signature = request.headers[Self.signatureHeader] else {
            return refuse("missing_signature", HTTPError(.forbidden, code: "missing_signature", message: "X-Twilio-Signature is required."))
        }
        let parameters: [String: String]
        do {
            parameters = try TwilioForm.parameters(in: request.body)
        } catch {
            return refuse("malformed", HTTPError(.badRequest, code: "malformed_payload", message: error.description))
        }
        if !TwilioSignature.isValid(signature: signature, url: signedURL(of: request), parameters: parameters, authToken: token) {
            return refuse("invalid_signature", HTTPError(
                .forbidden, code: "invalid_signature", message: "X-Twilio-Signature does not match the URL and parameters."))
        }
        let result: TwilioSpeechResult
        let turn: Int?
        do {
            result = try TwilioSpeechResult(parameters: parameters)
        } catch {
            return refuse("malformed", HTTPError(.badRequest, code: "malformed_payload", message: error.description))
        }
        do {
            turn = try request.query[Self.turnParameter].map(Self.turnNumber)
        } catch {
            return refuse("malformed", HTTPError(.badRequest, code: "malformed_payload", message: error.description))
        }
        guard case .final(let utterance) = result.kind else {
            metrics.turns.increment("partial")
            return .status(.noContent)
        }
        if turn == nil, utterance.isEmpty { return twiml(greeting(result), nextTurn: 1) }
        let seq = if let turn { turn } else { try await nextTurn(of: result.callSID) }
        let transcript = Self.transcript(of: result, utterance, seq: seq)
        let key = turn.map { VoiceCalls.key(callID: result.callSID, seq: $0) }
            ?? "\(result.callSID)#body-" + Hex.encode(Array(SHA256Digest.hash(Array(request.body)).prefix(12)))
        let reply = try await calls.answer(transcript, key: key, received: String(decoding: request.body, as: UTF8.self)).reply
        return twiml(reply, nextTurn: reply.inReplyToSeq + 1)
    }

    /// A final Twilio result as the neutral transcript of turn `seq`.
    package static func transcript(of result: TwilioSpeechResult, _ utterance: TwilioSpeechResult.Utterance, seq: Int) -> VoiceTranscript {
        VoiceTranscript(
            callID: result.callSID, from: result.from ?? "", to: result.to, seq: seq, language: result.language,
            alternatives: utterance.transcript.map { [SpeechAlternative(transcript: $0, confidence: utterance.confidence)] } ?? [],
            provider: "twilio", providerCallID: result.callSID, dtmf: utterance.digits,
            endReason: utterance.isEmpty ? "no_input" : nil)
    }

    /// The TwiML of `reply`, its `<Gather>` posting back as turn `nextTurn`.
    package static func document(_ reply: VoiceReply, nextTurn: Int, settings: VoiceSettings) -> String {
        TwiML.document(
            for: reply, gatherAction: (settings.twilioWebhookURL ?? "") + "?\(turnParameter)=\(nextTurn)",
            voice: settings.twilioVoice)
    }

    private func refuse(_ reason: String, _ error: HTTPError) -> HTTPResponse {
        metrics.rejected.increment(reason)
        return .error(error)
    }

    private static func turnNumber(_ text: String) throws(VoiceRequestError) -> Int {
        guard let number = Int(text), number >= 0 else { throw .invalid(field: "turn", reason: "must be a whole number") }
        return number
    }

    /// The turn after the call's last one, for a callback that does not say (the shop's own
    /// `<Gather>` without our `turn`).
    private func nextTurn(of callSID: String) async throws -> Int {
        let prefix = callSID + "#"
        let turns = try await calls.engine.database.read { db in
            try Inbox().count(channel: .voice, dedupKeyPrefix: prefix, in: db)
        }
        return turns + 1
    }

    /// The first words of a call: a greeting in the line's language (Polish unless it says).
    private func greeting(_ result: TwilioSpeechResult) -> VoiceReply {
        let english = result.language?.lowercased().hasPrefix("en") == true
        let say = VoiceAction.Say(
            text: english ? "Hello! How can I help you?" : "Dzień dobry! W czym mogę pomóc?", ssml: nil,
            language: english ? "en-US" : "pl-PL", bargeIn: true)
        let listen = VoiceAction.Listen(hints: [], language: say.language)
        return VoiceReply(callID: result.callSID, inReplyToSeq: 0, actions: [.say(say), .listen(listen)])
    }

    private func twiml(_ reply: VoiceReply, nextTurn: Int) -> HTTPResponse {
        let document = Self.document(reply, nextTurn: nextTurn, settings: settings)
        var response = HTTPResponse.text(document)
        response.headers.set("Content-Type", "text/xml; charset=utf-8")
        return response
    }

    /// The URL Twilio signed: the configured public URL (or this request's, rebuilt from `Host`
    /// and `X-Forwarded-Proto`) with the request's query.
    func signedURL(of request: HTTPRequest) -> String {
        let base = settings.twilioWebhookURL ?? {
            let scheme = request.headers[Self.forwardedProtoHeader] ?? "http"
            return "\(scheme)://\(request.headers["host"] ?? "localhost")\(request.path)"
        }()
        guard !request.query.isEmpty else { return base }
        let query = request.query.map { Self.percentEncoded($0.name) + "=" + Self.percentEncoded($0.value) }
        return base + "?" + query.joined(separator: "&")
    }

    private static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
