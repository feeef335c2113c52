import Lifecycle
import Testing

/// The pauses a failing worker takes: doubling, capped, and gone after a round that works.
struct FailureStreakTests {
    @Test func pausesDoubleUpToTheMaximumAndEndWithASuccess() {
        var streak = FailureStreak(backoff: Backoff(baseDelay: .milliseconds(250), maxDelay: .seconds(2)))
        let pauses = (0..<6).map { _ in streak.record(failed: true) }
        #expect(pauses == [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(2), .seconds(2)])
        #expect(streak.failures == 6)
        #expect(streak.record(failed: false) == nil)
        #expect(streak.failures == 0)
        #expect(streak.record(failed: true) == .milliseconds(250))
    }
}
