#if canImport(Glibc)
import Glibc
#endif

/// Nanoseconds on the monotonic clock, for durations and deadlines on the I/O thread.
enum MonotonicClock {
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    static func seconds(_ count: Int) -> UInt64 { UInt64(max(0, count)) * 1_000_000_000 }
}
