/// A long-running part of the process (the web server, a worker that drains a queue, a
/// monitor): it runs until its task is cancelled, then puts down its work and returns. A
/// service that throws has failed; its `ServiceGroup` then stops the others.
public protocol Service: Sendable {
    /// Its name in the logs.
    var name: String { get }
    /// Works until cancelled. Throws only when it cannot go on.
    func run() async throws
}

/// Runs `body` shielded from the cancellation of the calling task, and turns that cancellation
/// into a call of `stop` instead, which tells the body to finish what is under way (a reply in
/// flight, a batch half handled) and return. Returns when the body has returned.
///
/// This is how a worker's `run()` stops gracefully: cancelling its task directly would cancel
/// the requests and writes the worker has under way too.
public func withGracefulStop<Value: Sendable>(
    _ body: @escaping @Sendable () async -> Value, stop: @escaping @Sendable () -> Void
) async -> Value {
    // Unstructured only so that the body does not inherit the cancellation; it is always
    // awaited here, never left behind.
    let shielded = Task { await body() }
    return await withTaskCancellationHandler {
        await shielded.value
    } onCancel: {
        stop()
    }
}
