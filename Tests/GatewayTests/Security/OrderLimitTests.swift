import Commerce
import Foundation
import RateLimits
import Testing

/// A customer over the order limit (each order holds stock and takes a number) gets no new order
/// and is told when to try again and where people answer; the first order stands.
@Suite(.serialized)
struct OrderLimitTests {
    @Test func aCustomerOverTheOrderLimitGetsNoNewOrder() async throws {
        var limits = RateLimitSettings()
        limits.set(RateLimitSettings.order, to: RateLimit(perSecond: 1.0 / 3_600, burst: 1))
        // Two orders' messages in a second or two: faster than anyone types, not what is tested here.
        limits.set(RateLimitSettings.messengerSender, to: RateLimit(perSecond: 100, burst: 100))
        let fixture = try await TrustFixture(rateLimits: limits)
        _ = try await fixture.placeOrdererOrder()
        let orders = { try await fixture.query("SELECT count(*) FROM orders") { $0.int(0) } ?? -1 }
        #expect(try await orders() == 1)

        for (index, text) in TrustFixture.Orderer.messages.enumerated() {
            try await fixture.messenger(TrustFixture.Orderer.psid, text, at: 1_718_030_000_000 + Int64(index) * 10)
        }
        let transcript = try await fixture.transcript(ofMessenger: TrustFixture.Orderer.psid)
        let metrics = fixture.gateway.metrics.render()
        let after = try await orders()
        await fixture.stop()
        #expect(after == 1)
        #expect(transcript.last?.contains("Złożono już kilka zamówień w krótkim czasie") == true, "\(transcript.suffix(2))")
        #expect(metrics.contains(#"orderbot_rate_limited_total{limit="order"} 1"#))
    }

    /// The same customer once they proved their phone with a one-time code (here linked as
    /// verified, as the code check does): a known person, not held back.
    @Test func aVerifiedCustomerIsNotHeldBack() async throws {
        var limits = RateLimitSettings()
        limits.set(RateLimitSettings.order, to: RateLimit(perSecond: 1.0 / 3_600, burst: 1))
        // Two orders' messages in a second or two: faster than anyone types, not what is tested here.
        limits.set(RateLimitSettings.messengerSender, to: RateLimit(perSecond: 100, burst: 100))
        let fixture = try await TrustFixture(rateLimits: limits)
        _ = try await fixture.placeOrdererOrder()
        try await fixture.gateway.database.write { @Sendable db in
            let customer = try Customers().customerID(for: Identity(.messenger, TrustFixture.Orderer.psid), in: db)!
            try Customers().link(Identity(.phone, TrustFixture.Orderer.phoneE164), to: customer, trust: .verified, in: db)
        }
        for (index, text) in TrustFixture.Orderer.messages.enumerated() {
            try await fixture.messenger(TrustFixture.Orderer.psid, text, at: 1_718_030_000_000 + Int64(index) * 10)
        }
        let after = try await fixture.query("SELECT count(*) FROM orders") { $0.int(0) }
        let metrics = fixture.gateway.metrics.render()
        await fixture.stop()
        #expect(after == 2)
        #expect(!metrics.contains(#"orderbot_rate_limited_total{limit="order"}"#))
    }
}
