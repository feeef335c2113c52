import Foundation
import Storage
import Synchronization

/// Commits the turns that arrive while the writer is busy together: one transaction, one fsync
/// for the whole group, each turn in a savepoint of its own so a failing turn rolls back alone.
///
/// A caller waits until the transaction holding its turn has committed, so "replied" still means
/// "durable". The group runs on a thread of its own (the database blocks), never on Swift's
/// cooperative pool.
final class GroupCommit<Value: Sendable>: Sendable {
    private struct Waiting: Sendable {
        let body: @Sendable (Database) throws -> Value
        let continuation: CheckedContinuation<Value, any Error>
    }

    private struct Queue: Sendable {
        var waiting: [Waiting] = []
        var draining = false
    }

    private let database: DatabasePool
    private let queue = Mutex(Queue())
    private let drainer = DispatchQueue(label: "orderbot.engine.group-commit")
    /// The most turns one transaction holds, so one slow group never holds a caller for long.
    private let limit: Int

    init(database: DatabasePool, limit: Int = 256) {
        self.database = database
        self.limit = limit
    }

    /// Runs `body` in the next group's transaction; returns its value once that has committed.
    func commit(_ body: @escaping @Sendable (Database) throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let startsDrain = queue.withLock { queue -> Bool in
                queue.waiting.append(Waiting(body: body, continuation: continuation))
                guard !queue.draining else { return false }
                queue.draining = true
                return true
            }
            if startsDrain { drainer.async { self.drain() } }
        }
    }

    private func drain() {
        while true {
            let group = queue.withLock { queue -> [Waiting] in
                let taken = Array(queue.waiting.prefix(limit))
                queue.waiting.removeFirst(taken.count)
                if taken.isEmpty { queue.draining = false }
                return taken
            }
            guard !group.isEmpty else { return }
            run(group)
        }
    }

    private func run(_ group: [Waiting]) {
        var results: [Result<Value, any Error>] = []
        results.reserveCapacity(group.count)
        do {
            try database.write { db in
                for waiting in group {
                    results.append(Result { try db.inTransaction { try waiting.body(db) } })
                }
            }
        } catch {
            // The commit itself failed: nothing of the group is durable.
            for waiting in group { waiting.continuation.resume(throwing: error) }
            return
        }
        for (waiting, result) in zip(group, results) { waiting.continuation.resume(with: result) }
    }
}
