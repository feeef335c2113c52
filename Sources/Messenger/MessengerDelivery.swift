import Commerce
import Foundation
import Lifecycle
import Storage
import Synchronization
import Telemetry

/// Delivers the outbox's Messenger replies through the Send API: each exactly once as far as
/// Messenger lets us know, in order per recipient, with retries.
///
/// All state lives in the `outbox` table, so a restart picks up where the last run stopped:
/// a reply is handed out only when it is its recipient's oldest pending one and its next attempt
/// is due; a split reply resumes at its first unsent part. Different recipients are served at
/// once (up to `concurrency`), one recipient strictly one request after the other.
///
/// It is a `Service`: `run()` delivers until cancelled, then lets every request in flight finish
/// and records its result. Database work goes through the pool's async API (its own threads)
/// and HTTP through URLSession, so it only ever suspends Swift's cooperative pool.
public final class MessengerDelivery: Service {
    private struct State {
        var stopping = false
        /// The recipients being sent to, each by one child task of the loop.
        var inFlight: Set<String> = []
        /// When the backlog gauges were last refreshed.
        var backlogRecordedAt: ContinuousClock.Instant?
    }

    /// How often the backlog gauges are refreshed: counting the outbox reads every pending reply,
    /// and a round runs after every turn that queued one (with the Send API down and 40,000
    /// replies waiting, counting after each turn took most of the server's time).
    static let backlogInterval = Duration.seconds(1)

    private let database: DatabasePool

    private let escalated: @Sendable () -> Void
    private let configuration: MessengerSendConfiguration
    private let metrics: MessengerDeliveryMetrics
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let client: SendClient?
    private let signal = WakeSignal()
    private let state = Mutex(State())

    /// A worker for `database`'s outbox; `run()` delivers.
    /// `escalated` is told when a reply given up opened an escalation (the agents' queue changed).
    public init(
        database: DatabasePool, configuration: MessengerSendConfiguration, metrics: MetricsRegistry, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }, escalated: @escaping @Sendable () -> Void = {}
    ) {
        self.escalated = escalated
        self.database = database
        self.configuration = configuration
        self.metrics = MessengerDeliveryMetrics(metrics)
        self.logger = logger.with(["component": "messenger-delivery"])
        self.now = now
        client = configuration.pageToken.flatMap { token in
            SendClient(
                apiBase: configuration.apiBase, pageToken: token, timeout: configuration.requestTimeout,
                connections: configuration.concurrency)
        }
    }

    public var name: String { "messenger-delivery" }

    /// Delivers until cancelled; then stops taking replies, lets every request in flight finish
    /// and records its result, and returns. A split reply stops after its current part and
    /// resumes there next time.
    public func run() async {
        if configuration.pageToken == nil {
            logger.warning("no Messenger page token: replies stay in the outbox until one is configured")
        } else if client == nil {
            logger.error("the Send API base is not a URL: replies stay in the outbox", [
                "api_base": .string(configuration.apiBase),
            ])
        }
        await withGracefulStop({ [self] in await deliverUntilStopped() }, stop: { [self] in
            state.withLock { $0.stopping = true }
            signal.fire()
        })
        client?.close()
    }

    /// New replies were queued: look at the outbox soon. Calls close together cost one look.
    public func wake() {
        signal.fire()
    }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    private func deliverUntilStopped() async {
        await withDiscardingTaskGroup { sends in
            var failures = FailureStreak()
            while !isStopping {
                let (pause, failed) = await round(sends: &sends)
                if let backoff = failures.record(failed: failed) { await Lifecycle.pause(for: backoff) { isStopping } }
                await signal.wait(upTo: pause)
            }
        }
    }

    /// Starts the replies that are due on free recipients and refreshes the backlog metrics;
    /// returns how long to wait before the next round if nothing wakes the loop earlier, and
    /// whether the outbox could not be read.
    private func round(sends: inout DiscardingTaskGroup) async -> (pause: Duration, failed: Bool) {
        var pause = configuration.pollInterval
        do {
            if let client { pause = try await startDueReplies(with: client, sends: &sends) }
            if backlogIsDue() {
                let backlog = try await database.read { db in try Outbox().backlog(in: db) }
                metrics.record(backlog, at: now())
            }
        } catch {
            logger.error("reading the outbox failed", ["error": .string(String(describing: error))])
            return (pause, true)
        }
        return (pause, false)
    }

    /// Whether the backlog gauges are due for a refresh (and, if so, notes that they are refreshed now).
    private func backlogIsDue() -> Bool {
        let current = ContinuousClock.now
        return state.withLock { state in
            if let last = state.backlogRecordedAt, current - last < Self.backlogInterval { return false }
            state.backlogRecordedAt = current
            return true
        }
    }

    private func startDueReplies(with client: SendClient, sends: inout DiscardingTaskGroup) async throws -> Duration {
        let busy = state.withLock { $0.inFlight }
        let capacity = configuration.concurrency - busy.count
        guard capacity > 0 else { return configuration.pollInterval }
        let heads = try await database.read { [busy] db in
            try Outbox().heads(channel: .messenger, limit: capacity + busy.count + 1, in: db)
        }
        let current = now()
        var started = 0
        for item in heads where !busy.contains(item.recipient) {
            guard item.nextAttemptAt <= current else {
                return min(configuration.pollInterval, .seconds(item.nextAttemptAt.timeIntervalSince(current)))
            }
            guard started < capacity else { break }
            launch(item, with: client, in: &sends)
            started += 1
        }
        return configuration.pollInterval
    }

    /// Sends `item` in a child task of its own; the recipient counts as busy until its result is
    /// stored.
    private func launch(_ item: OutboxItem, with client: SendClient, in sends: inout DiscardingTaskGroup) {
        let launched = state.withLock { current in
            guard !current.stopping else { return false }
            current.inFlight.insert(item.recipient)
            return true
        }
        guard launched else { return }
        sends.addTask { [self] in
            await deliver(item, with: client)
            state.withLock { _ = $0.inFlight.remove(item.recipient) }
            signal.fire()
        }
    }

    /// Sends the parts of `item` that are not sent yet, in order, recording each; stops at the
    /// first failure (after scheduling a retry or giving up) or after a part when stopping.
    private func deliver(_ item: OutboxItem, with client: SendClient) async {
        let plan = SendPlan(item: item, now: now())
        var sent = min(item.partsSent, plan.parts.count)
        do {
            if sent == plan.parts.count {
                try await record(sent: item, parts: sent, messageID: item.platformMessageID ?? "")
                return
            }
            while sent < plan.parts.count {
                switch await client.send(plan.request(part: sent)) {
                case .sent(let messageID):
                    sent += 1
                    try await record(sent: item, parts: sent, messageID: messageID, complete: sent == plan.parts.count)
                    if isStopping { return }
                case .failed(let failure):
                    metrics.record(failure)
                    try await handle(failure, of: item, previousError: sent > item.partsSent ? nil : item.lastError)
                    return
                }
            }
        } catch {
            logger.error("recording a Messenger delivery failed", [
                "outbox": .int(Int(item.id)), "error": .string(String(describing: error)),
            ])
        }
    }

    private func record(sent item: OutboxItem, parts: Int, messageID: String, complete: Bool = true) async throws {
        let outbox = Outbox(now: now)
        if complete {
            _ = try await database.write { db in
                try outbox.markSent(item.id, platformMessageID: messageID, partsSent: parts, in: db)
            }
            metrics.record(.sent)
        } else {
            _ = try await database.write { db in
                try outbox.markPartSent(item.id, partsSent: parts, platformMessageID: messageID, in: db)
            }
        }
    }

    /// The priority of an escalation for a reply that could not be delivered (the base of the
    /// rule in docs/DIALOGUE.md; no message of the customer to weigh).
    static let deliveryFailurePriority = 45

    private func handle(_ failure: SendFailure, of item: OutboxItem, previousError: String?) async throws {
        let decision = configuration.retryPolicy.decide(failure, previousAttempts: item.attempts, previousError: previousError)
        switch decision {
        case .retry(let delay):
            let next = now().addingTimeInterval(delay.seconds)
            _ = try await database.write { [now] db in
                try Outbox(now: now).scheduleRetry(item.id, at: next, error: failure.record, in: db)
            }
            metrics.record(.retried)
            logger.debug("a Messenger reply will be retried", [
                "outbox": .int(Int(item.id)), "error": .string(failure.record), "attempt": .int(item.attempts + 1),
            ])
        case .giveUp(let reason):
            let escalates = !failure.rejectsPageToken
            let opened = try await database.write { [now] db -> Bool in
                guard try Outbox(now: now).markFailed(item.id, error: reason, in: db) else { return false }
                try Conversations(now: now).append(
                    .reply("Messenger: reply not delivered (\(reason))", from: .system), to: item.conversationID, in: db)
                // A person decides how else to reach the customer; a refused Page token fails
                // everyone's replies and is the operator's to fix, not the queue's.
                guard escalates else { return false }
                _ = try Escalations(now: now).open(
                    conversation: item.conversationID, reason: .deliveryFailure, priority: Self.deliveryFailurePriority,
                    summary: "Odpowiedź na Messengerze nie dotarła (\(reason)): „\(item.text.prefix(200))”", in: db)
                return true
            }
            if opened { escalated() }
            metrics.record(.failed)
            // A refused Page token fails every reply until someone replaces it.
            let level: LogLevel = failure.rejectsPageToken ? .error : .warning
            logger.log(level, "a Messenger reply was given up", [
                "outbox": .int(Int(item.id)), "conversation": .int(Int(item.conversationID)), "error": .string(reason),
                "fbtrace_id": .string(failure.traceID ?? "-"),
            ])
        }
    }
}
