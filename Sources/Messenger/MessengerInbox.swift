import Commerce
import Dialogue
import Engine
import Foundation
import Lifecycle
import Storage
import Synchronization
import Telemetry

/// Works through the Messenger events of the inbox: customer messages and postbacks go to the
/// engine (which marks each handled in the transaction of its turn), receipts, reactions,
/// echoes, standby traffic and handover notices are recorded or ignored, never answered.
///
/// Events of one customer are handled strictly in the order they arrived; different customers
/// concurrently. At start it takes up what an earlier process acknowledged but did not finish.
final class MessengerInbox: Service {
    private let engine: ConversationEngine
    private let logger: Logger
    private let repliesQueued: @Sendable () -> Void
    private let signals: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation
    private let failures = Mutex<[Int64: Int]>([:])
    private let stopping = Atomic<Bool>(false)
    private let pendingDepth: Gauge
    private let oldestPendingAge: Gauge

    /// Attempts at an event whose handling fails (a full disk, say) before it is set aside as failed.
    static let attemptsPerEvent = 5
    /// Pending events read from the inbox at a time.
    static let batchSize = 256

    package init(engine: ConversationEngine, logger: Logger, metrics: MetricsRegistry, repliesQueued: @escaping @Sendable () -> Void) {
        self.engine = engine
        self.logger = logger
        self.repliesQueued = repliesQueued
        (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        pendingDepth = metrics.gauge(
            "orderbot_inbox_depth", help: "Channel events acknowledged and not handled yet", labels: ["channel"])
        oldestPendingAge = metrics.gauge(
            "orderbot_inbox_oldest_age_seconds",
            help: "How long the oldest event not handled yet has waited since it was acknowledged (the lag)", labels: ["channel"])
    }

    private var database: DatabasePool { engine.database }

    package var name: String { "messenger-inbox" }

    /// Works until cancelled, beginning with whatever the inbox already holds; then finishes the
    /// events being handled and returns. Events left are taken up at the next start.
    package func run() async {
        signal.yield()
        await withGracefulStop({ [self] in
            for await _ in signals { await drain() }
        }, stop: { [self] in
            stopping.store(true, ordering: .relaxed)
            signal.finish()
        })
    }

    /// New events were accepted.
    package func wake() {
        signal.yield()
    }

    /// How long the worker waits after a round in which no event could be finished (the database
    /// failing, say, even at marking an event failed): doubling from a quarter second to 30 s, so
    /// a full disk is not hammered in a loop.
    static let stalledBackoff = Backoff(baseDelay: .milliseconds(250), maxDelay: .seconds(30))

    /// Handles pending events until none is left (or only ones that keep failing).
    private func drain() async {
        var depthCountedAt = Date.distantPast
        var stalledRounds = 0
        while !stopping.load(ordering: .relaxed) {
            let batch: [InboxEvent]
            do {
                batch = try await database.read { db in try Inbox().pending(channel: .messenger, limit: Self.batchSize, in: db) }
                try await recordBacklog(batch, countedAt: &depthCountedAt)
            } catch {
                logger.error("cannot read the inbox", ["error": .string(String(describing: error))])
                return
            }
            guard !batch.isEmpty else { return }
            var bySender: [String: [InboxEvent]] = [:]
            var senders: [String] = []
            for event in batch {
                if bySender[event.sender] == nil { senders.append(event.sender) }
                bySender[event.sender, default: []].append(event)
            }
            let progressed = await withTaskGroup(of: Bool.self) { group in
                for sender in senders {
                    let events = bySender[sender] ?? []
                    group.addTask { await self.handleInOrder(events) }
                }
                return await group.reduce(false) { $0 || $1 }
            }
            stalledRounds = progressed ? 0 : stalledRounds + 1
            if stalledRounds > 0 {
                await pause(for: Self.stalledBackoff.delay(afterAttempt: stalledRounds, random: { $0.upperBound })) {
                    stopping.load(ordering: .relaxed)
                }
            }
        }
    }

    /// Sets the depth and lag gauges from a batch of pending events (oldest first). A batch shorter
    /// than `batchSize` is the whole backlog; behind a full one the events are counted, at most once
    /// a second, since counting a long backlog takes a while.
    private func recordBacklog(_ batch: [InboxEvent], countedAt: inout Date) async throws {
        let now = Date()  // the webhook stamps `received_at` with the wall clock too
        oldestPendingAge.set(batch.first.map { max(0, now.timeIntervalSince($0.receivedAt)) } ?? 0, "messenger")
        if batch.count < Self.batchSize {
            pendingDepth.set(Double(batch.count), "messenger")
        } else if now.timeIntervalSince(countedAt) >= 1 {
            countedAt = now
            let depth = try await database.read { db in try Inbox().depth(channel: .messenger, in: db) }
            pendingDepth.set(Double(depth), "messenger")
        }
    }

    /// Handles one customer's events in order; stops at one that fails, so none overtakes it.
    /// Returns whether any event was finished.
    private func handleInOrder(_ events: [InboxEvent]) async -> Bool {
        var progressed = false
        for event in events where !stopping.load(ordering: .relaxed) {
            do {
                try await handle(event)
                progressed = true
            } catch EngineError.alreadyHandled {
                progressed = true
            } catch {
                progressed = await setAsideIfHopeless(event, error: error) || progressed
                return progressed
            }
        }
        return progressed
    }

    private func handle(_ row: InboxEvent) async throws {
        guard let event = MessengerEvent(inbox: row) else {
            try await finish(row, status: .failed, outcome: "failed: the stored event cannot be read")
            return
        }
        switch event.kind {
        case .message, .postback:
            let outcome = try await engine.handle(MessengerTranslation.inbound(event, inboxID: row.id))
            if !outcome.replies.isEmpty { repliesQueued() }
        case .echo, .delivery, .read, .reaction, .other:
            try await finish(row, outcome: MessengerTranslation.outcome(of: event))
        case .standby:
            try await database.write { db in
                try MessengerTranslation.recordStandby(event, in: db, now: self.engine.now)
                _ = try Inbox(now: self.engine.now).finish(row.id, outcome: MessengerTranslation.outcome(of: event), in: db)
            }
        case .threadPassed, .threadTaken, .threadRequested:
            try await database.write { db in
                try MessengerTranslation.recordHandover(event, in: db, now: self.engine.now)
                _ = try Inbox(now: self.engine.now).finish(row.id, outcome: MessengerTranslation.outcome(of: event), in: db)
            }
        }
    }

    private func finish(_ row: InboxEvent, status: InboxStatus = .done, outcome: String) async throws {
        try await database.write { db in
            _ = try Inbox(now: self.engine.now).finish(row.id, status: status, outcome: outcome, in: db)
        }
    }

    /// Counts a failure of `event`; after `attemptsPerEvent` of them marks it failed so the
    /// customer's later events go on. Returns whether it was set aside.
    private func setAsideIfHopeless(_ event: InboxEvent, error: any Error) async -> Bool {
        let attempts = failures.withLock { failures in
            failures[event.id, default: 0] += 1
            return failures[event.id] ?? 0
        }
        logger.warning("a messenger event failed", [
            "inbox_id": .int(Int(event.id)), "attempt": .int(attempts), "error": .string(String(describing: error)),
        ])
        guard attempts >= Self.attemptsPerEvent else {
            try? await Task.sleep(for: .milliseconds(200 * attempts))
            return false
        }
        do {
            try await finish(event, status: .failed, outcome: "failed: \(error)")
            failures.withLock { _ = $0.removeValue(forKey: event.id) }
            return true
        } catch {
            return false
        }
    }
}
