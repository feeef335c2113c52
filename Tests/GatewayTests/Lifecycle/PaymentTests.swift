import Commerce
import Cryptography
import Foundation
import Payments
import Testing
import TestSupport

/// Payments against a live gateway: the link in the confirmation, the provider's signed callbacks
/// (`POST /webhooks/payment`), and an abandoned unpaid order releasing its stock. The Send API is
/// a real HTTP stand-in.
@Suite(.serialized)
struct PaymentTests {
    static let secret = "payment-secret-0123456789"
    static let template = "https://pay.example.com/p/{order_number}?amount={amount}&currency={currency}"

    static func settings(remindAfter: TimeInterval = 3_600, releaseAfter: TimeInterval = 86_400) throws -> PaymentSettings {
        PaymentSettings(
            link: try PaymentLinkTemplate(template), secret: secret, remindAfter: remindAfter, releaseAfter: releaseAfter,
            sweepInterval: .milliseconds(100))
    }

    static func callback(
        _ fixture: TrustFixture, _ number: String, status: String = "paid", amount: String, currency: String = "PLN",
        provider: String = "pay_1", signedWith secret: String? = PaymentTests.secret
    ) async throws -> RawHTTPResponse {
        try await post(
            fixture, #"{"order_number":"\#(number)","status":"\#(status)","amount":"\#(amount)","currency":"\#(currency)","provider_id":"\#(provider)"}"#,
            signedWith: secret)
    }

    static func post(_ fixture: TrustFixture, _ json: String, signedWith secret: String? = PaymentTests.secret) async throws -> RawHTTPResponse {
        let body = Array(json.utf8)
        var headers = ["Content-Type": "application/json"]
        if let secret { headers["X-OrderBot-Signature"] = HMACSHA256.header(for: body, key: Array(secret.utf8)) }
        let client = fixture.client
        return try await blocking { [headers] in try client.post("/webhooks/payment", body: body, headers: headers) }
    }

    static func total(_ fixture: TrustFixture, _ number: String) async throws -> String {
        let minor = try await fixture.query("SELECT total_minor FROM orders WHERE number = '\(number)'") { $0.int(0) } ?? 0
        return String(format: "%d.%02d", minor / 100, minor % 100)
    }

    static func texts(_ graph: SendAPIStandIn) -> [String] {
        graph.delivered(to: TrustFixture.Orderer.psid).compactMap(\.text)
    }

    @Test func theRightAmountMarksTheOrderPaidAndTellsTheCustomerOnce() async throws {
        let graph = try SendAPIStandIn()
        let fixture = try await TrustFixture(sendAPI: graph, payments: try Self.settings())
        let number = try await fixture.placeOrdererOrder(paying: "BLIK")
        let total = try await Self.total(fixture, number)
        #expect(try await OrderStatusTests.settled(fixture))
        let before = Self.texts(graph).count
        let paid = try await Self.callback(fixture, number, amount: total)
        let repeated = try await Self.callback(fixture, number, amount: total)
        #expect(try await OrderStatusTests.settled(fixture))
        try await Task.sleep(for: .milliseconds(200))
        let after = Self.texts(graph)
        let order = try await fixture.api("/api/orders/\(number)")
        let confirmation = after.prefix(before).joined(separator: "\n")
        await fixture.stop()

        #expect(confirmation.contains("https://pay.example.com/p/\(number)?amount=\(total)&currency=PLN"), "\(confirmation)")
        #expect(paid.status == 200)
        #expect(OrderStatusTests.json(paid)["outcome"] as? String == "paid")
        #expect(OrderStatusTests.json(repeated)["repeated"] as? Bool == true)
        #expect(order["status"] as? String == "paid")
        #expect(order["payment_status"] as? String == "paid")
        let told = after.dropFirst(before)
        #expect(told.count == 1, "\(Array(told))")
        #expect(told.first?.contains("Płatność") == true && told.first?.contains("dotarła") == true)
    }

    /// A caller cannot click a link: the notifier sends it to the order's contact.
    @Test func aCallerGetsThePaymentLinkThroughTheNotifier() async throws {
        let notifier = try NotifierStandIn()
        let fixture = try await TrustFixture(notifier: notifier, payments: try Self.settings())
        let said = [
            "chcę zamówić Urban Walk rozmiar 42 czarne", "jedna para", "nie", "paczkomat", "GDA02B", "Kamil Wrzos", "BLIK", "tak",
        ]
        let client = fixture.client
        var replies: [String] = []
        for (index, text) in said.enumerated() {
            let call = #"{"schema":"gw.voice.transcript/v1","call_id":"call-kamil","from":"+48600123456","to":"+48221234567","seq":\#(index + 1),"is_final":true,"language":"pl-PL","alternatives":[{"transcript":"\#(text)","confidence":0.93}]}"#
            let response = try await blocking {
                try client.post("/webhooks/voice", body: Array(call.utf8), headers: [
                    "Content-Type": "application/json", "Authorization": "Bearer \(TrustFixture.voiceToken)",
                ])
            }
            let actions = response.json?["actions"] as? [[String: Any]] ?? []
            replies.append(actions.compactMap { $0["text"] as? String }.joined(separator: " "))
        }
        let number = try await fixture.query("SELECT number FROM orders") { $0.string(0) }
        let arrived = try await blocking { notifier.waitUntil(timeout: 10) { !notifier.delivered.isEmpty } }
        await fixture.stop()

        let placed = try #require(number, "no order; the call: \(replies)")
        #expect(arrived)
        let sent = notifier.delivered.first?.json
        #expect(sent?["kind"] as? String == "order_update")
        #expect((sent?["to"] as? [String: String])?["phone"] == "+48600123456")
        #expect((sent?["text"] as? String)?.contains("https://pay.example.com/p/\(placed)?amount=") == true)
        #expect(replies.last?.contains("Link do płatności wyślemy w wiadomości") == true, "\(replies.last ?? "")")
    }

    @Test func aWrongAmountOrCurrencyLeavesTheOrderUnpaidAndCallsAPerson() async throws {
        let fixture = try await TrustFixture(payments: try Self.settings())
        let number = try await fixture.placeOrdererOrder(paying: "przelew")
        let total = try await Self.total(fixture, number)
        let short = try await Self.callback(fixture, number, amount: "1.00", provider: "pay_short")
        let euros = try await Self.callback(fixture, number, amount: total, currency: "EUR", provider: "pay_eur")
        let order = try await fixture.api("/api/orders/\(number)")
        let escalations = try await fixture.count("SELECT count(*) FROM escalations WHERE reason = 'payment_problem' AND status = 'open'")
        let summary = try await fixture.query("SELECT summary FROM escalations WHERE reason = 'payment_problem'") { $0.string(0) }
        await fixture.stop()

        #expect(short.status == 200 && euros.status == 200)
        #expect(OrderStatusTests.json(short)["outcome"] as? String == "mismatch")
        #expect(OrderStatusTests.json(euros)["outcome"] as? String == "mismatch")
        #expect(order["status"] as? String == "new")
        #expect(order["payment_status"] as? String == "unpaid")
        #expect(escalations == 1, "one open escalation for the order's conversation")
        #expect(summary?.contains(number) == true)
    }

    /// Providers differ: an amount as a JSON number and a lower-case currency are read as meant;
    /// an amount with a third decimal is no amount.
    @Test func anAmountSentAsANumberIsRead() async throws {
        let fixture = try await TrustFixture(payments: try Self.settings())
        let number = try await fixture.placeOrdererOrder(paying: "BLIK")
        let total = try await Self.total(fixture, number)
        let odd = try await Self.post(fixture, #"{"order_number":"\#(number)","status":"paid","amount":\#(total)1,"currency":"pln","provider_id":"p0"}"#)
        let paid = try await Self.post(fixture, #"{"order_number":"\#(number)","status":"paid","amount":\#(total),"currency":"pln","provider_id":"p1"}"#)
        await fixture.stop()
        #expect(odd.status == 400)
        #expect(OrderStatusTests.json(paid)["outcome"] as? String == "paid")
    }

    @Test func aBadSignatureOrBodyChangesNothing() async throws {
        let fixture = try await TrustFixture(payments: try Self.settings())
        let number = try await fixture.placeOrdererOrder(paying: "BLIK")
        let total = try await Self.total(fixture, number)
        let forged = try await Self.callback(fixture, number, amount: total, signedWith: "not-the-secret")
        let unsigned = try await Self.callback(fixture, number, amount: total, signedWith: nil)
        let unknown = try await Self.callback(fixture, "100008", amount: total)
        let malformed = try await Self.callback(fixture, number, amount: "dużo")
        let status = try await Self.callback(fixture, number, status: "maybe", amount: total)
        let payments = try await fixture.count("SELECT count(*) FROM payment_callbacks")
        let paid = try await fixture.count("SELECT count(*) FROM orders WHERE payment_status != 'unpaid' OR status != 'new'")
        await fixture.stop()

        #expect(forged.status == 403 && unsigned.status == 403)
        #expect(unknown.status == 404)
        #expect(malformed.status == 400 && status.status == 400)
        #expect(payments == 0 && paid == 0)
    }

    @Test func anAbandonedUnpaidOrderRemindsOnceThenReleasesItsStock() async throws {
        let graph = try SendAPIStandIn()
        let fixture = try await TrustFixture(sendAPI: graph, payments: try Self.settings(remindAfter: 0.5, releaseAfter: 2))
        let stock = "SELECT stock FROM variants WHERE sku = (SELECT sku FROM order_lines ORDER BY rowid DESC LIMIT 1)"
        let number = try await fixture.placeOrdererOrder(paying: "BLIK")
        let held = try await fixture.query(stock) { $0.int(0) }
        let database = fixture.gateway.database
        let released = try await blocking {
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                let status = try database.read { db in
                    try db.queryFirst("SELECT status FROM orders WHERE number = ?", number) { $0.string(0) }
                }
                if status == "cancelled" { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }
        #expect(try await OrderStatusTests.settled(fixture))
        let after = try await fixture.query(stock) { $0.int(0) }
        let sku = try await fixture.query("SELECT sku FROM order_lines ORDER BY rowid DESC LIMIT 1") { $0.string(0) } ?? ""
        let seenByConversations = fixture.gateway.engine.catalogSnapshot.variant(sku: sku)?.stock
        let texts = Self.texts(graph)
        let metrics = fixture.gateway.metrics.render()
        await fixture.stop()

        #expect(released)
        #expect(after.map { $0 - 1 } == held, "the reserved pair is back on sale")
        #expect(seenByConversations == after, "and the conversations' copy of the catalog says so")
        #expect(texts.filter { $0.contains("czeka na płatność") }.count == 1, "reminded once: \(texts)")
        #expect(texts.filter { $0.contains("nie dotarła za nie płatność") }.count == 1)
        #expect(metrics.contains("orderbot_unpaid_orders_released_total 1"))
    }
}
