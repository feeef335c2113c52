import Commerce
import Foundation
import OrderWebhook
import Testing
import Glibc
import TestSupport

/// Order events out to the shop's ERP (a stand-in: a real HTTP server): an order placed over
/// Messenger reaches it as one signed `order.created`, also when it refuses the first five tries;
/// a cancellation follows it, never before.
@Suite(.serialized)
struct OrderEventsTests {
    static let secret = "erp-secret-0123456789"

    @Test func anOrderReachesTheERPOnceSignedAndInOrderThoughItFailsFiveTimes() async throws {
        let erp = try NotifierStandIn(path: "/orders/events", failingFirst: 5)
        let fixture = try await TrustFixture(
            orderWebhook: OrderWebhookSettings(url: erp.url, secret: Self.secret, firstRetry: .milliseconds(40)))
        let number = try await fixture.placeOrdererOrder()
        let created = try await blocking { erp.waitUntil(timeout: 30) { !erp.delivered.isEmpty } }
        try await fixture.messenger(TrustFixture.Orderer.psid, "chcę anulować zamówienie \(number)", at: 1_718_020_100_000)
        try await fixture.messenger(TrustFixture.Orderer.psid, "tak", at: 1_718_020_100_010)
        let cancelled = try await blocking { erp.waitUntil(timeout: 30) { erp.delivered.count >= 2 } }
        // The stand-in counts a delivery as it answers; the worker, once it has recorded it.
        let registry = fixture.gateway.metrics
        let deadline = Date().addingTimeInterval(10)
        func settled(_ text: String) -> Bool {
            text.contains(#"orderbot_order_events_total{outcome="delivered"} 2"#) && text.contains("orderbot_order_events_pending 0")
        }
        while !settled(registry.render()), Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let metrics = registry.render()
        await fixture.stop()

        #expect(created && cancelled)
        let tries = erp.received
        #expect(tries.count == 7, "five refused tries, then order.created, then order.cancelled")
        #expect(tries.allSatisfy { NotifierStandIn.isSigned($0, secret: Self.secret) })
        #expect(Set(tries.prefix(6).compactMap(\.id)).count == 1, "the refused tries are the same event, sent again")
        let delivered = erp.delivered.map(\.json)
        #expect(delivered.map { $0["event"] as? String } == ["order.created", "order.cancelled"])
        #expect(delivered.allSatisfy { ($0["order"] as? [String: Any])?["number"] as? String == number })
        #expect(delivered.allSatisfy { ($0["id"] as? String)?.hasPrefix("evt_") == true && $0["occurred_at"] is String })
        #expect(metrics.contains(#"orderbot_order_events_total{outcome="delivered"} 2"#))
        #expect(metrics.contains(#"orderbot_order_events_total{outcome="retry"} 5"#))
        #expect(settled(metrics), "both delivered, none waiting")
    }
}

extension OrderEventsTests {
    /// A complaint filed in a conversation about a shipped order: `complaint.opened` follows the
    /// order's earlier events, with the escalation for a person.
    @Test func aComplaintReachesTheERPAfterTheOrdersEarlierEvents() async throws {
        let erp = try NotifierStandIn(path: "/orders/events")
        let fixture = try await TrustFixture(
            orderWebhook: OrderWebhookSettings(url: erp.url, secret: Self.secret, firstRetry: .milliseconds(40)))
        let number = try await fixture.placeOrdererOrder()
        let facts = ShopFacts.demo()
        try await fixture.gateway.database.write { @Sendable db in
            _ = try Orders(facts: facts).move(OrderNumber(number)!, to: .shipped, in: db)
        }
        try await fixture.messenger(TrustFixture.Orderer.psid, "dzień dobry, chciałbym złożyć reklamację", at: 1_718_020_200_000)
        try await fixture.messenger(
            TrustFixture.Orderer.psid, "buty przyszły z rozklejoną podeszwą, proszę o wymianę", at: 1_718_020_200_010)
        let arrived = try await blocking { erp.waitUntil(timeout: 30) { erp.delivered.count >= 3 } }
        let escalations = try await fixture.count("SELECT count(*) FROM escalations WHERE reason = 'complaint'")
        await fixture.stop()
        #expect(arrived)
        #expect(erp.delivered.map { $0.json["event"] as? String } == ["order.created", "order.changed", "complaint.opened"])
        #expect(escalations == 1)
    }
}

/// The same through `orderbot serve` killed with SIGKILL while the ERP is refusing the event:
/// the event is in the file with the order, and the restarted server delivers it, once.
@Suite(.serialized)
struct OrderEventsAfterACrashTests {
    @Test func anEventRefusedBeforeAKillIsDeliveredOnceAfterTheRestart() async throws {
        let directory = TemporaryDirectory()
        let database = directory.path("crash.sqlite")
        let erp = try NotifierStandIn(path: "/orders/events", failingFirst: 2)
        let environment = [
            "ORDERBOT_MESSENGER_APP_SECRET": MessengerFixture.appSecret, "ORDERBOT_ORDER_WEBHOOK_URL": erp.url.absoluteString,
            "ORDERBOT_ORDER_WEBHOOK_SECRET": OrderEventsTests.secret,
        ]
        let (refusedBeforeKill, delivered) = try await blocking { () -> (Int, Bool) in
            let first = try ServerProcess(["serve", "--port", "0", "--db", database], environment: environment)
            let client = HTTPTestClient(port: try first.waitForPort())
            for (index, text) in TrustFixture.Orderer.messages.enumerated() {
                let body = MessengerEndToEndTests.batch(
                    [(psid: TrustFixture.Orderer.psid, text: text)], firstTimestamp: 1_718_050_000_000 + Int64(index) * 10)
                _ = try client.post(
                    "/webhooks/messenger", body: body,
                    headers: ["Content-Type": "application/json", "X-Hub-Signature-256": MessengerFixture.signature(body)])
            }
            guard erp.waitUntil(timeout: 30, { !erp.received.isEmpty }) else { return (0, false) }
            first.send(signal: SIGKILL)
            _ = first.waitForExit()
            let refused = erp.received.count
            let second = try ServerProcess(["serve", "--port", "0", "--db", database], environment: environment)
            defer {
                second.send(signal: SIGTERM)
                _ = second.waitForExit()
            }
            _ = try second.waitForPort()
            let delivered = erp.waitUntil(timeout: 30) { !erp.delivered.isEmpty }
            Thread.sleep(forTimeInterval: 2)  // time for a second delivery, were there one
            return (refused, delivered)
        }
        await erp.stop()
        #expect(refusedBeforeKill >= 1)
        #expect(delivered)
        #expect(erp.delivered.count == 1)
        #expect(erp.delivered.first?.json["event"] as? String == "order.created")
        #expect(Set(erp.received.compactMap(\.id)).count == 1, "every try was the same event")
        #expect(erp.received.allSatisfy { NotifierStandIn.isSigned($0, secret: OrderEventsTests.secret) })
    }
}
