import Foundation
import Testing
import Storage
import TestSupport

/// Readers and writers at once: readers see committed data only, writes are serialized.
struct ConcurrencyTests {
    /// While a write transaction is open, readers see the data as it was before it; once it
    /// commits, they see all of it at once.
    @Test func readersSeeCommittedDataOnly() async throws {
        let database = try TestDatabase()
        let pool = database.pool
        let gate = DispatchSemaphore(value: 0)
        let inserted = DispatchSemaphore(value: 0)
        let writer = Task {
            try await blocking {
                try pool.write { db in
                    for index in 0..<100 {
                        try db.run("INSERT INTO items (name, price_cents) VALUES (?, ?)", "item \(index)", index)
                    }
                    inserted.signal()
                    gate.wait()
                }
            }
        }
        let during = try await blocking { () -> [Int] in
            inserted.wait()
            return try (0..<4).map { _ in try pool.read { db in try db.queryFirst("SELECT count(*) FROM items") { $0.int(0) } ?? -1 } }
        }
        gate.signal()
        try await writer.value
        let after = try await pool.read { db in try db.queryFirst("SELECT count(*) FROM items") { $0.int(0) } ?? -1 }
        #expect(during == [0, 0, 0, 0])
        #expect(after == 100)
    }

    /// A reader's transaction is one snapshot: a commit in the middle of it is not seen.
    @Test func aReadIsOneSnapshot() throws {
        let database = try TestDatabase(readers: 1)
        let pool = database.pool
        try pool.write { db in try db.run("INSERT INTO items (name, price_cents) VALUES ('a', 1)") }
        let (before, after) = try pool.read { db in
            let before = try db.queryFirst("SELECT count(*) FROM items") { $0.int(0) }
            try pool.write { writer in try writer.run("INSERT INTO items (name, price_cents) VALUES ('b', 2)") }
            let after = try db.queryFirst("SELECT count(*) FROM items") { $0.int(0) }
            return (before, after)
        }
        #expect(before == 1 && after == 1)
        #expect(try pool.read { db in try db.queryFirst("SELECT count(*) FROM items") { $0.int(0) } } == 2)
    }

    /// Many concurrent writers from tasks all land, each exactly once.
    @Test func concurrentWritesAllLand() async throws {
        let database = try TestDatabase()
        let pool = database.pool
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask { () async throws -> Void in
                    try await pool.write { (db: Database) throws -> Void in
                        try db.run("INSERT INTO items (name, price_cents) VALUES (?, ?)", "item \(index)", index)
                    }
                }
            }
            try await group.waitForAll()
        }
        let total = try await pool.read { db in try db.queryFirst("SELECT sum(price_cents), count(*) FROM items") { ($0.int(0), $0.int(1)) } }
        #expect(total?.0 == (0..<200).reduce(0, +))
        #expect(total?.1 == 200)
    }

    /// Readers are real read-only connections: a write through one fails.
    @Test func readersCannotWrite() throws {
        let database = try TestDatabase()
        let error = #expect(throws: SQLiteError.self) {
            try database.pool.read { db in try db.run("INSERT INTO items (name, price_cents) VALUES ('x', 1)") }
        }
        #expect(error?.message.contains("readonly") == true)
    }
}
