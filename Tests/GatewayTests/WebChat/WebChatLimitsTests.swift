import Foundation
import RateLimits
import Testing
import TestSupport

/// The web chat's rate limits on a live server: one address flooding hellos is limited while
/// another chats normally, and a socket that keeps going over its limit is closed.
@Suite(.serialized)
struct WebChatLimitsTests {
    /// 500 hellos as fast as one client can send them from 127.0.0.1 (a new socket each, as a
    /// script creating customers would): the burst of 30 and the refill of 1 a second get a
    /// session, the rest `error{rate_limited}`. A page on 127.0.0.2 meanwhile says hello and
    /// chats as if nothing happened.
    @Test func aFloodOfHellosIsLimitedWhileAnotherClientChats() async throws {
        let fixture = try await WebChatFixture(limits: RateLimitSettings())
        let port = fixture.port
        async let flooded = blocking { () -> (welcomed: Int, limited: Int, seconds: Double) in
            let started = Date()
            var counts = (welcomed: 0, limited: 0)
            for _ in 0..<500 {
                let page = try ChatClient(port: port)
                try page.send(["type": "hello", "language": "pl"])
                let answer = try page.next(ofTypes: ["welcome", "error"])
                if answer["type"] as? String == "welcome" { counts.welcomed += 1 }
                if answer["code"] as? String == "rate_limited" { counts.limited += 1 }
                try page.close()
            }
            return (counts.welcomed, counts.limited, Date().timeIntervalSince(started))
        }
        let other = try fixture.page(from: "127.0.0.2")
        let chatted = try await blocking { () -> (session: String, acks: Int) in
            Thread.sleep(forTimeInterval: 0.3)  // the flood is under way
            let (session, _) = try other.hello()
            for index in 0..<5 { try other.say("gdzie jest moja paczka", id: "other-\(index)") }
            return (session, other.types.filter { $0 == "ack" }.count)
        }
        let flood = try await flooded
        let limitedMetric = try await blocking { fixture.metrics.render() }
        await fixture.stop()

        #expect(flood.welcomed + flood.limited == 500)
        #expect(flood.welcomed >= 30)
        #expect(Double(flood.welcomed) <= 30 + flood.seconds + 1, "at most the burst and one a second")
        #expect(flood.limited >= 400)
        #expect(!chatted.session.isEmpty)
        #expect(chatted.acks == 5)
        #expect(!other.types.contains("error"))
        #expect(limitedMetric.contains(#"orderbot_rate_limited_total{limit="chat_hello"} \#(flood.limited)"#))
    }

    /// A socket that sends far faster than a person types gets `error{rate_limited}` for what is
    /// over its session's limit, and is closed with 1008 after 20 such frames in a row.
    @Test func aSocketThatKeepsGoingOverItsLimitIsClosed() async throws {
        var limits = RateLimitSettings()
        limits.set(RateLimitSettings.chatSessionMessage, to: RateLimit(perSecond: 0.1, burst: 3))
        let fixture = try await WebChatFixture(limits: limits)
        let page = try fixture.page()
        let result = try await blocking { () -> (acks: Int, limited: Int, close: UInt16?) in
            _ = try page.hello()
            for index in 0..<40 {
                try page.send(["type": "message", "client_id": "fast-\(index)", "text": "halo"])
            }
            page.readUntilClosed()
            let errors = page.received.filter { $0["type"] as? String == "error" }
            return (page.types.filter { $0 == "ack" }.count, errors.filter { $0["code"] as? String == "rate_limited" }.count,
                    page.closeCode)
        }
        await fixture.stop()
        #expect(result.acks == 3)
        #expect(result.limited == 20)
        #expect(result.close == 1008)
    }
}
