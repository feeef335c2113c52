import Commerce
import NLU
import ShopValues

/// The checks written after a customer message, other than the `<` reply checks.
extension Reading {
    /// A check line other than `<`: `chip`, `intent`, `state`, `order placed`, `stock`…
    mutating func expectation(_ words: [String], _ line: String) throws(TranscriptParseError) -> Expectation {
        let rest = Array(words.dropFirst())
        switch words[0] {
        case "chip": return .chip(try text(rest, line, usage: "chip TITLE-OR-PAYLOAD"))
        case "silent" where rest.isEmpty: return .silent
        case "intent" where rest.count == 1: return .intent(try named(rest[0], as: "intent", Intent.allCases))
        case "state" where rest.count == 1: return .state(rest[0])
        case "mode" where rest.count == 1: return .mode(try named(rest[0], as: "mode", [ConversationMode.bot, .human]))
        case "order": return try orderPlaced(rest, line)
        case "no" where rest == ["order"]: return .noOrder
        case "no" where rest == ["escalation"]: return .noEscalation
        case "stock" where rest.count == 2:
            guard let change = Int(rest[1]) else { throw malformed(line, "stock SKU +N | stock SKU -N") }
            return .stockChanged(sku: rest[0], by: change)
        case "escalation": return try escalation(rest, line)
        case "linked" where rest.count == 1: return .linked(try identity(rest[0], line, "linked IDENTITY"))
        case "claimed" where rest.count == 1: return .claimed(try identity(rest[0], line, "claimed IDENTITY"))
        case "customer" where rest.count == 3 && rest[0] == "same" && rest[1] == "as":
            return .sameCustomer(as: try identity(rest[2], line, "customer same as IDENTITY"))
        case "customer" where rest.count == 3 && rest[0] == "other" && rest[1] == "than":
            return .otherCustomer(than: try identity(rest[2], line, "customer other than IDENTITY"))
        case "said": return .said(try text(rest, line, usage: "said TEXT"))
        case "ssml": return .ssml(try text(rest, line, usage: "ssml TEXT"))
        case "hint": return .hint(try text(rest, line, usage: "hint TEXT"))
        case "twiml": return .twiml(try text(rest, line, usage: "twiml TEXT"))
        case "same" where rest == ["reply"]: return .sameReply
        case "action" where rest == ["listen"]: return .voiceAction(.listen)
        case "action" where rest == ["hangup"]: return .voiceAction(.hangup)
        case "action" where rest.first == "transfer" && rest.count <= 2: return .voiceAction(.transfer(queue: rest.dropFirst().first))
        case "silent", "intent", "state", "mode", "no", "stock", "linked", "claimed", "customer", "same", "action":
            throw malformed(line, Self.usage[words[0]] ?? "see docs/TRANSCRIPTS.md")
        default:
            throw error(.unknownStep(words[0]))
        }
    }

    private static let usage = [
        "silent": "silent", "intent": "intent NAME", "state": "state NAME", "mode": "mode bot | mode human",
        "no": "no order | no escalation", "stock": "stock SKU +N | stock SKU -N", "linked": "linked IDENTITY",
        "claimed": "claimed IDENTITY", "customer": "customer same as IDENTITY | customer other than IDENTITY", "same": "same reply",
        "action": "action listen | action transfer [QUEUE] | action hangup",
    ]

    private func text(_ words: [String], _ line: String, usage: String) throws(TranscriptParseError) -> String {
        let text = words.joined(separator: " ")
        guard !text.isEmpty else { throw malformed(line, usage) }
        try requireDefined(in: text)
        return text
    }

    /// `order placed [total AMOUNT] [as {name}]`.
    private mutating func orderPlaced(_ words: [String], _ line: String) throws(TranscriptParseError) -> Expectation {
        let usage = "order placed [total 698,00 zł] [as {name}]"
        guard words.first == "placed" else { throw malformed(line, usage) }
        var rest = Array(words.dropFirst())
        var capture: String?
        if rest.count >= 2, rest[rest.count - 2] == "as" {
            capture = try define(rest[rest.count - 1], line, usage: usage)
            rest.removeLast(2)
        }
        var total: Money?
        if rest.first == "total" {
            guard let amount = TranscriptValues.money(rest.dropFirst().joined(separator: " ")) else { throw malformed(line, usage) }
            total = amount
        } else if !rest.isEmpty {
            throw malformed(line, usage)
        }
        return .orderPlaced(total: total, capture: capture)
    }

    /// `escalation [REASON] [priority >= N | priority at least N]`.
    private func escalation(_ words: [String], _ line: String) throws(TranscriptParseError) -> Expectation {
        let usage = "escalation [REASON] [priority >= N]"
        var rest = words.first == "opened" ? Array(words.dropFirst()) : words
        var reason: EscalationReason?
        if let first = rest.first, first != "priority" {
            reason = try named(first, as: "escalation reason", EscalationReason.allCases)
            rest.removeFirst()
        }
        guard !rest.isEmpty else { return .escalation(reason, minimumPriority: nil) }
        let bound = rest.dropFirst().joined(separator: " ")
        guard rest[0] == "priority", let prefix = [">= ", "at least "].first(where: bound.hasPrefix),
              let minimum = Int(bound.dropFirst(prefix.count))
        else { throw malformed(line, usage) }
        return .escalation(reason, minimumPriority: minimum)
    }
}
