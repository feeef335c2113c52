import Commerce
import Dialogue
import Engine
import Foundation
import Lifecycle
import NLU
import ReadAPI
import Storage
import Synchronization
import Telemetry
import WebServer
import Wire

/// The agents connected to the console, and everything between them, the queue and the
/// customers: claims (one agent wins), replies through the customer's own channel, customer
/// messages relayed as they arrive, corrections the classifier learns, hand-backs to the bot,
/// and claims returned to the queue when an agent stays away longer than the grace period.
/// An agent disabled while signed in loses every console (closed with 4403) and every claim at
/// once: the hub looks at the agents' table every `agentCheckInterval`, and every frame is
/// checked against it too.
///
/// The hub reaches customers only through `ChannelDirectory` (the channel seam). It is a
/// `Service`: `run()` sends the queue to every console whenever `queueChanges` fires (an
/// escalation opened in a turn or by a channel's worker), returns claims when their grace
/// period is over, and revokes disabled agents.
///
/// The database is the truth (escalation status, agent, messages); this keeps only who is
/// connected, so every decision that can race (a claim) is one write on the single writer.
package final class HandoffHub: Service {
    private struct Session {
        let agent: String
        let connection: WebSocketConnection
        /// How many items of each status this console is sent (it asks for more with `queue_more`).
        var queueLimit = HandoffQueue.pageSize
    }

    private struct State {
        var sessions: [UInt64: Session] = [:]
        /// Agents gone from every console, with when their claims go back to the queue.
        var leaving: [String: ContinuousClock.Instant] = [:]
        /// Open escalations at the last look at the queue.
        var waiting = 0
        /// Releases of claims that failed in a row (the database unwritable): each is tried
        /// again later, after a longer pause.
        var failedReleases = FailureStreak(backoff: Backoff(baseDelay: .seconds(1), maxDelay: .seconds(60)))
    }

    let database: DatabasePool
    private let facts: ShopFacts
    private let understanding: LanguageUnderstanding
    private let channels: ChannelDirectory
    private let graceSeconds: Double
    private let metrics: HandoffMetrics
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let state = Mutex(State())
    /// Queue frames are read and sent one after another, so a console never gets an older queue
    /// after a newer one.
    private let queueLane = ConversationLanes()
    /// Fired whenever the queue changed: the hub then sends it to every console.
    private let queueChanges: WakeSignal
    /// Fired when an agent starts their grace period, so the timers are looked at again.
    private let timersChanged = WakeSignal()
    private let agentCheckInterval: Duration

    package init(
        database: DatabasePool, facts: ShopFacts, understanding: LanguageUnderstanding, channels: ChannelDirectory,
        queueChanges: WakeSignal, graceSeconds: Double, metrics: MetricsRegistry, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }, agentCheckInterval: Duration
    ) {
        self.database = database
        self.facts = facts
        self.understanding = understanding
        self.channels = channels
        self.queueChanges = queueChanges
        self.graceSeconds = graceSeconds
        self.metrics = HandoffMetrics(metrics)
        self.logger = logger
        self.now = now
        self.agentCheckInterval = agentCheckInterval
        metrics.sampledGauge("orderbot_agents_connected", help: "Agent consoles connected") { [weak self] in
            Double(self?.state.withLock { $0.sessions.count } ?? 0)
        }
    }

    /// Agents online and escalations waiting, for what the dialogue tells a customer handed over.
    package var availability: AgentAvailability {
        state.withLock { AgentAvailability(online: Set($0.sessions.values.map(\.agent)).count, waiting: $0.waiting) }
    }

    package var name: String { "handoff" }

    /// Until cancelled: sends the queue to every console when it changed, returns the claims of
    /// agents whose grace period is over, and revokes agents disabled meanwhile.
    package func run() async {
        await countWaiting()
        await withDiscardingTaskGroup { loops in
            loops.addTask { [self] in
                while !Task.isCancelled {
                    await queueChanges.wait(upTo: .seconds(3_600))
                    guard !Task.isCancelled else { return }
                    await broadcastQueue()
                }
            }
            loops.addTask { [self] in
                var nextAgentCheck = ContinuousClock.now + agentCheckInterval
                while !Task.isCancelled {
                    let nextDeadline = state.withLock { $0.leaving.values.min() }
                    await timersChanged.wait(upTo: min(nextAgentCheck, nextDeadline ?? nextAgentCheck) - .now)
                    guard !Task.isCancelled else { return }
                    await releaseOverdueClaims()
                    if ContinuousClock.now >= nextAgentCheck {
                        await revokeDisabledAgents()
                        nextAgentCheck = .now + agentCheckInterval
                    }
                }
            }
        }
    }

    /// The queue changed outside the hub (an escalation opened by a turn or a channel's worker):
    /// the consoles get it soon.
    func queueChanged() {
        queueChanges.fire()
    }

    /// Counts the open escalations (at start; afterwards every look at the queue does).
    private func countWaiting() async {
        let waiting = (try? await database.read { db in
            try Escalations().count(status: .open, in: db)
        }) ?? nil
        state.withLock { $0.waiting = waiting ?? 0 }
    }

    /// Agents connected now, by name.
    var connectedAgents: Set<String> { state.withLock { Set($0.sessions.values.map(\.agent)) } }

    // MARK: - Console connections

    /// An authenticated console: `ready`, then the queue.
    func join(_ connection: WebSocketConnection, agent: String) async {
        state.withLock { state in
            state.sessions[connection.id] = Session(agent: agent, connection: connection)
            _ = state.leaving.removeValue(forKey: agent)
        }
        connection.send(AgentFrame.ready(agent: agent))
        await inQueueOrder(limit: HandoffQueue.pageSize) { page in connection.send(HandoffQueue.frame(page)) }
        logger.info("agent connected", ["agent": .string(agent)])
    }

    /// A console closed; when it was the agent's last, their claims go back to the queue after
    /// the grace period unless they come back.
    func leave(_ connection: WebSocketConnection) {
        let gone = state.withLock { state -> String? in
            guard let session = state.sessions.removeValue(forKey: connection.id) else { return nil }
            return state.sessions.values.contains { $0.agent == session.agent } ? nil : session.agent
        }
        guard let gone else { return }
        let deadline = ContinuousClock.now + .seconds(graceSeconds)
        state.withLock { $0.leaving[gone] = deadline }
        timersChanged.fire()
    }

    /// Returns the claims of the agents whose grace period is over.
    private func releaseOverdueClaims() async {
        let now = ContinuousClock.now
        let overdue = state.withLock { state in state.leaving.filter { $0.value <= now }.map(\.key) }
        for agent in overdue { await releaseClaims(of: agent, because: "stayed away") }
    }

    // MARK: - Disabled agents

    /// Whether a signed-in console may act on its next frame.
    enum ConsoleStanding: Equatable {
        /// Still signed in, and the agent is enabled.
        case active
        /// Closed with 4403 (now or before): the agent was disabled.
        case revoked
        /// The agent's standing could not be read; the frame must not be acted on.
        case unknown
    }

    /// The standing of `agent`'s console `connection` before it acts on a frame: a console
    /// revoked already, or whose agent is disabled now (then revoked here), may not act.
    func standing(of agent: String, on connection: WebSocketConnection) async -> ConsoleStanding {
        guard state.withLock({ $0.sessions[connection.id] != nil }) else { return .revoked }
        let enabled: Bool
        do {
            enabled = try await database.read { db in try Agents().find(named: agent, in: db)?.enabled == true }
        } catch {
            logger.error("cannot read an agent's standing", ["agent": .string(agent), "error": .string("\(error)")])
            return .unknown
        }
        guard !enabled else { return .active }
        await revoke(agent)
        return .revoked
    }

    /// Revokes every agent the hub knows (consoles open, or claims kept for the grace period)
    /// who is disabled in the database. Reads nothing while it knows nobody.
    func revokeDisabledAgents() async {
        let known = state.withLock { Set($0.sessions.values.map(\.agent)).union($0.leaving.keys) }
        guard !known.isEmpty else { return }
        do {
            let disabled = try await database.read { db in try Agents().list(in: db).filter { !$0.enabled }.map(\.name) }
            for agent in known.intersection(disabled) { await revoke(agent) }
        } catch {
            logger.error("cannot read which agents are disabled", ["error": .string("\(error)")])
        }
    }

    /// A disabled agent: their claims go back to the queue at once, with no grace period, then
    /// each of their consoles gets `error{agent_disabled}` and is closed with 4403.
    private func revoke(_ agent: String) async {
        let revoked = state.withLock { state in
            let revoked = state.sessions.values.filter { $0.agent == agent }
            for session in revoked { state.sessions.removeValue(forKey: session.connection.id) }
            _ = state.leaving.removeValue(forKey: agent)
            return revoked
        }
        await releaseClaims(of: agent, because: "disabled")
        for session in revoked {
            metrics.refused.increment(AgentConsole.disabledCode)
            session.connection.send(AgentFrame.error(AgentConsole.disabledCode, "This agent was disabled; the console is closed."))
            session.connection.close(AgentConsole.disabled, reason: "agent disabled")
        }
        if !revoked.isEmpty {
            logger.info("agent disabled: consoles closed", ["agent": .string(agent), "consoles": .int(revoked.count)])
        }
    }

    private func releaseClaims(of agent: String, because reason: String) async {
        state.withLock { _ = $0.leaving.removeValue(forKey: agent) }
        guard !connectedAgents.contains(agent) else { return }
        do {
            let released = try await database.write { [now] db in
                let ids = try Escalations().held(by: agent, in: db)
                for id in ids { _ = try Escalations(now: now).release(id, in: db) }
                return ids
            }
            state.withLock { _ = $0.failedReleases.record(failed: false) }
            guard !released.isEmpty else { return }
            logger.info("claims back in the queue", [
                "agent": .string(agent), "reason": .string(reason), "count": .int(released.count),
            ])
            await broadcastQueue()
        } catch {
            // Tried again after a pause (the agent may come back meanwhile, and keep them).
            let retry = state.withLock { state -> Duration in
                let pause = state.failedReleases.record(failed: true) ?? .seconds(1)
                state.leaving[agent] = .now + pause
                return pause
            }
            logger.error("could not return an agent's claims to the queue; trying again", [
                "agent": .string(agent), "error": .string("\(error)"), "retry_in_s": .double(retry.seconds),
            ])
        }
    }

    // MARK: - Requests

    /// One request of an authenticated agent; what goes wrong is answered with `error{…}`.
    func handle(_ request: AgentRequest, from connection: WebSocketConnection, agent: String) async {
        do {
            switch request {
            case .auth: throw HandoffError.alreadyAuthenticated
            case .claim(let id): try await claim(id, by: agent, on: connection)
            case .send(let conversation, let text): try await send(text, to: conversation, by: agent, on: connection)
            case .label(let message, let intent): try await label(message, as: intent, by: agent, on: connection)
            case .resolve(let id, let returnToBot): try await resolve(id, returnToBot: returnToBot, by: agent, on: connection)
            case .linkCustomer(let conversation, let customer):
                try await link(conversation, to: customer, by: agent, on: connection)
            case .queueMore:
                await showMoreQueue(on: connection)
            }
        } catch let refusal as HandoffError {
            metrics.refused.increment(refusal.code)
            connection.send(AgentFrame.error(refusal.code, refusal.message))
        } catch {
            logger.error("agent request failed", ["agent": .string(agent), "error": .string("\(error)")])
            connection.send(AgentFrame.error("internal_error", "The request could not be carried out; try again."))
        }
    }

    private func claim(_ id: Int64, by agent: String, on connection: WebSocketConnection) async throws {
        let claimed = try await database.write { [now] db -> Escalation in
            guard let escalation = try Escalations().find(id, in: db) else { throw HandoffError.unknownEscalation(id) }
            switch escalation.status {
            case .resolved: throw HandoffError.resolved(id)
            case .assigned where escalation.agent == agent: return escalation
            case .assigned: throw HandoffError.alreadyClaimed(id, by: escalation.agent ?? "another agent")
            case .open: return try Escalations(now: now).assign(id, to: agent, in: db)
            }
        }
        metrics.claims.increment()
        metrics.timeToClaim.observe(max(0, now().timeIntervalSince(claimed.createdAt)))
        connection.send(try await assignedFrame(claimed))
        await tellCustomer(.agentJoined(agent), conversation: claimed.conversationID)
        await broadcastQueue()
    }

    /// Tells the customer of `conversation`, through its own channel, who answers now.
    private func tellCustomer(_ change: HandoffChange, conversation conversationID: Int64) async {
        let stored = try? await database.read { db in try Conversations().find(conversationID, in: db)?.channel }
        guard let stored = stored ?? nil else { return }
        await channels[stored]?.handoffChanged(change, conversation: conversationID)
    }

    private func send(_ text: String, to conversationID: Int64, by agent: String, on connection: WebSocketConnection) async throws {
        let (channel, message) = try await database.write { [now] db -> (ConversationChannel, Message) in
            guard try Escalations().held(conversation: conversationID, by: agent, in: db) != nil,
                  let conversation = try Conversations().find(conversationID, in: db)
            else { throw HandoffError.notAssigned(conversationID) }
            guard self.channels[conversation.channel]?.carriesTypedText == true else {
                throw HandoffError.callTransferred(conversationID)
            }
            let message = try Conversations(now: now).append(.reply(text, from: .agent), to: conversationID, in: db)
            try Outbox(now: now).enqueue(
                conversation: conversationID, channel: conversation.channel, recipient: conversation.externalID ?? "",
                author: .agent, text: text, in: db)
            return (conversation.channel, message)
        }
        metrics.agentMessages.increment(channel.rawValue)
        channels[channel]?.repliesQueued(conversation: conversationID)
        connection.send(AgentFrame.sent(message))
    }

    private func label(_ messageID: Int64, as name: String, by agent: String, on connection: WebSocketConnection) async throws {
        guard let intent = Intent(rawValue: name) else { throw HandoffError.unknownIntent(name) }
        let example = try await database.write { [now] db -> TrainingExample in
            let label = try IntentLabels(now: now).record(messageID: messageID, intent: intent.rawValue, agent: agent, in: db)
            return TrainingExample(text: label.text, intent: intent, language: Language(rawValue: label.language) ?? .polish)
        }
        understanding.learn(example)
        metrics.labels.increment()
        connection.send(#"{"type":"labelled","message_id":\#(messageID),"intent":"# + JSONText.quoted(intent.rawValue) + "}")
    }

    private func resolve(_ id: Int64, returnToBot: Bool, by agent: String, on connection: WebSocketConnection) async throws {
        let resolved = try await database.write { [now] db -> Escalation in
            guard let escalation = try Escalations().find(id, in: db) else { throw HandoffError.unknownEscalation(id) }
            guard escalation.status != .resolved else { throw HandoffError.resolved(id) }
            if escalation.status == .assigned, escalation.agent != agent {
                throw HandoffError.alreadyClaimed(id, by: escalation.agent ?? "another agent")
            }
            return try Escalations(now: now).resolve(id, as: returnToBot ? .returnedToBot : .closed, in: db)
        }
        metrics.timeToResolve.observe(max(0, now().timeIntervalSince(resolved.createdAt)))
        connection.send(#"{"type":"resolved","escalation_id":\#(id),"return_to_bot":\#(returnToBot)}"#)
        if returnToBot {
            await tellCustomer(.returnedToBot, conversation: resolved.conversationID)
        }
        await broadcastQueue()
    }

    /// An agent holding the conversation links its customer with another record on purpose; the
    /// merge records the agent. The console gets `customer_linked{…}` and the conversation's
    /// `assigned{…}` again, with the merged record.
    private func link(_ conversationID: Int64, to customerID: Int64, by agent: String, on connection: WebSocketConnection)
        async throws {
        let (escalation, outcome) = try await database.write { [now] db -> (Escalation, LinkOutcome) in
            guard let held = try Escalations().held(conversation: conversationID, by: agent, in: db),
                  let conversation = try Conversations().find(conversationID, in: db)
            else { throw HandoffError.notAssigned(conversationID) }
            let outcome: LinkOutcome
            do {
                outcome = try Customers(now: now).merge(conversation.customerID, customerID, because: .agent(agent), in: db)
            } catch CommerceError.unknownCustomer {
                throw HandoffError.unknownCustomer(customerID)
            }
            guard let escalation = try Escalations().find(held.id, in: db) else { throw HandoffError.unknownEscalation(held.id) }
            return (escalation, outcome)
        }
        logger.info("customer records linked by an agent", [
            "agent": .string(agent), "conversation": .int(Int(conversationID)), "customer": .int(Int(outcome.customerID)),
        ])
        connection.send(#"{"type":"customer_linked","conversation_id":\#(conversationID),"customer_id":\#(outcome.customerID)}"#)
        connection.send(try await assignedFrame(escalation))
    }

    // MARK: - Customers' turns

    /// After every committed turn (on the conversation's lane, so in its order): a new
    /// escalation changes the queue; a message in a conversation a person has goes to the agent
    /// holding it, at once, so an agent reads a customer's messages in the order they were sent.
    package func turnCommitted(_ message: InboundMessage, _ outcome: TurnOutcome) {
        if let escalation = outcome.escalation, escalation.status == .open {
            metrics.escalations.increment(escalation.reason.rawValue)
            queueChanges.fire()
        }
        guard outcome.mode == .human, outcome.escalation == nil else { return }
        relay(message, outcome)
    }

    private func relay(_ message: InboundMessage, _ outcome: TurnOutcome) {
        let holder = try? database.read { db in
            try Escalations().holder(ofConversation: outcome.conversationID, in: db)
        }
        guard let agent = holder else { return }
        let frame = AgentFrame.customerMessage(
            conversationID: outcome.conversationID, messageID: outcome.messageID, text: outcome.understanding.text,
            channel: message.storedChannel.rawValue, intent: outcome.understanding.intent.rawValue,
            confidence: outcome.understanding.confidence)
        for session in state.withLock({ Array($0.sessions.values) }) where session.agent == agent {
            session.connection.send(frame)
        }
    }

    // MARK: - Frames

    /// The queue to every connected console.
    func broadcastQueue() async {
        let limit = state.withLock { $0.sessions.values.map(\.queueLimit).max() ?? HandoffQueue.pageSize }
        await inQueueOrder(limit: limit) { page in
            var frames: [Int: String] = [:]
            for session in self.state.withLock({ Array($0.sessions.values) }) {
                let frame = frames[session.queueLimit] ?? HandoffQueue.frame(page.first(session.queueLimit))
                frames[session.queueLimit] = frame
                session.connection.send(frame)
            }
        }
    }

    /// `queue_more`: the console gets a longer page of the queue, up to the largest page.
    private func showMoreQueue(on connection: WebSocketConnection) async {
        let limit = state.withLock { state -> Int in
            let current = state.sessions[connection.id]?.queueLimit ?? HandoffQueue.pageSize
            let next = min(HandoffQueue.maximumPageSize, current + HandoffQueue.pageSize)
            state.sessions[connection.id]?.queueLimit = next
            return next
        }
        await inQueueOrder(limit: limit) { page in connection.send(HandoffQueue.frame(page)) }
    }

    /// Reads a page of the queue (`limit` items of each status) and hands it to `send`, after
    /// every earlier read and send.
    private func inQueueOrder(limit: Int, _ send: @escaping @Sendable (HandoffQueue.Page) -> Void) async {
        _ = try? await queueLane.run("queue") { [self] in
            guard let page = try? await database.read({ [now] db in try HandoffQueue.page(limit: limit, at: now(), in: db) }) else {
                return
            }
            metrics.record(page)
            state.withLock { $0.waiting = page.openTotal }
            send(page)
        }
    }

    /// `assigned{escalation_id, conversation_id, customer{…}, history[…]}`: the whole customer
    /// record and every channel's messages, oldest first.
    /// How many of a customer's orders and escalations an `assigned` frame carries.
    static let recordListLimit = 50
    /// At most this many bytes of message text in an `assigned` frame (2,000 messages of 4,000
    /// characters would be far beyond a console's send queue).
    static let historyTextBudget = 1 << 20

    /// The newest of `messages` (oldest first) whose texts fit in `historyTextBudget`.
    static func latest(_ messages: [Message]) -> ArraySlice<Message> {
        var bytes = 0
        var first = messages.endIndex
        while first > messages.startIndex, bytes + messages[first - 1].text.utf8.count <= historyTextBudget {
            first -= 1
            bytes += messages[first].text.utf8.count
        }
        return messages[first...]
    }

    private func assignedFrame(_ escalation: Escalation) async throws -> String {
        struct Body: Encodable {
            let escalationId: Int64
            let conversationId: Int64
            let customer: API.CustomerRecord
            let history: [API.HistoryEntry]
        }
        let body = try await database.read { [facts] db -> Body in
            guard let customer = try Customers().find(escalation.customerID, in: db) else {
                throw HandoffError.unknownEscalation(escalation.id)
            }
            let conversations = try Conversations().conversations(ofCustomer: customer.id, in: db)
            let counts = try Conversations().messageCounts(ofCustomer: customer.id, in: db)
            let channels = Dictionary(conversations.map { ($0.id, $0.channel) }, uniquingKeysWith: { first, _ in first })
            // The latest of each list: a console's frame must stay far below its send queue
            // (4 MiB) whatever a customer's history holds; the read API has the rest.
            let record = API.customer(
                customer, orders: try Orders(facts: facts).orders(ofCustomer: customer.id, limit: Self.recordListLimit, in: db),
                escalations: try Escalations().escalations(ofCustomer: customer.id, limit: Self.recordListLimit, in: db),
                conversations: conversations.map { ($0, counts[$0.id] ?? 0) })
            let messages = Self.latest(try Conversations().messages(ofCustomer: customer.id, limit: 2_000, in: db))
            let history = messages.map { message in
                API.HistoryEntry(message, channel: channels[message.conversationID]?.rawValue ?? message.channel.rawValue)
            }
            return Body(escalationId: escalation.id, conversationId: escalation.conversationID, customer: record, history: history)
        }
        return AgentFrame.typed("assigned", try AgentFrame.encoder.encode(body))
    }
}

extension API {
    /// One message of a customer's history across channels.
    struct HistoryEntry: Encodable, Sendable {
        let messageId: Int64
        let conversationId: Int64
        let channel: String
        let author: String
        let text: String
        let intent: Nullable<String>
        let confidence: Nullable<Double>
        let createdAt: String

        init(_ message: Message, channel: String) {
            messageId = message.id
            conversationId = message.conversationID
            self.channel = channel
            author = message.author.rawValue
            text = message.text
            intent = Nullable(message.intent)
            confidence = Nullable(message.confidence)
            createdAt = API.time(message.createdAt)
        }
    }
}

/// Why an agent's request was refused (sent as `error{code, message}`; nothing changed).
enum HandoffError: Error, Equatable {
    case alreadyAuthenticated
    case unknownEscalation(Int64)
    case alreadyClaimed(Int64, by: String)
    case resolved(Int64)
    case notAssigned(Int64)
    case callTransferred(Int64)
    case unknownIntent(String)
    case unknownCustomer(Int64)

    var code: String {
        switch self {
        case .alreadyAuthenticated: "already_authenticated"
        case .unknownEscalation: "unknown_escalation"
        case .alreadyClaimed: "already_claimed"
        case .resolved: "escalation_resolved"
        case .notAssigned: "not_assigned"
        case .callTransferred: "channel_unavailable"
        case .unknownIntent: "unknown_intent"
        case .unknownCustomer: "unknown_customer"
        }
    }

    var message: String {
        switch self {
        case .alreadyAuthenticated: "This console is signed in already."
        case .unknownEscalation(let id): "There is no escalation \(id)."
        case .alreadyClaimed(let id, let agent): "Escalation \(id) is taken by \(agent)."
        case .resolved(let id): "Escalation \(id) is resolved already."
        case .notAssigned(let id): "Conversation \(id) is not assigned to you: claim its escalation first."
        case .callTransferred(let id): "Conversation \(id) is a phone call put through to the agents' phone queue: answer it there."
        case .unknownIntent(let name): "\"\(name.prefix(40))\" is not an intent (see docs/NLU.md)."
        case .unknownCustomer(let id): "There is no customer \(id) (or it was merged into another record)."
        }
    }
}
