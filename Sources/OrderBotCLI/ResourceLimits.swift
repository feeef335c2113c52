#if canImport(Glibc)
import Glibc
#endif

/// Process limits the server needs raised before it accepts connections, and its memory.
enum ResourceLimits {
    /// Gives memory that is freed but still held by malloc back to the system (glibc keeps freed
    /// heap for reuse; after a burst of short-lived allocations, like training, it is just held).
    static func returnFreedMemory() {
        #if canImport(Glibc)
        _ = mallocTrim(0)
        #endif
    }

    /// A write past the file-size limit (`ulimit -f`) fails with EFBIG, which SQLite reports and
    /// the server answers with 503, instead of SIGXFSZ killing the process.
    static func surviveFileSizeLimit() {
        #if canImport(Glibc)
        signal(SIGXFSZ, SIG_IGN)
        #endif
    }

    /// Raises the soft limit on open files to at least `count` (never above the hard limit).
    static func allowOpenFiles(_ count: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(count) else { return }
        limit.rlim_cur = min(limit.rlim_max, rlim_t(count))
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}

#if canImport(Glibc)
/// glibc's `int malloc_trim(size_t pad)` from <malloc.h>, which the Glibc module does not bring in.
@_silgen_name("malloc_trim")
private func mallocTrim(_ pad: Int) -> Int32
#endif
