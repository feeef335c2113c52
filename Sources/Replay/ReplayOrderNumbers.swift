import Commerce
import NLU
import Synchronization

/// Order numbers for a replay: the same sequence on every run, so a transcript may mention them.
final class ReplayOrderNumbers: Sendable {
    private let generator: Mutex<SplitMix64>

    /// A sequence starting from `seed`.
    init(seed: UInt64 = 2026) {
        generator = Mutex(SplitMix64(seed: seed))
    }

    /// The next number of the sequence.
    func next() -> OrderNumber {
        generator.withLock { generator in OrderNumber.random(using: &generator) }
    }
}
