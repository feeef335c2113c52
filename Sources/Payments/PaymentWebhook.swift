import Commerce
import Cryptography
import Foundation
import RateLimits
import ShopValues
import Storage
import Telemetry
import WebServer
import Wire

/// `POST /webhooks/payment`: the payment provider says an order was paid, failed or refunded
/// (CONTRACT.md, "Order lifecycle"). Checked in this order, nothing changing unless every step
/// passes: the signature (403), the content type (415), the body (400), the order (404). Then
/// `PaymentCallbacks` acts on it once per provider id and status; the answer says what it did.
package struct PaymentWebhook: Sendable {
    package static let path = "/webhooks/payment"
    package static let signatureHeader = "x-orderbot-signature"

    let database: DatabasePool
    let callbacks: PaymentCallbacks
    let secret: String
    let metrics: PaymentMetrics
    /// POSTs by client address (shared by every webhook of the gateway); nil limits nothing.
    let limit: RateLimiter?
    /// After the commit: a notice to carry, an escalation for the queue, an order event to send.
    let committed: @Sendable (PaymentResult) -> Void

    package init(
        database: DatabasePool, callbacks: PaymentCallbacks, secret: String, metrics: PaymentMetrics,
        limit: RateLimiter?, committed: @escaping @Sendable (PaymentResult) -> Void
    ) {
        self.database = database
        self.callbacks = callbacks
        self.secret = secret
        self.metrics = metrics
        self.limit = limit
        self.committed = committed
    }

    package func install(in router: inout Router) {
        router.post(Self.path, limitedBy: limit) { request in try await receive(request) }
    }

    func receive(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let header = request.headers[Self.signatureHeader],
              HMACSHA256.isValid(header: header, key: Array(secret.utf8), message: Array(request.body))
        else {
            metrics.refused("signature")
            throw HTTPError(.forbidden, code: "invalid_signature", message: "X-OrderBot-Signature does not sign this body.")
        }
        guard request.contentType == "application/json" else {
            metrics.refused("content_type")
            throw HTTPError(.unsupportedMediaType, code: "unsupported_media_type", message: "Payment callbacks are application/json.")
        }
        let callback: PaymentCallback
        do {
            callback = try Self.callback(from: request.body)
        } catch {
            metrics.refused("malformed")
            throw error
        }
        let result: PaymentResult
        do {
            result = try await database.write { [callbacks] db in try callbacks.receive(callback, in: db) }
        } catch CommerceError.unknownOrder {
            metrics.refused("unknown_order")
            throw HTTPError(.notFound, code: "not_found", message: "There is no such order.")
        }
        metrics.received(result.repeated ? "repeated" : result.outcome.rawValue)
        if !result.repeated { committed(result) }
        return try .json(encoding: Answer(
            orderNumber: callback.orderNumber.digits, outcome: result.outcome.rawValue, repeated: result.repeated,
            escalationId: result.escalation?.id))
    }

    /// `{"order_number":"…","status":"paid"|"failed"|"refunded","amount":"349.00","currency":"PLN","provider_id":"…"}`.
    static func callback(from body: Data) throws(HTTPError) -> PaymentCallback {
        let json = try JSONBody(body, fields: ["order_number", "status", "amount", "currency", "provider_id"])
        guard let number = OrderNumber(try json.text("order_number", maximum: 20)) else {
            throw HTTPError(.notFound, code: "not_found", message: "There is no such order.")
        }
        guard let status = PaymentCallback.Status(rawValue: try json.text("status", maximum: 20)) else {
            throw HTTPError(.badRequest, code: "invalid_field", message: "status must be paid, failed or refunded.")
        }
        let code = try json.text("currency", maximum: 3).uppercased()
        guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw HTTPError(.badRequest, code: "invalid_field", message: "currency must be an ISO 4217 code such as PLN.")
        }
        // A provider that sends the amount as a JSON number (349.5) is read as its decimal text.
        let amountText: String
        if let number = json.optionalNumberText("amount") {
            amountText = number
        } else {
            amountText = try json.text("amount", maximum: 20)
        }
        guard let amount = Money(decimal: amountText, currency: code), amount.minorUnits >= 0 else {
            throw HTTPError(.badRequest, code: "invalid_field", message: "amount must be a decimal such as \"349.00\".")
        }
        return PaymentCallback(
            orderNumber: number, status: status, amount: amount, providerID: try json.text("provider_id", maximum: 200))
    }

    private struct Answer: Encodable {
        let orderNumber: String
        let outcome: String
        let repeated: Bool
        let escalationId: Int64?

        enum CodingKeys: String, CodingKey {
            case orderNumber = "order_number", outcome, repeated, escalationId = "escalation_id"
        }
    }
}

/// Payment callbacks by outcome and refusals by reason; orders reminded and released unpaid.
package struct PaymentMetrics: Sendable {
    private let callbacks: Counter
    private let refusals: Counter
    let reminders: Counter
    let releases: Counter

    package init(_ registry: MetricsRegistry) {
        callbacks = registry.counter(
            "orderbot_payment_callbacks_total", help: "Payment callbacks taken, by outcome.", labels: ["outcome"])
        refusals = registry.counter(
            "orderbot_payment_callbacks_refused_total", help: "Payment callbacks refused, by reason.", labels: ["reason"])
        reminders = registry.counter("orderbot_unpaid_orders_reminded_total", help: "Customers reminded to pay an order.")
        releases = registry.counter(
            "orderbot_unpaid_orders_released_total", help: "Unpaid online orders cancelled and their stock released.")
    }

    func received(_ outcome: String) { callbacks.increment(outcome) }

    func refused(_ reason: String) { refusals.increment(reason) }
}
