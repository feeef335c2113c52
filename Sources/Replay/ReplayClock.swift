import Foundation
import Synchronization

/// The clock a replay runs at: fixed until a `clock` line sets or advances it.
final class ReplayClock: Sendable {
    /// Where a transcript's clock starts when it sets none: Monday 2 March 2026, 09:00 UTC.
    static let start = Date(timeIntervalSince1970: 1_772_442_000)

    private let current = Mutex(ReplayClock.start)

    /// The time now.
    var now: Date { current.withLock { $0 } }

    /// Sets or advances the clock.
    func apply(_ change: ClockChange) {
        current.withLock { now in
            switch change {
            case .set(let moment): now = moment
            case .advance(let seconds): now = now.addingTimeInterval(seconds)
            }
        }
    }
}
