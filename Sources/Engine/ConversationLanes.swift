import Synchronization

/// Runs work for one conversation strictly in submission order, while different conversations
/// run concurrently: each lane chains a task onto the previous one of the same key.
package final class ConversationLanes: Sendable {
    private struct Tail {
        let ticket: UInt64
        let done: Task<Void, Never>
    }

    private struct Lanes {
        var tails: [String: Tail] = [:]
        var nextTicket: UInt64 = 0
    }

    private let lanes = Mutex(Lanes())

    package init() {}

    /// Runs `work` after every earlier piece of work on `key` has finished.
    package func run<Value: Sendable>(_ key: String, _ work: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let (task, ticket) = lanes.withLock { lanes -> (Task<Value, any Error>, UInt64) in
            let previous = lanes.tails[key]?.done
            let task = Task<Value, any Error> {
                await previous?.value
                return try await work()
            }
            lanes.nextTicket += 1
            let ticket = lanes.nextTicket
            lanes.tails[key] = Tail(ticket: ticket, done: Task { _ = try? await task.value })
            return (task, ticket)
        }
        defer {
            lanes.withLock { lanes in
                if lanes.tails[key]?.ticket == ticket { lanes.tails[key] = nil }
            }
        }
        return try await task.value
    }
}
