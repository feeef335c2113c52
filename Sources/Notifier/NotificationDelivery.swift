import Commerce
import Foundation
import Lifecycle
import SignedPost
import Storage
import Telemetry

/// Sends the notifications outbox to the shop's notifier: each body POSTed as stored, signed with
/// `X-OrderBot-Signature: sha256=<hex HMAC-SHA256 of the body>`; a 2xx answer is delivered, any
/// other answer or a network error is tried again with the Send API's backoff (a random wait
/// under 1 s, 2 s, 4 s… up to 5 minutes) until the notification's give-up time (a code's expiry). Rows are durable, so a restart
/// resumes where it stopped; the notifier drops repeats by the body's `id`.
///
/// Logs name a notification by its `ntf_…` id and kind, never its text or code.
package final class NotificationDelivery: Service {
    private static let batch = 32
    /// Waits between tries: full jitter under 1 s, 2 s, 4 s… up to 5 minutes; the code's expiry,
    /// not a count, ends the tries.
    private static let backoff = Backoff(baseDelay: .seconds(1), maxDelay: .seconds(300))

    private let database: DatabasePool
    private let settings: NotifierSettings
    private let poster: SignedPoster
    private let pollInterval: Duration
    private let logger: Logger
    private let outcomes: Counter
    private let loop = OutboxLoop()

    package init(database: DatabasePool, settings: NotifierSettings, metrics: MetricsRegistry, logger: Logger,
         pollInterval: Duration = .seconds(1)) {
        self.database = database
        self.settings = settings
        self.pollInterval = pollInterval
        self.logger = logger.with(["component": "notifier"])
        outcomes = metrics.counter(
            "orderbot_notifications_total", help: "Notifications POSTed to the notifier, by outcome.", labels: ["outcome"])
        poster = SignedPoster(url: settings.url, secret: settings.secret, system: "the notifier")
    }

    package var name: String { "notifier" }

    /// A notification was queued: send it now rather than at the next poll.
    package func wake() {
        loop.wake()
    }

    /// Sends until cancelled; then finishes the notification in flight and returns.
    package func run() async {
        await loop.run(every: pollInterval) { [self] in await sendDue() }
        poster.close()
    }

    private var isStopping: Bool { loop.isStopping }

    /// Sends what is due; true when the outbox could not be read or updated.
    private func sendDue() async -> Bool {
        do {
            while !isStopping {
                let due = try await database.read { db in try Notifications().due(limit: Self.batch, in: db) }
                for notification in due where !isStopping {
                    let problem = await poster.post(Array(notification.body.utf8))
                    try await record(notification, problem: problem)
                }
                if due.count < Self.batch { return false }
            }
            return false
        } catch {
            logger.error("the notifications outbox could not be read or updated", ["error": .string("\(error)")])
            return true
        }
    }

    private func record(_ notification: PendingNotification, problem: String?) async throws {
        guard let problem else {
            try await database.write { db in try Notifications().delivered(notification.rowID, in: db) }
            outcomes.increment("delivered")
            logger.info("notification delivered", [
                "id": .string(notification.publicID), "kind": .string(notification.kind.rawValue),
            ])
            return
        }
        let delay = Self.backoff.delay(afterAttempt: notification.attempts + 1)
        let next = Date().addingTimeInterval(delay.seconds)
        try await database.write { db in
            try Notifications().failed(notification.rowID, error: problem, next: next, in: db)
        }
        let givenUp = next > notification.giveUpAt
        outcomes.increment(givenUp ? "given_up" : "retry")
        logger.warning("notification not delivered", [
            "id": .string(notification.publicID), "kind": .string(notification.kind.rawValue), "error": .string(problem),
            "given_up": .bool(givenUp),
        ])
    }
}
