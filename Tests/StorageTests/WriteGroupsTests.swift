import Foundation
import Storage
import Testing
import TestSupport

/// The `async` writes of a pool share transactions (one fsync for the group), each in a
/// savepoint of its own.
struct WriteGroupsTests {
    /// Writes that wait together are committed in fewer transactions than there are writes,
    /// and every caller gets its own value.
    @Test func waitingWritesShareATransaction() async throws {
        let database = try TestDatabase()
        let pool = database.pool
        // Hold the writer so the async writes pile up behind it.
        let gate = DispatchSemaphore(value: 0)
        let held = Task { try await blocking { try pool.write { _ in gate.wait() } } }
        try await Task.sleep(for: .milliseconds(50))
        let ids = try await withThrowingTaskGroup(of: (Int, Int64).self) { group in
            for index in 0..<50 {
                group.addTask {
                    let id = try await pool.write { db -> Int64 in
                        try db.run("INSERT INTO items (name, price_cents) VALUES (?, ?)", "item \(index)", index)
                        return db.lastInsertedRowID
                    }
                    return (index, id)
                }
            }
            try await Task.sleep(for: .milliseconds(100))
            gate.signal()
            var ids: [Int: Int64] = [:]
            for try await (index, id) in group { ids[index] = id }
            return ids
        }
        try await held.value
        #expect(ids.count == 50)
        #expect(Set(ids.values).count == 50)
        let stored = try await pool.read { db in try db.query("SELECT price_cents, id FROM items ORDER BY id") { ($0.int(0), $0.int64(1)) } }
        #expect(stored.count == 50)
        #expect(stored.allSatisfy { ids[$0.0] == $0.1 })
        let grouped = pool.groupedWrites
        #expect(grouped.writes == 50)
        #expect(grouped.commits < 50, "\(grouped.commits) transactions for 50 writes")
    }

    /// A write that throws rolls back alone: the others of its group commit, and its caller gets
    /// its error.
    @Test func aFailingWriteRollsBackAlone() async throws {
        struct Refused: Error {}
        let database = try TestDatabase()
        let pool = database.pool
        let gate = DispatchSemaphore(value: 0)
        let held = Task { try await blocking { try pool.write { _ in gate.wait() } } }
        try await Task.sleep(for: .milliseconds(50))
        let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for index in 0..<10 {
                group.addTask {
                    do {
                        try await pool.write { db in
                            try db.run("INSERT INTO items (name, price_cents) VALUES (?, ?)", "item \(index)", index)
                            if index == 3 { throw Refused() }
                        }
                        return (index, true)
                    } catch is Refused {
                        return (index, false)
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(100))
            gate.signal()
            var outcomes: [Int: Bool] = [:]
            for try await (index, succeeded) in group { outcomes[index] = succeeded }
            return outcomes
        }
        try await held.value
        #expect(outcomes.filter { !$0.value }.map(\.key) == [3])
        let prices = try await pool.read { db in try db.query("SELECT price_cents FROM items ORDER BY price_cents") { $0.int(0) } }
        #expect(prices == [0, 1, 2, 4, 5, 6, 7, 8, 9])
    }

    /// A write after the pool is closed is refused, and nothing waits for ever.
    @Test func aClosedPoolRefusesWrites() async throws {
        let database = try TestDatabase()
        database.pool.close()
        await #expect(throws: (any Error).self) {
            try await database.pool.write { db in try db.run("INSERT INTO items (name, price_cents) VALUES ('x', 1)") }
        }
    }
}
