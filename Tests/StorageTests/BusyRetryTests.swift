import Foundation
import Storage
import Testing
import TestSupport

/// Another process holding the file's lock past the busy timeout: the pool waits again, with
/// pauses, before it gives up; what it gives up on leaves nothing behind.
struct BusyRetryTests {
    private func names(_ pool: DatabasePool) throws -> [String] {
        try pool.read { db in try db.query("SELECT name FROM items ORDER BY id") { $0.string(0) } }
    }

    /// A lock held four times the busy timeout: the write waits again and commits; the retries
    /// are counted.
    @Test func aWriteOutlastsALockHeldPastTheBusyTimeout() throws {
        let database = try TestDatabase(busyTimeoutMilliseconds: 40, busyRetry: BusyRetry(retries: 4, firstPauseMilliseconds: 20))
        let holder = try HeldWriteLock(on: database.path, for: 0.16)
        try database.pool.write { db in try db.run("INSERT INTO items (name, price_cents) VALUES ('after the wait', 100)") }
        holder.waitUntilReleased()
        #expect(try names(database.pool) == ["after the wait"])
        #expect(database.pool.busyRetries >= 1)
    }

    /// The same lock without retries: the busy error reaches the caller at once, as before.
    @Test func withoutRetriesTheBusyErrorComesOut() throws {
        let database = try TestDatabase(busyTimeoutMilliseconds: 40, busyRetry: BusyRetry(retries: 0))
        let holder = try HeldWriteLock(on: database.path, for: 0.3)
        let error = #expect(throws: SQLiteError.self) {
            try database.pool.write { db in try db.run("INSERT INTO items (name, price_cents) VALUES ('never', 100)") }
        }
        #expect(error?.isBusy == true)
        holder.waitUntilReleased()
        #expect(try names(database.pool) == [])
        #expect(database.pool.busyRetries == 0)
    }

    /// A lock held longer than every retry: the write fails busy after them, writes nothing, and
    /// the pool works once the lock is gone. The group commit of `async` writes retries too.
    @Test func aLockHeldTooLongFailsAfterTheRetriesAndLeavesNothing() async throws {
        let database = try TestDatabase(busyTimeoutMilliseconds: 20, busyRetry: BusyRetry(retries: 2, firstPauseMilliseconds: 10))
        let holder = try HeldWriteLock(on: database.path, for: 1.5)
        let started = Date()
        let error = await #expect(throws: SQLiteError.self) {
            try await database.pool.write { @Sendable db in try db.run("INSERT INTO items (name, price_cents) VALUES ('lost', 1)") }
        }
        #expect(error?.isBusy == true)
        // Three tries of 20 ms and pauses of about 10 and 40 ms, all while the lock is held (a try
        // after it went would have succeeded: busy says none waited it out). The bound only says
        // the write does not hang; a loaded machine may take seconds to schedule the tries.
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(database.pool.busyRetries == 2)
        holder.waitUntilReleased()
        try await database.pool.write { @Sendable db in try db.run("INSERT INTO items (name, price_cents) VALUES ('later', 1)") }
        #expect(try names(database.pool) == ["later"])
    }
}
