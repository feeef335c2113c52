import Foundation
import Testing
import Storage
import TestSupport

/// Versioned migrations: once, in order, idempotent, and never against a newer schema.
struct MigrationTests {
    /// A fresh file gets every migration once; opening it again applies nothing.
    @Test func migrationsRunOnceAndAreIdempotent() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("db.sqlite")
        let migrator = try TestSchema.migrator()
        let first = try Database(path: path)
        #expect(try migrator.migrate(first).map(\.version) == [1, 2])
        #expect(try migrator.migrate(first).isEmpty)
        let reopened = try Database(path: path)
        #expect(try migrator.migrate(reopened).isEmpty)
        #expect(try reopened.schemaVersion() == 2)
    }

    /// A database at version 1 gets only migration 2 when the binary learns it.
    @Test func onlyPendingMigrationsRun() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("db.sqlite")
        _ = try DatabasePool(DatabaseConfiguration(path: path), migrator: try TestSchema.migrator([TestSchema.items]))
        let database = try Database(path: path)
        #expect(try TestSchema.migrator().migrate(database).map(\.name) == ["notes"])
    }

    /// A database written by a newer binary is refused with an error that names both versions.
    @Test func newerSchemaIsRefused() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("db.sqlite")
        let database = try Database(path: path)
        try database.setSchemaVersion(7)
        let error = #expect(throws: StorageError.self) {
            _ = try DatabasePool(DatabaseConfiguration(path: path), migrator: try TestSchema.migrator())
        }
        #expect(error == .schemaTooNew(path: path, found: 7, supported: 2))
        #expect(error?.description.contains("schema version 7") == true)
        #expect(error?.description.contains("up to 2") == true)
    }

    /// A failing migration leaves the schema at the previous version and names itself.
    @Test func failedMigrationLeavesThePreviousVersion() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("db.sqlite")
        let broken = Migration(version: 2, name: "broken", sql: "CREATE TABLE x (id INTEGER); CREATE TABLE x (id INTEGER);")
        let error = #expect(throws: StorageError.self) {
            _ = try DatabasePool(DatabaseConfiguration(path: path), migrator: try TestSchema.migrator([TestSchema.items, broken]))
        }
        guard case .migrationFailed(let version, let name, _) = error else {
            Issue.record("expected migrationFailed, got \(String(describing: error))")
            return
        }
        #expect(version == 2 && name == "broken")
        let database = try Database(path: path)
        #expect(try database.schemaVersion() == 1)
        let tables = try database.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") { $0.string(0) }
        #expect(tables == ["items"])
    }

    /// Migration lists must be numbered 1, 2, 3 without gaps.
    @Test func gapsInVersionsAreRejected() {
        #expect(throws: StorageError.migrationsOutOfOrder(versions: [1, 3])) {
            try Migrator([TestSchema.items, Migration(version: 3, name: "gap", sql: "SELECT 1")])
        }
    }

    /// A migration that rebuilds a table others refer to runs with foreign keys off, keeps the
    /// links it rebuilt, and is rolled back when it leaves rows pointing at nothing; foreign keys
    /// are on again afterwards either way.
    @Test func aTableRebuildKeepsItsLinksOrRollsBack() throws {
        let directory = TemporaryDirectory()
        let database = try Database(path: directory.path("db.sqlite"))
        try TestSchema.migrator().migrate(database)
        try database.execute("INSERT INTO items (id, name, price_cents) VALUES (1, 'kubek', 2500); INSERT INTO notes (item_id) VALUES (1)")
        let rebuildItems = """
            CREATE TABLE items_rebuilt (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, price_cents INTEGER NOT NULL
                CHECK (price_cents >= 0)) STRICT;
            INSERT INTO items_rebuilt SELECT id, name, price_cents FROM items FILTER;
            DROP TABLE items;
            ALTER TABLE items_rebuilt RENAME TO items;
            """
        let losing = Migration(version: 3, name: "loses the item", rebuildsTables: true, sql: rebuildItems.replacingOccurrences(of: "FILTER", with: "WHERE id <> 1"))
        let error = #expect(throws: StorageError.self) {
            try TestSchema.migrator([TestSchema.items, TestSchema.notes, losing]).migrate(database)
        }
        #expect(error == .migrationBrokeForeignKeys(version: 3, name: "loses the item", table: "notes"))
        #expect(try database.schemaVersion() == 2)
        #expect(try database.queryFirst("SELECT count(*) FROM items") { $0.int(0) } == 1)
        #expect(try database.queryFirst("PRAGMA foreign_keys") { $0.int(0) } == 1)

        let keeping = Migration(version: 3, name: "checks prices", rebuildsTables: true, sql: rebuildItems.replacingOccurrences(of: "FILTER", with: ""))
        #expect(try TestSchema.migrator([TestSchema.items, TestSchema.notes, keeping]).migrate(database).map(\.version) == [3])
        #expect(try database.queryFirst("PRAGMA foreign_keys") { $0.int(0) } == 1)
        #expect(throws: SQLiteError.self) { try database.run("DELETE FROM items WHERE id = 1") }
        #expect(throws: SQLiteError.self) { try database.run("INSERT INTO items (name, price_cents) VALUES ('talerz', -1)") }
    }
}
