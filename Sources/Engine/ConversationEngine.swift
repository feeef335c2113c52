import Commerce
import Dialogue
import Foundation
import NLU
import RateLimits
import Storage
import Synchronization
import Telemetry

/// Everything the engine needs, with the defaults the gateway runs with.
public struct EngineConfiguration: Sendable {
    public var facts: ShopFacts
    public var dialogue: DialogueSettings
    /// Where new order numbers come from (random by default; replays use a fixed sequence).
    public var orderNumbers: @Sendable () -> OrderNumber
    /// Escalations by customer; nil limits nothing.
    public var escalationLimit: RateLimiter?
    /// Orders placed by customer (each holds stock and takes an order number); nil limits nothing.
    public var orderLimit: RateLimiter?

    public init(
        facts: ShopFacts = .demo(), dialogue: DialogueSettings = DialogueSettings(),
        orderNumbers: @escaping @Sendable () -> OrderNumber = { .random() }, escalationLimit: RateLimiter? = nil,
        orderLimit: RateLimiter? = nil
    ) {
        self.orderLimit = orderLimit
        self.facts = facts
        self.dialogue = dialogue
        self.orderNumbers = orderNumbers
        self.escalationLimit = escalationLimit
    }
}

/// The conversation engine: takes a customer message from any channel through identity,
/// understanding and one dialogue step, and commits everything the step leads to (the transcript,
/// the new state, orders, escalations, linked identities, replies for push channels) in one
/// transaction.
///
/// Messages of one conversation are handled strictly in order; different conversations run
/// concurrently: understanding in parallel, and the turns waiting for the writer committed as a
/// group (one transaction and one fsync, a savepoint per turn).
public final class ConversationEngine: Sendable {
    /// The database the engine works in.
    public let database: DatabasePool
    /// The understanding it classifies with (shared with whoever teaches it).
    public let understanding: LanguageUnderstanding
    package let configuration: EngineConfiguration
    package let now: @Sendable () -> Date
    private let catalog: Mutex<CatalogSnapshot>
    /// Products changed by a committed write whose new copy could not be read yet. Held for the
    /// whole of a refresh: that is what keeps refreshes in order.
    private let staleProducts = Mutex<Set<String>>([])
    private let lanes = ConversationLanes()
    let states = StateCache()
    private let metrics: EngineMetrics?
    private let observers = Mutex<[@Sendable (InboundMessage, TurnOutcome) -> Void]>([])
    private let availability = Mutex<AvailabilitySource?>(nil)

    /// Loads the catalog and teaches the understanding its product names.
    public init(
        database: DatabasePool, understanding: LanguageUnderstanding, configuration: EngineConfiguration = EngineConfiguration(),
        metrics: MetricsRegistry? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.database = database
        self.understanding = understanding
        self.configuration = configuration
        self.now = now
        self.metrics = metrics.map(EngineMetrics.init)
        let products = try database.read { db in try Catalog().products(in: db) }
        catalog = Mutex(CatalogSnapshot(products))
        understanding.updateCatalog(Self.terms(products))
    }

    /// Reads the whole catalog again, and teaches the understanding its names, once a change to
    /// it has committed (an import, the shop's new catalog).
    public func reloadCatalog() throws {
        try staleProducts.withLock { stale in
            let products = try database.read { db in try Catalog().products(in: db) }
            catalog.withLock { $0 = CatalogSnapshot(products) }
            understanding.updateCatalog(Self.terms(products))
            stale = []
        }
    }

    /// Reads the products `ids` again, with any an earlier refresh could not read, and puts them
    /// in the catalog the dialogue sees. Call it once the write that changed them has committed.
    /// Refreshes run one at a time, each reading after its own commit, so the copy ends up as the
    /// last commit left the database, whatever order the callers finish in.
    public func refresh(products ids: Set<String>) throws {
        try staleProducts.withLock { stale in
            let wanted = stale.union(ids)
            guard !wanted.isEmpty else { return }
            do {
                let updated = try database.read { db in try wanted.compactMap { try Catalog().product($0, in: db) } }
                catalog.withLock { $0 = $0.replacing(updated) }
                stale = []
            } catch {
                stale = wanted
                throw error
            }
        }
    }

    /// The catalog as the dialogue sees it now.
    public var catalogSnapshot: CatalogSnapshot { catalog.withLock { $0 } }

    /// The shop's words the understanding should know: product names and aliases, and the
    /// colours and sizes of the variants.
    private static func terms(_ products: [Product]) -> CatalogTerms {
        let variants = products.flatMap(\.variants)
        return CatalogTerms(
            products: products.map { ProductName(productID: $0.id, names: [$0.namePL, $0.nameEN] + $0.aliases) },
            colors: variants.map(\.color), sizes: variants.map(\.size))
    }

    /// Handles one message after every earlier message of its conversation.
    public func handle(_ message: InboundMessage) async throws -> TurnOutcome {
        let key = "\(message.storedChannel.rawValue):\(message.thread)"
        return try await lanes.run(key) { [self] in
            let prepared = prepare(message)
            // Planned right here, like the understanding: CPU work on a reader connection of its
            // own (SQLite reads from the page cache). Hopping to the pool's reader queue would put
            // it on the same dispatch thread as the writer.
            let planned = plan(prepared)
            let outcome = try await database.write { db in try self.commit(prepared, plan: planned, in: db) }
            refreshCatalog(after: outcome)
            notify(message, outcome)
            return outcome
        }
    }

    /// Tells `observer` about every turn once it is committed, in each conversation's order (the
    /// human handoff relays customer messages to agents and keeps the queue current from here).
    /// Observers run on the turn's task: they must not block.
    public func observeTurns(_ observer: @escaping @Sendable (InboundMessage, TurnOutcome) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    /// Where the dialogue learns who can take a conversation over (the agents' console); until
    /// set, nothing is said about it.
    public func provideAgentAvailability(_ provider: @escaping @Sendable () -> AgentAvailability) {
        availability.withLock { $0 = AvailabilitySource(current: provider) }
    }

    /// Agents online and escalations waiting now, if known.
    var agentAvailability: AgentAvailability? { availability.withLock { $0 }?.current() }

    /// The provider in a struct of its own: a bare closure in the mutex would be reabstracted on
    /// every `withLock` (its inout value passed to and written back from the generic body), each
    /// time wrapped in two more thunks, so that calling it cost more with every turn (24% of the
    /// server's CPU under the webhook benchmark).
    private struct AvailabilitySource: Sendable {
        let current: @Sendable () -> AgentAvailability
    }

    private func notify(_ message: InboundMessage, _ outcome: TurnOutcome) {
        for observer in observers.withLock({ $0 }) { observer(message, outcome) }
    }

    /// Handles one message on the calling thread (the terminal chat, replays, benchmarks), the
    /// same way as `handle` but with a transaction of its own. The caller keeps one
    /// conversation's messages in order.
    public func handleNow(_ message: InboundMessage) throws -> TurnOutcome {
        let prepared = prepare(message)
        let planned = plan(prepared)
        let outcome = try database.write { db in try commit(prepared, plan: planned, in: db) }
        refreshCatalog(after: outcome)
        notify(message, outcome)
        return outcome
    }

    /// Brings the catalog the dialogue sees up to date with a committed turn's stock changes.
    /// The turn stands whatever happens here: a product that cannot be read now is read again
    /// with the next refresh.
    private func refreshCatalog(after outcome: TurnOutcome) {
        guard !outcome.changedStock.isEmpty else { return }
        do {
            try refresh(products: outcome.changedStock)
        } catch {
            metrics?.catalogRefreshFailed()
        }
    }

    /// Most turns are worked out on a reader, off the writer, which then only writes them
    /// (`TurnPlan`); nil for the others, and when the read fails (the writer then does it all).
    private func plan(_ prepared: PreparedTurn) -> TurnPlan? {
        try? database.read { db in
            var step = TurnCommit(engine: self, prepared: prepared, db: db)
            return try step.plan()
        }
    }

    /// The part of a turn that needs no database: masking secrets, understanding, reading a payload.
    private func prepare(_ message: InboundMessage) -> PreparedTurn {
        let redaction = SensitiveText.redact(message.text)
        let payload = message.payload.flatMap(QuickReply.Payload.init(rawValue:))
        let understood = understanding.understand(redaction.text)
        let turn = Turn(
            text: redaction.text, understanding: understood, payload: payload, secrets: redaction.found.union(message.maskedSecrets),
            attachments: message.attachments, recognitionConfidence: message.recognitionConfidence)
        return PreparedTurn(message: message, turn: turn, started: ContinuousClock.now)
    }

    /// Writes a planned turn if its conversation has not moved since, else runs the whole turn on
    /// the writer (new customers and conversations, orders, escalations, links…).
    private func commit(_ prepared: PreparedTurn, plan: TurnPlan?, in db: Database) throws -> TurnOutcome {
        if let inboxID = prepared.message.inboxID {
            guard try Inbox().isPending(inboxID, in: db) else { throw EngineError.alreadyHandled(inbox: inboxID) }
        }
        let onceID = try prepared.message.onceOnly.map { once in
            let event = NewInboxEvent(dedupKey: once.key, sender: prepared.message.thread, kind: "turn", event: once.event)
            guard let id = try Inbox(now: now).claim(event, channel: prepared.message.storedChannel, in: db) else {
                throw EngineError.repeated(key: once.key)
            }
            return id
        }
        var step = TurnCommit(engine: self, prepared: prepared, db: db)
        let planned = try plan.flatMap { try step.commit($0) }
        let outcome = try planned ?? step.run()
        if let inboxID = prepared.message.inboxID {
            try Inbox(now: now).finish(inboxID, outcome: outcome.replies.isEmpty ? "recorded" : "answered", in: db)
        }
        if let onceID, let once = prepared.message.onceOnly {
            try Inbox(now: now).finish(onceID, outcome: once.record(outcome), in: db)
        }
        metrics?.record(
            outcome, channel: prepared.message.channel.dialogue, planned: planned != nil, duration: ContinuousClock.now - prepared.started)
        return outcome
    }
}

/// Why the engine did not handle a message.
public enum EngineError: Error, Equatable, CustomStringConvertible {
    /// The inbox row of the message was handled before (by an earlier run of the process).
    case alreadyHandled(inbox: Int64)
    /// A message with this once-only key was handled before (its record is in the inbox).
    case repeated(key: String)

    public var description: String {
        switch self {
        case .alreadyHandled(let id): "inbox event \(id) was handled already"
        case .repeated(let key): "a message with key \(key) was handled already"
        }
    }
}

/// A message made ready for its commit.
package struct PreparedTurn: Sendable {
    package let message: InboundMessage
    package let turn: Turn
    package let started: ContinuousClock.Instant

    /// What the transcript keeps of the message.
    var storedText: String { Self.transcriptText(turn.text, attachments: turn.attachments) }

    /// A customer message as a transcript keeps it: its words, and a line per attachment with its
    /// link (a photo of a damaged shoe is evidence an agent needs to see).
    package static func transcriptText(_ text: String, attachments: [Attachment]) -> String {
        guard !attachments.isEmpty else { return text }
        let lines = (text.isEmpty ? [] : [text]) + attachments.map { "[\($0.kind.rawValue)] \($0.url)" }
        return lines.joined(separator: "\n")
    }
}
