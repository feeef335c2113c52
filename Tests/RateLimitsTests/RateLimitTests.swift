import Synchronization
import Testing
@testable import RateLimits

/// A clock the test moves by hand.
private final class ManualClock: Sendable {
    private let seconds = Mutex(1_000.0)
    var now: Double { seconds.withLock { $0 } }
    func advance(_ by: Double) { seconds.withLock { $0 += by } }
}

struct RateLimitTests {
    @Test func writtenLimitsAreRead() {
        #expect(RateLimit("2/s:30") == RateLimit(perSecond: 2, burst: 30))
        #expect(RateLimit("600/min") == RateLimit(perSecond: 10, burst: 10))
        #expect(RateLimit("5/h") == RateLimit(perSecond: 5.0 / 3_600, burst: 1))
        #expect(RateLimit(" 3 / min : 4 ") == RateLimit(perSecond: 0.05, burst: 4))
        for bad in ["", "2", "2/s:", "2/day", "0/s", "-1/s", "x/s", "2/s:0", "2/s:1.5", "inf/s", "nan/s", "2/s:3:4"] {
            #expect(RateLimit(bad) == nil, "\(bad)")
        }
        #expect(RateLimit("2/s:30")?.description == "2/s:30")
        #expect(RateLimit("30/min:5")?.description == "30/min:5")
    }

    @Test func aBucketAllowsItsBurstThenItsRate() {
        var bucket = TokenBucket(RateLimit(perSecond: 2, burst: 3), now: 0)
        #expect((0..<3).map { _ in bucket.take(at: 0) } == [.allowed, .allowed, .allowed])
        #expect(bucket.take(at: 0) == .limited(retryAfter: 0.5))
        #expect(bucket.take(at: 0.25) == .limited(retryAfter: 0.25))
        #expect(bucket.take(at: 0.5) == .allowed)
        #expect(bucket.take(at: 0.5).retryAfterSeconds == 1)
        #expect(bucket.isFull(at: 2) == true)
        #expect(bucket.isFull(at: 1) == false)
        // Time never fills it beyond its burst.
        #expect((0..<4).map { _ in bucket.take(at: 100) } == [.allowed, .allowed, .allowed, .limited(retryAfter: 0.5)])
    }

    @Test func keysHaveBucketsOfTheirOwn() {
        let clock = ManualClock()
        let limiter = RateLimiter(name: "test", limit: RateLimit(perSecond: 1, burst: 2), clock: { clock.now })
        #expect(limiter.take("127.0.0.1").isAllowed)
        #expect(limiter.take("127.0.0.1").isAllowed)
        #expect(!limiter.take("127.0.0.1").isAllowed)
        #expect(limiter.take("127.0.0.2").isAllowed)
        #expect(!limiter.check("127.0.0.1").isAllowed)
        #expect(limiter.check("127.0.0.2").isAllowed)
        #expect(limiter.check("127.0.0.2").isAllowed, "checking takes nothing")
        clock.advance(1)
        #expect(limiter.take("127.0.0.1").isAllowed)
    }

    /// A flood of new keys cannot grow memory: beyond `maxKeys` they share one bucket until old
    /// ones have refilled and can be forgotten.
    @Test func manyKeysShareOneBucketBeyondTheBound() {
        let clock = ManualClock()
        let limiter = RateLimiter(name: "test", limit: RateLimit(perSecond: 1, burst: 2), maxKeys: 100, clock: { clock.now })
        for index in 0..<100 { #expect(limiter.take("10.0.0.\(index)").isAllowed) }
        #expect(limiter.trackedKeys == 100)
        let fresh = (0..<10).map { limiter.take("10.1.0.\($0)") }
        #expect(fresh.filter(\.isAllowed).count == 2, "the overflow bucket's burst, shared")
        #expect(limiter.trackedKeys == 100)
        clock.advance(5)
        #expect(limiter.take("10.2.0.1").isAllowed)
        #expect(limiter.trackedKeys == 1, "refilled buckets were forgotten")
    }
}
