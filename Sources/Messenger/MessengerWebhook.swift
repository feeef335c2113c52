import Commerce
import Cryptography
import Foundation
import RateLimits
import Storage
import Telemetry
import WebServer

/// `GET /webhooks/messenger` (verification) and `POST /webhooks/messenger` (events), as
/// CONTRACT.md and shared/protocols/messenger.md describe them.
///
/// A POST is checked in this order, and nothing is stored unless every step passes: the app
/// secret is configured, `X-Hub-Signature-256` is the HMAC-SHA256 of the raw body (compared in
/// constant time, before any parsing), the body is JSON, it is a webhook payload. Then every event
/// of every entry goes into the inbox in one transaction (redeliveries dropped there), and only
/// after that commit does Meta hear 200 `EVENT_RECEIVED`.
struct MessengerWebhook: Sendable {
    package static let path = "/webhooks/messenger"
    package static let signatureHeader = "x-hub-signature-256"

    package let settings: MessengerSettings
    package let database: DatabasePool
    package let metrics: MessengerWebhookMetrics
    /// Told when new events are in the inbox.
    package let accepted: @Sendable () -> Void
    /// POSTs by client address (shared by every webhook of the gateway); nil limits nothing.
    package var limit: RateLimiter?
    /// Events by sender within the batches; nil limits nothing.
    package var senderLimit: RateLimiter?

    package func install(in router: inout Router) {
        router.get(Self.path) { request in verify(request) }
        router.post(Self.path, limitedBy: limit) { request in try await receive(request) }
    }

    /// Echoes `hub.challenge` when the mode is `subscribe` and the verify token matches.
    package func verify(_ request: HTTPRequest) -> HTTPResponse {
        guard let expected = settings.verifyToken, request.query["hub.mode"] == "subscribe",
              let given = request.query["hub.verify_token"],
              ConstantTime.equals(Array(given.utf8), Array(expected.utf8)),
              let challenge = request.query["hub.challenge"]
        else {
            return .error(HTTPError(
                .forbidden, code: "verification_failed",
                message: "The verify token does not match (or ORDERBOT_MESSENGER_VERIFY_TOKEN is not set)."))
        }
        var response = HTTPResponse.text(challenge)
        response.headers.set("Content-Type", "text/plain; charset=utf-8")
        return response
    }

    package func receive(_ request: HTTPRequest) async throws -> HTTPResponse {
        if let refusal = refusal(of: request) { return .error(refusal) }
        let parsed: [MessengerEvent]
        do {
            parsed = try MessengerEventParser.events(in: request.body)
        } catch {
            metrics.rejected.increment("malformed")
            return .error(HTTPError(.badRequest, code: "malformed_payload", message: error.description))
        }
        let events = withinSenderLimits(parsed)
        if !events.isEmpty {
            let entries = events.map(\.inboxEntry)
            let fresh = try await database.write { db in try Inbox().accept(entries, channel: .messenger, in: db) }
            for (event, isNew) in zip(events, fresh) {
                metrics.events.increment(event.kind.rawValue, isNew ? "accepted" : "duplicate")
            }
            if fresh.contains(true) { accepted() }
        }
        return .text("EVENT_RECEIVED")
    }

    /// The events whose sender is within the limit; the others are counted and dropped. Echoes
    /// are the page's own replies, never limited.
    private func withinSenderLimits(_ events: [MessengerEvent]) -> [MessengerEvent] {
        guard let senderLimit else { return events }
        return events.filter { event in
            guard event.kind != .echo, !senderLimit.take(event.psid).isAllowed else { return true }
            metrics.events.increment(event.kind.rawValue, "limited")
            return false
        }
    }

    /// Why the request must be refused before its body is even parsed, or nil.
    private func refusal(of request: HTTPRequest) -> HTTPError? {
        guard let secret = settings.appSecret else {
            metrics.rejected.increment("not_configured")
            return HTTPError(
                .forbidden, code: "messenger_not_configured",
                message: "Messenger webhooks are refused until ORDERBOT_MESSENGER_APP_SECRET is set.")
        }
        guard let header = request.headers[Self.signatureHeader] else {
            metrics.rejected.increment("missing_signature")
            return HTTPError(.forbidden, code: "missing_signature", message: "X-Hub-Signature-256 is required.")
        }
        guard Self.isValid(signature: header, of: request.body, secret: secret) else {
            metrics.rejected.increment("invalid_signature")
            return HTTPError(
                .forbidden, code: "invalid_signature", message: "X-Hub-Signature-256 does not match the body.")
        }
        if let type = request.contentType, type != "application/json" {
            metrics.rejected.increment("content_type")
            return HTTPError(
                .unsupportedMediaType, code: "unsupported_media_type", message: "Webhook bodies must be application/json.")
        }
        return nil
    }

    /// Whether `header` (`sha256=<hex>`) is the HMAC-SHA256 of `body` under `secret`.
    package static func isValid(signature header: String, of body: Data, secret: String) -> Bool {
        HMACSHA256.isValid(header: header, key: Array(secret.utf8), message: Array(body))
    }
}

/// Counters of the webhook: events by kind and whether they were new, requests refused by reason.
struct MessengerWebhookMetrics: Sendable {
    package let events: Counter
    package let rejected: Counter

    package init(_ registry: MetricsRegistry) {
        events = registry.counter(
            "orderbot_messenger_events_total", help: "Messenger webhook events received, by kind and result (accepted, duplicate, limited)",
            labels: ["kind", "result"])
        rejected = registry.counter(
            "orderbot_messenger_webhook_rejected_total", help: "Messenger webhook POSTs refused, by reason", labels: ["reason"])
    }
}
