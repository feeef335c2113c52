import Commerce
import Foundation
import Lifecycle
import Storage
import Telemetry

/// Pushes the outbox's web chat replies — an agent's, or the bot's when nobody else pushed them —
/// to the open sockets of their session, in order, each marked sent once it is queued on a
/// socket. Replies for sessions with no open socket stay pending until the customer comes back
/// (the `hello` that resumes the session pushes them).
///
/// Whoever queues a web reply calls `wake()`; the worker then looks at the replies queued since
/// its last look (it remembers the newest outbox id it saw), and once every `pollInterval`
/// without a wake, in case one was missed.
final class WebChatDelivery: Service {
    /// Replies looked at per read.
    private static let batch = 500

    private let database: DatabasePool
    private let sessions: WebChatSessions
    private let pollInterval: Duration
    private let logger: Logger
    private let signal = WakeSignal()

    /// A worker for `sessions`' replies in `database`'s outbox; `run()` delivers.
    init(database: DatabasePool, sessions: WebChatSessions, logger: Logger, pollInterval: Duration = .seconds(5)) {
        self.database = database
        self.sessions = sessions
        self.pollInterval = pollInterval
        self.logger = logger.with(["component": "webchat-delivery"])
    }

    var name: String { "webchat-delivery" }

    /// New web replies were queued: push them soon. Calls close together cost one look.
    func wake() {
        signal.fire()
    }

    /// Delivers until cancelled (a look in progress is cut short: what it did not push waits
    /// for the customer's next hello).
    func run() async {
        // Replies queued before the loop started belong to sessions with no socket yet: their
        // hello pushes them.
        var seen = await newestID()
        var failures = FailureStreak()
        while !Task.isCancelled {
            let failed: Bool
            (seen, failed) = await look(after: seen)
            if let pause = failures.record(failed: failed) {
                guard (try? await Task.sleep(for: pause)) != nil else { return }
            }
            await signal.wait(upTo: pollInterval)
        }
    }

    /// Delivers to the open sessions with replies newer than `seen`; returns the newest id seen,
    /// and whether the outbox could not be read.
    private func look(after seen: Int64) async -> (seen: Int64, failed: Bool) {
        var seen = seen
        do {
            while true {
                let after = seen
                let (recipients, newest) = try await database.read { db in
                    try Outbox().pendingRecipients(channel: .web, after: after, limit: Self.batch, in: db)
                }
                guard let newest else { return (seen, false) }
                for session in recipients where sessions.isOpen(session: session) {
                    await sessions.deliver(session: session)
                }
                seen = newest
            }
        } catch {
            logger.error("reading the web chat outbox failed", ["error": .string("\(error)")])
            return (seen, true)
        }
    }

    private func newestID() async -> Int64 {
        do {
            return try await database.read { db in try Outbox().newestID(in: db) }
        } catch {
            logger.error("reading the web chat outbox failed", ["error": .string("\(error)")])
            return 0
        }
    }
}
