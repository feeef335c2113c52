/// How often something may happen: `perSecond` on average, up to `burst` at once (a token
/// bucket's refill rate and size). Written `RATE/UNIT[:BURST]` ("2/s:30", "600/min", "5/h"); the
/// burst defaults to one second's worth, and at least 1.
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    public let perSecond: Double
    public let burst: Double

    public init(perSecond: Double, burst: Double) {
        precondition(perSecond > 0 && burst >= 1, "a rate limit needs a positive rate and a burst of at least 1")
        self.perSecond = perSecond
        self.burst = burst
    }

    /// `count` per `seconds`, with `burst` at once.
    public static func per(_ seconds: Double, _ count: Double, burst: Double) -> RateLimit {
        RateLimit(perSecond: count / seconds, burst: burst)
    }

    /// Reads `RATE/UNIT[:BURST]`: RATE a positive number, UNIT `s`, `min` or `h`, BURST a whole
    /// number ≥ 1. Nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return nil }
        let rate = parts[0].split(separator: "/", omittingEmptySubsequences: false)
        guard rate.count == 2, let count = Double(rate[0].trimmed), count > 0, count.isFinite else { return nil }
        let seconds: Double
        switch rate[1].trimmed {
        case "s": seconds = 1
        case "min": seconds = 60
        case "h": seconds = 3_600
        default: return nil
        }
        let perSecond = count / seconds
        var burst = max(1, perSecond.rounded(.up))
        if parts.count == 2 {
            guard let written = Int(parts[1].trimmed), written >= 1 else { return nil }
            burst = Double(written)
        }
        self.init(perSecond: perSecond, burst: burst)
    }

    public var description: String {
        let (count, unit) = perSecond >= 1 ? (perSecond, "s") : perSecond * 60 >= 1 ? (perSecond * 60, "min") : (perSecond * 3_600, "h")
        let shown = count == count.rounded() ? String(Int(count)) : String(count)
        return "\(shown)/\(unit):\(Int(burst))"
    }
}

private extension Substring {
    var trimmed: String { String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}
