import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What a connection does when SQLite still answers `SQLITE_BUSY` after the busy timeout: another
/// process (a second server on the same file, a backup, someone in the `sqlite3` shell) holds
/// the lock. The operation is tried again after pauses that grow fourfold, each with its own
/// busy timeout, before the error reaches the caller (as a 503 at the boundary).
///
/// Only what is safe to repeat is retried: taking a transaction's lock (`BEGIN`) and a `COMMIT`
/// (the transaction stays open when it is refused busy). Reads need none: in WAL mode they do
/// not wait for writers, and the exclusive locking that would block them cannot be taken while
/// the server has the file open.
public struct BusyRetry: Sendable {
    /// Tries after the first; 0 turns retrying off.
    public var retries: Int
    /// The pause before the first retry, in milliseconds; each later one is four times longer.
    public var firstPauseMilliseconds: Int
    /// Every retry made, counted for `/metrics`.
    let count: BusyRetryCount

    public init(retries: Int = 3, firstPauseMilliseconds: Int = 25) {
        self.retries = max(0, retries)
        self.firstPauseMilliseconds = max(1, firstPauseMilliseconds)
        count = BusyRetryCount()
    }

    /// How many retries were made since the pool opened.
    public var made: Int { count.value }

    /// Runs `body`, again after a pause each time it throws a busy error, until it succeeds, throws
    /// anything else, or the retries are spent (the last error is thrown).
    func run<Value>(_ body: () throws -> Value) throws -> Value {
        var pause = firstPauseMilliseconds
        for _ in 0..<retries {
            do {
                return try body()
            } catch let error as SQLiteError where error.isBusy {
                count.add()
                // A little spread, so that two processes waiting on each other do not retry in step.
                usleep(useconds_t(pause * 1_000 * Int.random(in: 75...125) / 100))
                pause *= 4
            }
        }
        return try body()
    }
}

/// A counter shared by the copies of one `BusyRetry` (one per connection of a pool).
final class BusyRetryCount: Sendable {
    private let retries = Atomic<Int>(0)
    func add() { retries.add(1, ordering: .relaxed) }
    var value: Int { retries.load(ordering: .relaxed) }
}
