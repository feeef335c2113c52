import Commerce
import Cryptography
import Foundation
import Lifecycle
import Storage
import Synchronization
import Telemetry
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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
    private let session: URLSession
    private let pollInterval: Duration
    private let logger: Logger
    private let outcomes: Counter
    private let signal = WakeSignal()
    private let stopping = Mutex(false)

    package init(database: DatabasePool, settings: NotifierSettings, metrics: MetricsRegistry, logger: Logger,
         pollInterval: Duration = .seconds(1)) {
        self.database = database
        self.settings = settings
        self.pollInterval = pollInterval
        self.logger = logger.with(["component": "notifier"])
        outcomes = metrics.counter(
            "orderbot_notifications_total", help: "Notifications POSTed to the notifier, by outcome.", labels: ["outcome"])
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    package var name: String { "notifier" }

    /// A notification was queued: send it now rather than at the next poll.
    package func wake() {
        signal.fire()
    }

    /// Sends until cancelled; then finishes the notification in flight and returns.
    package func run() async {
        await withGracefulStop({ [self] in
            var failures = FailureStreak()
            while !isStopping {
                let failed = await sendDue()
                if let backoff = failures.record(failed: failed) { await pause(for: backoff) { isStopping } }
                await signal.wait(upTo: pollInterval)
            }
        }, stop: { [self] in
            stopping.withLock { $0 = true }
            signal.fire()
        })
        session.finishTasksAndInvalidate()
    }

    private var isStopping: Bool { stopping.withLock { $0 } }

    /// Sends what is due; true when the outbox could not be read or updated.
    private func sendDue() async -> Bool {
        do {
            while !isStopping {
                let due = try await database.read { db in try Notifications().due(limit: Self.batch, in: db) }
                for notification in due where !isStopping {
                    let problem = await post(notification)
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

    /// POSTs one notification; nil when the notifier took it, else what went wrong.
    private func post(_ notification: PendingNotification) async -> String? {
        var request = URLRequest(url: settings.url, timeoutInterval: 10)
        request.httpMethod = "POST"
        let body = Array(notification.body.utf8)
        request.httpBody = Data(body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let signature = HMACSHA256.authenticationCode(key: Array(settings.secret.utf8), message: body)
        request.setValue("sha256=" + Hex.encode(signature), forHTTPHeaderField: "X-OrderBot-Signature")
        do {
            let (_, response) = try await session.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            return (200..<300).contains(status) ? nil : "the notifier answered \(status)"
        } catch {
            return "the notifier could not be reached (\((error as NSError).code))"
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
