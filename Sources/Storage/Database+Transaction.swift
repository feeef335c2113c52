/// How a transaction takes its lock.
public enum TransactionKind: Sendable {
    /// Takes the write lock at once; use for every transaction that writes, so two writers never
    /// deadlock upgrading their locks.
    case immediate
    /// Takes locks as statements need them; use for read-only snapshots.
    case deferred
}

extension Database {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws (the
    /// thrown error is rethrown; a failing rollback never hides it). Called inside another
    /// transaction, `body` runs in a savepoint that rolls back on its own. A lock still held by
    /// another connection after the busy timeout is waited for again (`BusyRetry`), at `BEGIN`
    /// and at `COMMIT`; `body` itself runs once.
    public func inTransaction<Value>(_ kind: TransactionKind = .immediate, _ body: () throws -> Value) throws -> Value {
        if isInTransaction {
            return try inSavepoint(body)
        }
        try busyRetry.run { try run(kind == .immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED") }
        let value: Value
        do {
            value = try body()
        } catch {
            _ = try? run("ROLLBACK")
            throw error
        }
        do {
            try busyRetry.run { try run("COMMIT") }
        } catch {
            _ = try? run("ROLLBACK")
            throw error
        }
        return value
    }

    // Transaction statements go through the statement cache like any other: a group commit runs
    // two of them per write, and parsing them each time (sqlite3_exec) cost more than the writes.
    private func inSavepoint<Value>(_ body: () throws -> Value) throws -> Value {
        try run("SAVEPOINT orderbot_nested")
        do {
            let value = try body()
            try run("RELEASE orderbot_nested")
            return value
        } catch {
            _ = try? run("ROLLBACK TO orderbot_nested")
            _ = try? run("RELEASE orderbot_nested")
            throw error
        }
    }
}
