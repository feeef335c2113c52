import CSQLite

/// The current result row of a statement, read by column index (0-based).
///
/// A `Row` reads its statement's current row in place: use it only inside the closure that
/// received it, never store it.
public struct Row {
    private let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    /// How many columns the row has.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// Whether the column holds NULL.
    public func isNull(_ column: Int) -> Bool {
        sqlite3_column_type(handle, Int32(column)) == SQLITE_NULL
    }

    /// The column as an integer (NULL reads as 0).
    public func int(_ column: Int) -> Int { Int(sqlite3_column_int64(handle, Int32(column))) }

    /// The column as a 64-bit integer (NULL reads as 0).
    public func int64(_ column: Int) -> Int64 { sqlite3_column_int64(handle, Int32(column)) }

    /// The column as a floating-point number (NULL reads as 0).
    public func double(_ column: Int) -> Double { sqlite3_column_double(handle, Int32(column)) }

    /// The column as text (NULL reads as the empty string).
    public func string(_ column: Int) -> String {
        guard let text = sqlite3_column_text(handle, Int32(column)) else { return "" }
        let length = Int(sqlite3_column_bytes(handle, Int32(column)))
        return String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self)
    }

    /// The column as bytes (NULL reads as empty).
    public func blob(_ column: Int) -> [UInt8] {
        let length = Int(sqlite3_column_bytes(handle, Int32(column)))
        guard length > 0, let bytes = sqlite3_column_blob(handle, Int32(column)) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: length))
    }

    /// The column as text, or nil when it holds NULL.
    public func optionalString(_ column: Int) -> String? { isNull(column) ? nil : string(column) }

    /// The column as an integer, or nil when it holds NULL.
    public func optionalInt(_ column: Int) -> Int? { isNull(column) ? nil : int(column) }

    /// The column in its storage class.
    public func value(_ column: Int) -> SQLValue {
        switch sqlite3_column_type(handle, Int32(column)) {
        case SQLITE_INTEGER: .integer(int64(column))
        case SQLITE_FLOAT: .real(double(column))
        case SQLITE_TEXT: .text(string(column))
        case SQLITE_BLOB: .blob(blob(column))
        default: .null
        }
    }
}
