import Commerce
import Synchronization

/// Order numbers for a replay: the same sequence on every run, so a transcript may mention them.
final class ReplayOrderNumbers: Sendable {
    private let generator: Mutex<SplitMix>

    /// A sequence starting from `seed`.
    init(seed: UInt64 = 2026) {
        generator = Mutex(SplitMix(state: seed))
    }

    /// The next number of the sequence.
    func next() -> OrderNumber {
        generator.withLock { generator in OrderNumber.random(using: &generator) }
    }

    /// SplitMix64: small, fast and seedable.
    private struct SplitMix: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
            return mixed ^ (mixed >> 31)
        }
    }
}
