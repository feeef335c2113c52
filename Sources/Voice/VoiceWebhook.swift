import Foundation
import RateLimits
import WebServer
import Wire

/// `POST /webhooks/voice`: one speech-to-text result of a call in the neutral JSON of
/// CONTRACT.md (`gw.voice.transcript/v1`), answered with `gw.voice.reply/v1`.
///
/// Checked in this order, and nothing is stored unless every step passes: the bearer token
/// (401), the content type (415), the body (400). A partial result is answered 204 and changes
/// nothing.
struct VoiceWebhook: Sendable {
    package static let path = "/webhooks/voice"

    package let calls: VoiceCalls
    package let authorization: BearerAuthorization
    package let metrics: VoiceMetrics
    /// POSTs by client address (shared by every webhook of the gateway); nil limits nothing.
    package var limit: RateLimiter?

    package func install(in router: inout Router) {
        router.post(Self.path, limitedBy: limit) { request in try await receive(request) }
    }

    package func receive(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            try authorization.check(request)
        } catch {
            metrics.rejected.increment("unauthorized")
            return .error(error)
        }
        if let type = request.contentType, type != "application/json" {
            metrics.rejected.increment("content_type")
            return .error(HTTPError(
                .unsupportedMediaType, code: "unsupported_media_type", message: "Voice transcripts must be application/json."))
        }
        let transcript: VoiceTranscript
        do {
            transcript = try VoiceTranscript.parse(request.body)
        } catch {
            metrics.rejected.increment("malformed")
            return .error(HTTPError(.badRequest, code: "malformed_payload", message: error.description))
        }
        guard transcript.isFinal else {
            metrics.turns.increment("partial")
            return .status(.noContent)
        }
        let turn = try await calls.answer(transcript, received: String(decoding: request.body, as: UTF8.self))
        return .json(turn.json)
    }
}
