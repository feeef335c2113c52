import CSQLite

/// A prepared statement: owns its `sqlite3_stmt` and finalizes it when released.
///
/// A statement belongs to the `Database` that prepared it and is used on that connection's
/// thread only. `Database` caches statements by SQL text, so hot queries are compiled once.
public final class Statement {
    private let handle: OpaquePointer
    /// The SQL text the statement was prepared from.
    public let sql: String
    private unowned let database: Database

    init(database: Database, sql: String) throws(SQLiteError) {
        var prepared: OpaquePointer?
        let status = sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard status == SQLITE_OK, let prepared else {
            throw database.error(status, sql: sql)
        }
        self.handle = prepared
        self.sql = sql
        self.database = database
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds `values` to the parameters `?1…?n`, clearing anything bound before.
    public func bind(_ values: [any SQLBindable]) throws(SQLiteError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard values.count == expected else {
            throw SQLiteError(
                code: SQLITE_RANGE, message: "statement takes \(expected) parameters, got \(values.count)", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            try bind(value.sqlValue, at: Int32(offset + 1))
        }
    }

    private func bind(_ value: SQLValue, at index: Int32) throws(SQLiteError) {
        let status: Int32
        switch value {
        case .null:
            status = sqlite3_bind_null(handle, index)
        case .integer(let number):
            status = sqlite3_bind_int64(handle, index, number)
        case .real(let number):
            status = sqlite3_bind_double(handle, index, number)
        case .text(let text):
            // Bound with its length in bytes: a C string's length would end at the first U+0000.
            status = text.utf8CString.withUnsafeBufferPointer { buffer in
                sqlite3_bind_text(handle, index, buffer.baseAddress, Int32(buffer.count - 1), orderbot_sqlite_transient())
            }
        case .blob(let bytes):
            status = bytes.withUnsafeBytes { buffer in
                // A zero-length blob needs a non-null pointer to be a blob rather than NULL.
                sqlite3_bind_blob(handle, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                                  Int32(buffer.count), orderbot_sqlite_transient())
            }
        }
        try check(status)
    }

    /// Runs the statement to completion, ignoring any rows; returns the rows it changed.
    @discardableResult
    public func run() throws(SQLiteError) -> Int {
        defer { sqlite3_reset(handle) }
        while try step() {}
        return Int(sqlite3_changes(database.handle))
    }

    /// Calls `body` with each result row in order; the `Row` is valid only inside the call.
    public func forEachRow(_ body: (Row) throws -> Void) throws {
        defer { sqlite3_reset(handle) }
        while try step() {
            try body(Row(handle: handle))
        }
    }

    /// Advances to the next row; false when the statement is done.
    private func step() throws(SQLiteError) -> Bool {
        let status = sqlite3_step(handle)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error(status, sql: sql)
        }
    }

    private func check(_ status: Int32) throws(SQLiteError) {
        guard status == SQLITE_OK else { throw database.error(status, sql: sql) }
    }
}
