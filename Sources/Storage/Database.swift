import CSQLite

/// One SQLite connection: owns its `sqlite3` handle and closes it when released.
///
/// A connection is used by one thread at a time (it is not `Sendable`); `DatabasePool` gives
/// each connection an owner. Every connection runs with foreign keys on and a busy timeout; the
/// writer also sets WAL mode and the durability level.
public final class Database {
    let handle: OpaquePointer
    /// The file the connection is open on.
    public let path: String
    private var statements: [String: Statement] = [:]
    /// What is tried again when a lock is still held after the busy timeout.
    let busyRetry: BusyRetry

    /// Opens (creating when `readOnly` is false) the database file at `path`.
    public init(
        path: String, readOnly: Bool = false, busyTimeoutMilliseconds: Int32 = 5_000, busyRetry: BusyRetry = BusyRetry()
    ) throws(SQLiteError) {
        var opened: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let status = sqlite3_open_v2(path, &opened, flags, nil)
        guard status == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open database"
            sqlite3_close_v2(opened)
            throw SQLiteError(code: status, message: "\(message): \(path)")
        }
        self.handle = opened
        self.path = path
        self.busyRetry = busyRetry
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        try execute("PRAGMA foreign_keys = ON")
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements that take no parameters (schema changes, pragmas).
    public func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        guard status == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_free(message)
            throw SQLiteError(code: status, extendedCode: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// The cached prepared statement for `sql`, compiling it on first use.
    public func statement(_ sql: String) throws(SQLiteError) -> Statement {
        if let cached = statements[sql] { return cached }
        let prepared = try Statement(database: self, sql: sql)
        statements[sql] = prepared
        return prepared
    }

    /// Runs `sql` with `arguments` bound to `?1…?n`; returns the number of rows changed.
    @discardableResult
    public func run(_ sql: String, _ arguments: any SQLBindable...) throws(SQLiteError) -> Int {
        let prepared = try statement(sql)
        try prepared.bind(arguments)
        return try prepared.run()
    }

    /// The rows of `sql`, each turned into a value by `transform`.
    public func query<Value>(
        _ sql: String, _ arguments: any SQLBindable..., as transform: (Row) throws -> Value
    ) throws -> [Value] {
        let prepared = try statement(sql)
        try prepared.bind(arguments)
        var values: [Value] = []
        try prepared.forEachRow { values.append(try transform($0)) }
        return values
    }

    /// Runs the cheapest statement there is: proves the file is open and readable.
    public func ping() throws {
        _ = try queryFirst("SELECT 1") { $0.int(0) }
    }

    /// The first row of `sql` turned into a value by `transform`, or nil when there is no row.
    public func queryFirst<Value>(
        _ sql: String, _ arguments: any SQLBindable..., as transform: (Row) throws -> Value
    ) throws -> Value? {
        let prepared = try statement(sql)
        try prepared.bind(arguments)
        var first: Value?
        try prepared.forEachRow { row in
            if first == nil { first = try transform(row) }
        }
        return first
    }

    /// The row id of the most recent successful INSERT on this connection.
    public var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Whether a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// The schema version stored in the file header (`PRAGMA user_version`).
    public func schemaVersion() throws -> Int {
        try queryFirst("PRAGMA user_version") { $0.int(0) } ?? 0
    }

    /// Sets the schema version stored in the file header.
    public func setSchemaVersion(_ version: Int) throws(SQLiteError) {
        try execute("PRAGMA user_version = \(version)")
    }

    func error(_ status: Int32, sql: String?) -> SQLiteError {
        SQLiteError(
            code: status, extendedCode: sqlite3_extended_errcode(handle),
            message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}
