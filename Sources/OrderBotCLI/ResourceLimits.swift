#if canImport(Glibc)
import Glibc
#endif

/// Process limits the server needs raised before it accepts connections.
enum ResourceLimits {
    /// Raises the soft limit on open files to at least `count` (never above the hard limit).
    static func allowOpenFiles(_ count: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(count) else { return }
        limit.rlim_cur = min(limit.rlim_max, rlim_t(count))
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
