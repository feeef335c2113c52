import Foundation
import Storage
import Synchronization

/// Another connection on a database file (as another process would be) holding its write lock:
/// taken when this is made, given back after `seconds`, from a thread of its own.
public final class HeldWriteLock: Sendable {
    private let released = DispatchSemaphore(value: 0)
    private let failure = Mutex<String?>(nil)

    /// Returns once the lock is held; a lock that cannot be taken throws.
    public init(on path: String, for seconds: Double) throws {
        let taken = DispatchSemaphore(value: 0)
        let released = self.released
        Thread.detachNewThread { [self] in
            do {
                let other = try Database(path: path)
                try other.execute("BEGIN IMMEDIATE")
                taken.signal()
                Thread.sleep(forTimeInterval: seconds)
                try other.execute("COMMIT")
            } catch {
                failure.withLock { $0 = "\(error)" }
                taken.signal()
            }
            released.signal()
        }
        taken.wait()
        if let problem = failure.withLock({ $0 }) { throw HeldWriteLockError.notTaken(problem) }
    }

    /// Blocks until the lock is given back.
    public func waitUntilReleased() { released.wait() }
}

/// The other connection could not take the lock.
public enum HeldWriteLockError: Error {
    case notTaken(String)
}
