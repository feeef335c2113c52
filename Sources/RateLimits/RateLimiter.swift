import Synchronization
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

/// Token buckets by key (a client address, a customer, a session), safe from any thread.
///
/// Memory is bounded whatever a client does: at most `maxKeys` buckets are kept. When a new key
/// would go over, the buckets that have refilled are forgotten (a full bucket is the same as
/// none), at most once a second; while every bucket is still in use, new keys share one overflow
/// bucket, so a flood of fresh addresses is limited as one.
public final class RateLimiter: Sendable {
    /// What is limited, for metrics and logs ("chat_hello").
    public let name: String
    public let limit: RateLimit
    private let maxKeys: Int
    private let clock: @Sendable () -> Double
    /// Counts each refusal under `name` (`orderbot_rate_limited_total{limit}`), when given.
    private let refusals: Counter?
    private let state: Mutex<State>

    private struct State {
        var buckets: [String: TokenBucket] = [:]
        var overflow: TokenBucket?
        var prunedAt = -Double.infinity
    }

    public init(
        name: String, limit: RateLimit, maxKeys: Int = 50_000, refusals: Counter? = nil,
        clock: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds
    ) {
        precondition(maxKeys > 0)
        self.name = name
        self.refusals = refusals
        self.limit = limit
        self.maxKeys = maxKeys
        self.clock = clock
        state = Mutex(State())
    }

    /// Takes a token from `key`'s bucket.
    public func take(_ key: String) -> RateDecision {
        counted(takeToken(key))
    }

    private func takeToken(_ key: String) -> RateDecision {
        let now = clock()
        return state.withLock { state in
            if state.buckets[key] == nil, state.buckets.count >= maxKeys, now - state.prunedAt >= 1 {
                state.buckets = state.buckets.filter { !$0.value.isFull(at: now) }
                state.prunedAt = now
            }
            guard state.buckets[key] != nil || state.buckets.count < maxKeys else {
                var shared = state.overflow ?? TokenBucket(limit, now: now)
                defer { state.overflow = shared }
                return shared.take(at: now)
            }
            var bucket = state.buckets[key] ?? TokenBucket(limit, now: now)
            defer { state.buckets[key] = bucket }
            return bucket.take(at: now)
        }
    }

    /// Whether `key` could take a token now, without taking it (a client locked out by its
    /// failed attempts is refused before its next attempt is even checked).
    /// `counting: false` asks without counting a refusal (a look ahead, not an attempt).
    public func check(_ key: String, counting: Bool = true) -> RateDecision {
        let now = clock()
        let decision = state.withLock { state -> RateDecision in
            guard var bucket = state.buckets[key] else { return .allowed }
            return bucket.take(at: now)
        }
        return counting ? counted(decision) : decision
    }

    /// Counts one refusal under this limit's name (a refusal decided on an earlier `check`).
    public func countRefusal() {
        refusals?.increment(name)
    }

    private func counted(_ decision: RateDecision) -> RateDecision {
        if !decision.isAllowed { refusals?.increment(name) }
        return decision
    }

    /// How many keys have a bucket now.
    public var trackedKeys: Int { state.withLock { $0.buckets.count } }

    /// Seconds on the monotonic clock.
    public static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
