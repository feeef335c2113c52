import Foundation
import Storage
import TestSupport

/// A small schema for exercising the storage layer on its own.
enum TestSchema {
    static let items = Migration(version: 1, name: "items", sql: """
        CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, price_cents INTEGER NOT NULL) STRICT;
        """)
    static let notes = Migration(version: 2, name: "notes", sql: """
        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES items(id),
            body TEXT,
            data BLOB,
            score REAL
        ) STRICT;
        """)

    static func migrator(_ migrations: [Migration] = [items, notes]) throws -> Migrator {
        try Migrator(migrations)
    }
}

/// A pool on a fresh file in a temp directory, kept alive with it.
struct TestDatabase {
    let directory = TemporaryDirectory(prefix: "orderbot-storage")
    let pool: DatabasePool

    init(
        _ migrations: [Migration] = [TestSchema.items, TestSchema.notes], readers: Int = 4,
        busyTimeoutMilliseconds: Int32 = 5_000, busyRetry: BusyRetry = BusyRetry()
    ) throws {
        pool = try DatabasePool(
            DatabaseConfiguration(
                path: directory.path("test.sqlite"), readerCount: readers, busyTimeoutMilliseconds: busyTimeoutMilliseconds,
                busyRetry: busyRetry),
            migrator: try TestSchema.migrator(migrations))
    }

    var path: String { directory.path("test.sqlite") }
}

struct Boom: Error {}
