import Foundation

/// Runs blocking client work (socket reads, sleeps) on a thread of its own, so a test never
/// occupies one of the few threads of Swift's cooperative pool, where the server's handlers run.
public func blocking<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
