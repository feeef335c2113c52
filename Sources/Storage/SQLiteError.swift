import CSQLite

/// A failure reported by SQLite, with enough context to find its cause.
public struct SQLiteError: Error, Equatable, CustomStringConvertible {
    /// The primary result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT`, …).
    public let code: Int32
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`, …).
    public let extendedCode: Int32
    /// SQLite's own message for the failure.
    public let message: String
    /// The statement that failed, when there was one.
    public let sql: String?

    public init(code: Int32, extendedCode: Int32? = nil, message: String, sql: String? = nil) {
        self.code = code & 0xff
        self.extendedCode = extendedCode ?? code
        self.message = message
        self.sql = sql
    }

    /// The pool was closed (at shutdown) before this use.
    public static let closed = SQLiteError(code: SQLITE_MISUSE, message: "the database is closed")

    /// Whether the failure is a violated constraint (unique, foreign key, check, not null).
    public var isConstraintViolation: Bool { code == SQLITE_CONSTRAINT }

    /// Whether another connection held a lock for longer than the busy timeout.
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    /// Whether the failure is the storage's, not the request's: a full disk, an I/O error, a lock
    /// held too long, a file that cannot be written. Trying again later can succeed.
    public var isStorageUnavailable: Bool {
        [SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_NOMEM].contains(code)
    }

    public var description: String {
        var text = "SQLite error \(extendedCode): \(message)"
        if let sql { text += " (in: \(sql))" }
        return text
    }
}

/// Why the database could not be opened or brought to the schema this binary expects.
public enum StorageError: Error, Equatable, CustomStringConvertible {
    /// The file's schema is newer than any migration this binary knows: it was written by a newer
    /// OrderBot, and running an older one against it could corrupt data.
    case schemaTooNew(path: String, found: Int, supported: Int)
    /// The migration list is not numbered 1, 2, 3, … without gaps.
    case migrationsOutOfOrder(versions: [Int])
    /// Migration `version` failed; the database stays at the version before it.
    case migrationFailed(version: Int, name: String, underlying: SQLiteError)
    /// `PRAGMA quick_check` found the file damaged at open (the first findings).
    case damaged(path: String, findings: [String])
    /// Migration `version` rebuilt tables and left rows of `table` pointing at nothing; it was
    /// rolled back.
    case migrationBrokeForeignKeys(version: Int, name: String, table: String)

    public var description: String {
        switch self {
        case .schemaTooNew(let path, let found, let supported):
            "the database \(path) has schema version \(found), but this orderbot knows versions up to \(supported); "
                + "use a newer orderbot or another database file"
        case .migrationsOutOfOrder(let versions):
            "migrations must be numbered 1, 2, 3, … without gaps; got \(versions)"
        case .migrationFailed(let version, let name, let underlying):
            "migration \(version) (\(name)) failed: \(underlying)"
        case .damaged(let path, let findings):
            "the database \(path) is damaged (PRAGMA quick_check: \(findings.joined(separator: "; "))); "
                + "restore a backup (orderbot backup) or repair it with the sqlite3 shell's .recover"
        case .migrationBrokeForeignKeys(let version, let name, let table):
            "migration \(version) (\(name)) left rows of \(table) that refer to nothing; it was rolled back"
        }
    }
}
