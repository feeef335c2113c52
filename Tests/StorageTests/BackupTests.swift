import Foundation
import Storage
import Synchronization
import Testing
import TestSupport

/// `Database.backup(to:)` while another connection keeps writing: the copy is one committed
/// snapshot (never half a transaction), sound, and self-contained.
struct BackupTests {
    @Test func aBackupUnderWriteLoadIsOneConsistentSnapshot() throws {
        let database = try TestDatabase()
        let stop = Atomic<Bool>(false)
        let written = Atomic<Int>(0)
        let pool = database.pool
        // Each transaction writes two rows; a consistent copy holds an even number of them.
        let writer = Thread {
            var index = 0
            while !stop.load(ordering: .relaxed) {
                try? pool.write { db in
                    try db.run("INSERT INTO items (name, price_cents) VALUES (?, 1)", "a-\(index)")
                    try db.run("INSERT INTO items (name, price_cents) VALUES (?, 2)", "b-\(index)")
                }
                index += 1
                written.store(index, ordering: .relaxed)
            }
        }
        writer.start()
        while written.load(ordering: .relaxed) < 200 { Thread.sleep(forTimeInterval: 0.005) }
        var copies: [String] = []
        for round in 0..<5 {
            let copy = database.directory.path("copy-\(round).sqlite")
            try Database(path: database.directory.path("test.sqlite"), readOnly: true).backup(to: copy)
            copies.append(copy)
        }
        stop.store(true, ordering: .relaxed)
        while !writer.isFinished { Thread.sleep(forTimeInterval: 0.01) }

        var counts: [Int] = []
        for copy in copies {
            #expect(!FileManager.default.fileExists(atPath: copy + "-wal"))
            let restored = try Database(path: copy, readOnly: true)
            #expect(try restored.queryFirst("PRAGMA integrity_check") { $0.string(0) } == "ok")
            let rows = try restored.queryFirst("SELECT count(*) FROM items") { $0.int(0) } ?? -1
            let pairs = try restored.queryFirst("SELECT count(*) FROM items WHERE name LIKE 'a-%'") { $0.int(0) } ?? -1
            #expect(rows == 2 * pairs, "a transaction is in the copy whole or not at all")
            counts.append(rows)
        }
        #expect(counts.allSatisfy { $0 >= 400 })
        #expect(counts.last ?? 0 > counts.first ?? 0, "each copy is the snapshot of its moment")
    }

    @Test func anExistingFileIsNotOverwritten() throws {
        let database = try TestDatabase()
        let target = database.directory.path("taken.sqlite")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: target))
        #expect(throws: SQLiteError.self) {
            try Database(path: database.directory.path("test.sqlite"), readOnly: true).backup(to: target)
        }
        #expect(FileManager.default.contents(atPath: target) == Data("keep me".utf8))
    }
}
