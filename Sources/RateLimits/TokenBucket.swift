/// A token bucket: it holds up to `limit.burst` tokens, gains `limit.perSecond` a second, and
/// each event takes one. Times are seconds on a monotonic clock.
public struct TokenBucket: Sendable, Equatable {
    public let limit: RateLimit
    public private(set) var tokens: Double
    public private(set) var updatedAt: Double

    /// A full bucket at `now`.
    public init(_ limit: RateLimit, now: Double) {
        self.limit = limit
        tokens = limit.burst
        updatedAt = now
    }

    /// Takes a token at `now` if there is one; otherwise how many seconds until there will be.
    public mutating func take(at now: Double) -> RateDecision {
        refill(to: now)
        guard tokens >= 1 else { return .limited(retryAfter: (1 - tokens) / limit.perSecond) }
        tokens -= 1
        return .allowed
    }

    /// Whether the bucket has refilled completely by `now` (it can be forgotten: a new one is the same).
    public func isFull(at now: Double) -> Bool {
        tokens + max(0, now - updatedAt) * limit.perSecond >= limit.burst
    }

    private mutating func refill(to now: Double) {
        guard now > updatedAt else { return }
        tokens = min(limit.burst, tokens + (now - updatedAt) * limit.perSecond)
        updatedAt = now
    }
}

/// What a rate limit decided about one event.
public enum RateDecision: Sendable, Equatable {
    case allowed
    /// Refused; a token will be there in `retryAfter` seconds.
    case limited(retryAfter: Double)

    public var isAllowed: Bool { self == .allowed }

    /// `retryAfter` as whole seconds for a `Retry-After` header (at least 1).
    public var retryAfterSeconds: Int {
        guard case .limited(let seconds) = self else { return 0 }
        return max(1, Int(seconds.rounded(.up)))
    }
}
