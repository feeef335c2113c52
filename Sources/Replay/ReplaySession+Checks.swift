import Commerce
import Engine
import Foundation

/// The checks after a turn: each compared with what the turn did.
extension ReplaySession {
    /// Checks one expectation, recording a failure when it does not hold and capturing the
    /// number of a placed order.
    mutating func verify(_ check: Check, _ record: TurnRecord) {
        let expected = (try? Placeholders.fill(check.source, with: variables).get()) ?? check.source
        switch filled(check.expectation) {
        case .failure(let problem):
            fail(check.line, expected: expected, actual: problem.description)
        case .success(let expectation):
            if let actual = mismatch(expectation, record) { fail(check.line, expected: expected, actual: actual) }
        }
        if case .orderPlaced(_, let capture?) = check.expectation, let order = record.outcome?.placedOrder {
            variables[capture] = order.number.digits
        }
    }

    /// The expectation with its placeholders filled in.
    private func filled(_ expectation: Expectation) -> Result<Expectation, ReplayProblem> {
        func fill(_ text: String) -> Result<String, ReplayProblem> {
            Placeholders.fill(text, with: variables).mapError { _ in
                .missingValues(Placeholders.names(in: text).filter { variables[$0] == nil })
            }
        }
        switch expectation {
        case .says(let text): return fill(text).map(Expectation.says)
        case .matches(let pattern): return fill(pattern).map(Expectation.matches)
        case .doesNotSay(let text): return fill(text).map(Expectation.doesNotSay)
        case .chip(let chip): return fill(chip).map(Expectation.chip)
        case .said(let text): return fill(text).map(Expectation.said)
        case .ssml(let text): return fill(text).map(Expectation.ssml)
        case .hint(let text): return fill(text).map(Expectation.hint)
        case .twiml(let text): return fill(text).map(Expectation.twiml)
        case .voiceAction, .sameReply,
             .silent, .intent, .state, .mode, .orderPlaced, .noOrder, .stockChanged, .escalation, .noEscalation, .linked,
             .claimed, .sameCustomer, .otherCustomer:
            return .success(expectation)
        }
    }

    /// A shop's update is checked on what the customer was told: `<`, `<!` and `< /…/` apply.
    private func noticeMismatch(_ expectation: Expectation, _ record: TurnRecord) -> String? {
        switch expectation {
        case .says(let text): record.text.contains(text) ? nil : record.shown
        case .matches(let pattern): record.text.range(of: pattern, options: .regularExpression) != nil ? nil : record.shown
        case .doesNotSay(let text): record.text.contains(text) ? record.shown : nil
        default: "a shop's update is checked only on what the customer was told (<, <!)"
        }
    }

    /// What the turn did instead, when it does not meet `expectation`; nil when it does.
    private func mismatch(_ expectation: Expectation, _ record: TurnRecord) -> String? {
        if let voice = Self.voiceExpectation(expectation) {
            guard let reply = record.voice else { return "not a phone turn (no voice reply)" }
            return voice(reply)
        }
        if record.notice != nil { return noticeMismatch(expectation, record) }
        guard let outcome = record.outcome else { return repeatMismatch(expectation, record) }
        switch expectation {
        case .says(let text):
            return record.text.contains(text) ? nil : record.shown
        case .matches(let pattern):
            return record.text.range(of: pattern, options: .regularExpression) != nil ? nil : record.shown
        case .doesNotSay(let text):
            return record.text.contains(text) ? record.shown : nil
        case .chip(let chip):
            let offered = outcome.replies.flatMap(\.quickReplies)
            return offered.contains { $0.title == chip || $0.payload.rawValue == chip } ? nil : record.shown
        case .silent:
            return outcome.replies.isEmpty ? nil : record.shown
        case .intent(let intent):
            return outcome.understanding.intent == intent ? nil : Self.describeIntent(outcome)
        case .state(let state):
            return outcome.state == state ? nil : "state \(outcome.state)"
        case .mode(let mode):
            return outcome.mode == mode ? nil : "mode \(outcome.mode.rawValue)"
        case .orderPlaced(let total, _):
            guard let order = outcome.placedOrder else { return "no order placed; the bot said: \(record.shown)" }
            return total == nil || total == order.total ? nil : Self.describe(order)
        case .noOrder:
            return outcome.placedOrder.map(Self.describe)
        case .stockChanged(let sku, let change):
            guard let before = record.stockBefore[sku], let after = record.stockAfter[sku] else { return "the catalog has no variant \(sku)" }
            return after - before == change ? nil : "stock of \(sku) changed by \(after - before) (\(before) → \(after))"
        case .escalation(let reason, let minimum):
            guard let escalation = outcome.escalation else { return "no escalation; the bot said: \(record.shown)" }
            let holds = (reason == nil || reason == escalation.reason) && escalation.priority >= (minimum ?? Int.min)
            return holds ? nil : "escalation \(escalation.reason.rawValue) priority \(escalation.priority)"
        case .noEscalation:
            return outcome.escalation.map { "escalation \($0.reason.rawValue) priority \($0.priority)" }
        case .linked(let identity):
            let owner = customer(of: identity)
            guard outcome.linked.isEmpty || owner != customer(outcome.customerID) else { return nil }
            return "linked this turn: \(outcome.linked.count) identities; \(Self.name(identity)) belongs to customer "
                + "\(owner.map(String.init) ?? "none"), the turn's customer is \(outcome.customerID)"
        case .claimed(let identity):
            return outcome.claimed.contains(identity) ? nil
                : "claimed this turn: \(outcome.claimed.map(Self.name).joined(separator: ", ")), not \(Self.name(identity))"
        case .otherCustomer(let identity):
            let owner = customer(of: identity)
            return owner != customer(outcome.customerID) ? nil
                : "the turn's customer is \(outcome.customerID), the one \(Self.name(identity)) leads to"
        case .sameCustomer(let identity):
            let owner = customer(of: identity)
            return owner == customer(outcome.customerID) ? nil
                : "the turn's customer is \(outcome.customerID); \(Self.name(identity)) belongs to \(owner.map(String.init) ?? "no customer")"
        case .said, .ssml, .hint, .twiml, .sameReply, .voiceAction:
            return nil
        }
    }

    /// A check of the voice reply, as a function of it; nil for the other checks.
    private static func voiceExpectation(_ expectation: Expectation) -> ((VoiceRecord) -> String?)? {
        switch expectation {
        case .said(let text): return { $0.said.contains(text) ? nil : $0.shown }
        case .ssml(let text): return { $0.ssml.contains(text) ? nil : "SSML: \($0.ssml)" }
        case .hint(let text): return { $0.hints.contains(text) ? nil : "hints: \($0.hints)" }
        case .twiml(let text): return { ($0.twiml ?? "").contains(text) ? nil : $0.twiml ?? "not a Twilio turn" }
        case .sameReply:
            return { record in
                guard let previous = record.previous else { return "no earlier reply in this call" }
                let same = previous.actions == record.reply.actions && previous.inReplyToSeq == record.reply.inReplyToSeq
                return same ? nil : record.shown
            }
        case .voiceAction(let ending):
            return { record in
                let holds = switch (ending, record.reply.actions.last) {
                case (.listen, .listen?), (.hangup, .hangup?): true
                case (.transfer(let queue), .transfer(let transfer)?): queue == nil || queue == transfer.target.name
                default: false
                }
                return holds ? nil : record.shown
            }
        default: return nil
        }
    }

    /// A check of what a turn did, for a phone turn sent again (which does nothing).
    private func repeatMismatch(_ expectation: Expectation, _ record: TurnRecord) -> String? {
        switch expectation {
        case .noOrder, .noEscalation: return nil
        case .stockChanged(let sku, let change):
            guard let before = record.stockBefore[sku], let after = record.stockAfter[sku] else { return "the catalog has no variant \(sku)" }
            return after - before == change ? nil : "stock of \(sku) changed by \(after - before) (\(before) → \(after))"
        default: return "the turn was sent again and did nothing (only voice checks, no order, no escalation and stock apply)"
        }
    }

    /// The surviving customer with `identity`, or nil.
    private func customer(of identity: Identity) -> Int64? {
        try? engine.database.read { db in try Customers().find(identity, in: db)?.id }
    }

    /// The surviving customer of a customer id (a merged-away id leads to the survivor).
    private func customer(_ id: Int64) -> Int64? {
        try? engine.database.read { db in try Customers().find(id, in: db)?.id }
    }

    private static func name(_ identity: Identity) -> String { "\(identity.channel.rawValue):\(identity.externalID)" }

    private static func describe(_ order: Order) -> String {
        "order \(order.number) placed, total \(order.total.polish)"
    }

    private static func describeIntent(_ outcome: TurnOutcome) -> String {
        let understanding = outcome.understanding
        return "intent \(understanding.intent.rawValue) (confidence \(String(format: "%.2f", understanding.confidence)))"
    }
}
