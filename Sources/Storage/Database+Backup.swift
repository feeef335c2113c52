import CSQLite
import Foundation

extension Database {
    /// Copies this database, as one committed snapshot, into a new file at `path` with SQLite's
    /// online backup API; writers on other connections go on meanwhile (WAL). Refuses an existing
    /// file; a copy that fails is removed. Returns the pages copied.
    @discardableResult
    public func backup(to path: String) throws -> Int {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw SQLiteError(code: SQLITE_CANTOPEN, message: "\(path) exists already; give a new file")
        }
        do {
            let destination = try Database(path: path)
            // One step for every page, inside a read transaction: the copy is the snapshot that
            // transaction sees, however many commits happen during it (a step at a time would
            // restart whenever another connection writes).
            let pages = try inTransaction(.deferred) { () throws -> Int in
                _ = try queryFirst("SELECT count(*) FROM sqlite_schema") { $0.int(0) }
                // The backup's errors are the destination connection's.
                guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
                    throw destination.error(sqlite3_errcode(destination.handle), sql: nil)
                }
                let status = sqlite3_backup_step(backup, -1)
                let pages = Int(sqlite3_backup_pagecount(backup))
                let finished = sqlite3_backup_finish(backup)
                guard status == SQLITE_DONE, finished == SQLITE_OK else {
                    throw destination.error(status == SQLITE_DONE ? finished : status, sql: nil)
                }
                return pages
            }
            try destination.execute("PRAGMA journal_mode = DELETE")
            return pages
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }
}
