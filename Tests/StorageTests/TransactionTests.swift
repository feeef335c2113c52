import Foundation
import Testing
import Storage

/// Transactions: all or nothing, nested work rolls back on its own, errors are never hidden.
struct TransactionTests {
    private func count(_ pool: DatabasePool) throws -> Int {
        try pool.read { db in try db.queryFirst("SELECT count(*) FROM items") { $0.int(0) } ?? -1 }
    }

    /// A transaction whose body throws leaves nothing behind, and the error comes out unchanged.
    @Test func throwingTransactionLeavesNothingBehind() throws {
        let database = try TestDatabase()
        #expect(throws: Boom.self) {
            try database.pool.write { db in
                try db.run("INSERT INTO items (name, price_cents) VALUES (?, ?)", "Aero Run", 34_900)
                try db.run("INSERT INTO items (name, price_cents) VALUES (?, ?)", "Trail Pro", 42_900)
                throw Boom()
            }
        }
        #expect(try count(database.pool) == 0)
    }

    /// A constraint violation halfway rolls back the rows written before it.
    @Test func failingStatementRollsBackTheWholeTransaction() throws {
        let database = try TestDatabase()
        let error = #expect(throws: SQLiteError.self) {
            try database.pool.write { db in
                try db.run("INSERT INTO items (name, price_cents) VALUES (?, ?)", "Aero Run", 34_900)
                try db.run("INSERT INTO items (name, price_cents) VALUES (?, ?)", "Aero Run", 1)
            }
        }
        #expect(error?.isConstraintViolation == true)
        #expect(error?.sql?.contains("INSERT INTO items") == true)
        #expect(try count(database.pool) == 0)
    }

    /// A nested transaction is a savepoint: its failure undoes only its own work.
    @Test func nestedFailureRollsBackOnlyTheInnerWork() throws {
        let database = try TestDatabase()
        try database.pool.write { db in
            try db.run("INSERT INTO items (name, price_cents) VALUES (?, ?)", "kept", 100)
            _ = try? db.inTransaction {
                try db.run("INSERT INTO items (name, price_cents) VALUES (?, ?)", "undone", 200)
                throw Boom()
            }
        }
        let names = try database.pool.read { db in try db.query("SELECT name FROM items ORDER BY id") { $0.string(0) } }
        #expect(names == ["kept"])
    }

    /// Every storage class survives a round trip through bind and read.
    @Test func valuesRoundTrip() throws {
        let database = try TestDatabase()
        let blob: [UInt8] = [0, 1, 2, 255]
        try database.pool.write { db in
            try db.run("INSERT INTO items (id, name, price_cents) VALUES (1, 'żółty but', 1)")
            try db.run("INSERT INTO notes (item_id, body, data, score) VALUES (?, ?, ?, ?)", 1, "zażółć 🥾", blob, 4.5)
            try db.run("INSERT INTO notes (item_id, body, data, score) VALUES (?, ?, ?, ?)", 1, nil as String?, [UInt8](), nil as Double?)
        }
        let rows = try database.pool.read { db in
            try db.query("SELECT body, data, score FROM notes ORDER BY id") { row in
                (row.optionalString(0), row.blob(1), row.value(2))
            }
        }
        #expect(rows.count == 2)
        #expect(rows[0].0 == "zażółć 🥾")
        #expect(rows[0].1 == blob)
        #expect(rows[0].2 == .real(4.5))
        #expect(rows[1].0 == nil)
        #expect(rows[1].1 == [])
        #expect(rows[1].2 == .null)
    }

    /// Foreign keys are enforced on every connection.
    @Test func foreignKeysAreEnforced() throws {
        let database = try TestDatabase()
        let error = #expect(throws: SQLiteError.self) {
            try database.pool.write { db in try db.run("INSERT INTO notes (item_id, body) VALUES (42, 'orphan')") }
        }
        #expect(error?.isConstraintViolation == true)
    }

    /// The file is in WAL mode, so readers never block on the writer.
    @Test func databaseIsInWALMode() throws {
        let database = try TestDatabase()
        let mode = try database.pool.withWriter { db in try db.queryFirst("PRAGMA journal_mode") { $0.string(0) } }
        #expect(mode == "wal")
    }

    /// Closing the pool folds the WAL into the file and removes it; later uses get a clear error.
    @Test func closeCheckpointsAndRefusesLaterUse() throws {
        let database = try TestDatabase()
        try database.pool.write { db in try db.run("INSERT INTO items (name, price_cents) VALUES ('kept', 1)") }
        #expect(FileManager.default.fileExists(atPath: database.path + "-wal"))
        database.pool.close()
        #expect(!FileManager.default.fileExists(atPath: database.path + "-wal"))
        #expect(throws: SQLiteError.closed) { try database.pool.read { db in try db.schemaVersion() } }
        let reopened = try Database(path: database.path)
        #expect(try reopened.queryFirst("SELECT name FROM items") { $0.string(0) } == "kept")
    }

    /// A wrong number of arguments is a clear error, not a silently half-bound statement.
    @Test func argumentCountIsChecked() throws {
        let database = try TestDatabase()
        let error = #expect(throws: SQLiteError.self) {
            try database.pool.write { db in try db.run("INSERT INTO items (name, price_cents) VALUES (?, ?)", "only one") }
        }
        #expect(error?.message.contains("takes 2 parameters, got 1") == true)
    }
}
