import Dispatch
import Synchronization

/// Commits the writes that arrive while the writer is busy together: one transaction and one
/// fsync for the whole group, each write in a savepoint of its own so a failing one rolls back
/// alone. A caller is answered once the transaction holding its write has committed, so an
/// acknowledgement still means "durable"; when the commit itself fails, every write of the group
/// gets that error and none of them happened.
///
/// The group runs on a thread of its own (SQLite blocks), never on Swift's cooperative pool.
final class WriteGroups: Sendable {
    /// A write waiting for its group: `attempt` runs it (in its savepoint) and returns what to
    /// tell the caller once the group's commit has succeeded (nil) or failed (the error); `fail`
    /// tells a caller whose write never ran.
    private struct Pending: Sendable {
        let attempt: @Sendable (Database) -> @Sendable ((any Error)?) -> Void
        let fail: @Sendable (any Error) -> Void
    }

    private struct Queue: Sendable {
        var pending: [Pending] = []
        var draining = false
    }

    private let queue = Mutex(Queue())
    /// Writes committed and the transactions that committed them, since the pool opened.
    private let counts = Mutex((writes: 0, commits: 0))
    private let drainer = DispatchQueue(label: "orderbot.database.write-groups")
    /// The most writes one transaction holds, so one large group never holds a caller for long.
    private let limit: Int
    /// Runs a group's writes in one transaction on the writer and commits it.
    private let transaction: @Sendable (_ writes: (Database) -> Void) throws -> Void

    init(limit: Int = 256, transaction: @escaping @Sendable (_ writes: (Database) -> Void) throws -> Void) {
        self.limit = limit
        self.transaction = transaction
    }

    /// Runs `body` in the next group's transaction; returns its value once that has committed.
    func write<Value: Sendable>(_ body: @escaping @Sendable (Database) throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let pending = Pending(
                attempt: { db in
                    let result = Result { try db.inTransaction { try body(db) } }
                    return { commitError in
                        if let commitError {
                            continuation.resume(throwing: commitError)
                        } else {
                            continuation.resume(with: result)
                        }
                    }
                },
                fail: { continuation.resume(throwing: $0) })
            let startsDrain = queue.withLock { queue -> Bool in
                queue.pending.append(pending)
                guard !queue.draining else { return false }
                queue.draining = true
                return true
            }
            if startsDrain { drainer.async { self.drain() } }
        }
    }

    private func drain() {
        while true {
            let group = queue.withLock { queue -> [Pending] in
                let taken = Array(queue.pending.prefix(limit))
                queue.pending.removeFirst(taken.count)
                if taken.isEmpty { queue.draining = false }
                return taken
            }
            guard !group.isEmpty else { return }
            run(group)
        }
    }

    private func run(_ group: [Pending]) {
        var answers: [@Sendable ((any Error)?) -> Void] = []
        answers.reserveCapacity(group.count)
        do {
            try transaction { db in
                for pending in group { answers.append(pending.attempt(db)) }
            }
        } catch {
            // The commit itself failed: nothing of the group is durable. A write that never ran
            // (the transaction could not begin) is told the same.
            for answer in answers { answer(error) }
            for pending in group.dropFirst(answers.count) { pending.fail(error) }
            return
        }
        counts.withLock { $0 = (writes: $0.writes + group.count, commits: $0.commits + 1) }
        for answer in answers { answer(nil) }
    }

    /// How many writes were committed, in how many transactions.
    var committed: (writes: Int, commits: Int) { counts.withLock { $0 } }
}
