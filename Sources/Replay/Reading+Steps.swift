import Commerce
import Dialogue
import Foundation
import NLU
import ShopValues

/// The setup lines of a transcript: `clock`, `conversation`, `given`.
extension Reading {
    /// `clock 2026-03-02 10:00` or `clock +31m`.
    func clock(_ words: [String], _ line: String) throws(TranscriptParseError) -> ClockChange {
        let usage = "clock 2026-03-02 10:00 | clock +31m (s, m, h, d; combined like +1h30m)"
        let value = words.dropFirst().joined(separator: " ")
        if let seconds = TranscriptValues.duration(value) { return .advance(seconds) }
        if let moment = TranscriptValues.moment(value) { return .set(moment) }
        throw malformed(line, usage)
    }

    /// `conversation CHANNEL as IDENTITY [thread ID] [language pl|en]`.
    func speaker(_ words: [String], _ line: String) throws(TranscriptParseError) -> Speaker {
        let usage = "conversation CHANNEL as IDENTITY [thread ID] [language pl|en]"
        guard words.count >= 4, words[2] == "as", words.count % 2 == 0 else { throw malformed(line, usage) }
        let channel = try named(words[1], as: "channel", [DialogueChannel.messenger, .web, .voice, .terminal])
        let identity = try identity(words[3], line, usage)
        var thread = identity.externalID
        var language: Language?
        for index in stride(from: 4, to: words.count, by: 2) {
            switch words[index] {
            case "thread": thread = words[index + 1]
            case "language": language = try named(words[index + 1], as: "language", Language.allCases)
            default: throw malformed(line, usage)
            }
        }
        return Speaker(channel: channel, identity: identity, thread: thread, language: language)
    }

    /// `messenger:psid-1`, `phone:+48…`, `web:…`, `email:…`.
    func identity(_ text: String, _ line: String, _ usage: String) throws(TranscriptParseError) -> Identity {
        guard let identity = TranscriptValues.identity(text) else {
            throw malformed(line, usage + " (an IDENTITY is messenger:ID, phone:+48…, web:ID or email:ADDRESS)")
        }
        return identity
    }

    /// `shop order {name} STATUS[; carrier NAME][; tracking NUMBER][; url ADDRESS]`.
    func shopUpdate(_ line: String) throws(TranscriptParseError) -> ShopUpdate {
        let usage = "shop order {name} STATUS[; carrier NAME][; tracking NUMBER][; url ADDRESS]"
        let clauses = line.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let head = clauses[0].split(separator: " ").map(String.init)
        guard head.count == 4, head[1] == "order" else { throw malformed(line, usage) }
        let name = try defined(head[2], line, usage: usage)
        let status = try named(head[3], as: "order status", OrderStatus.allCases)
        var fields: [String: String] = [:]
        for clause in clauses.dropFirst() {
            let parts = clause.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, ["carrier", "tracking", "url"].contains(parts[0]), fields[parts[0]] == nil else {
                throw malformed(line, usage)
            }
            fields[parts[0]] = parts[1]
        }
        return ShopUpdate(
            variable: name, status: status,
            tracking: Tracking.known(carrier: fields["carrier"], number: fields["tracking"], url: fields["url"]))
    }

    /// A `given` line: a customer, an order, an order's status, a variant's stock.
    mutating func given(_ words: [String], _ line: String) throws(TranscriptParseError) -> Given {
        let usage = "given customer IDENTITY… [named NAME] | given order {name} for IDENTITY: SKU [; …] | "
            + "given order {name} STATUS | given stock SKU COUNT"
        guard words.count >= 3 else { throw malformed(line, usage) }
        switch words[1] {
        case "customer": return try givenCustomer(Array(words.dropFirst(2)), line)
        case "order" where words.count == 4 && words[3] != "for":
            let name = try defined(words[2], line, usage: usage)
            return .status(variable: name, try named(words[3], as: "order status", OrderStatus.allCases))
        case "order": return try givenOrder(line)
        case "stock" where words.count == 4:
            guard let count = Int(words[3]), count >= 0 else { throw malformed(line, usage) }
            return .stock(sku: words[2], count)
        default: throw malformed(line, usage)
        }
    }

    private func givenCustomer(_ words: [String], _ line: String) throws(TranscriptParseError) -> Given {
        let usage = "given customer IDENTITY [IDENTITY…] [named NAME]"
        let named = words.firstIndex(of: "named")
        var identities: [Identity] = []
        for word in words[..<(named ?? words.count)] { identities.append(try identity(word, line, usage)) }
        let name = named.map { words[($0 + 1)...].joined(separator: " ") }
        guard !identities.isEmpty, name?.isEmpty != true else { throw malformed(line, usage) }
        return .customer(identities, name: name)
    }

    /// `given order {old} for phone:+48600123456: 2 × AERO-RUN-42-WHT; locker WRO01M; pay blik`.
    private mutating func givenOrder(_ line: String) throws(TranscriptParseError) -> Given {
        let usage = "given order {name} for IDENTITY: [N ×] SKU; [N ×] SKU…; locker CODE | courier STREET, POSTCODE CITY | "
            + "store ID; pay METHOD; contact NAME, PHONE-OR-EMAIL"
        let head = line.split(separator: " ", maxSplits: 4).map(String.init)
        guard head.count == 5, head[3] == "for", let colon = head[4].range(of: ": ") else { throw malformed(line, usage) }
        let customer = try identity(String(head[4][..<colon.lowerBound]), line, usage)
        let clauses = head[4][colon.upperBound...].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let order = try orderClauses(clauses, line, usage)
        return .order(variable: try define(head[2], line, usage: usage), for: customer, order)
    }

    private func orderClauses(_ clauses: [String], _ line: String, _ usage: String) throws(TranscriptParseError) -> GivenOrder {
        var lines: [OrderRequestLine] = []
        var delivery = Delivery.parcelLocker(LockerCode("WRO01M")!)
        var payment = PaymentMethod.blik
        var contact: Contact?
        for clause in clauses {
            let parts = clause.split(separator: " ", maxSplits: 1).map(String.init)
            let value = parts.count == 2 ? parts[1] : ""
            switch parts.first ?? "" {
            case "locker":
                guard let code = LockerCode(value) else { throw malformed(line, usage) }
                delivery = .parcelLocker(code)
            case "courier":
                guard let address = TranscriptValues.address(value) else { throw malformed(line, usage) }
                delivery = .courier(address)
            case "store":
                guard !value.isEmpty else { throw malformed(line, usage) }
                delivery = .storePickup(storeID: value)
            case "pay": payment = try named(value, as: "payment method", PaymentMethod.allCases)
            case "contact":
                guard let given = TranscriptValues.contact(value) else { throw malformed(line, usage) }
                contact = given
            default: lines.append(try orderLine(clause, line, usage))
            }
        }
        guard !lines.isEmpty else { throw malformed(line, usage) }
        return GivenOrder(lines: lines, delivery: delivery, payment: payment, contact: contact)
    }

    /// `AERO-RUN-42-WHT`, `2 × AERO-RUN-42-WHT` or `2 x AERO-RUN-42-WHT`.
    private func orderLine(_ clause: String, _ line: String, _ usage: String) throws(TranscriptParseError) -> OrderRequestLine {
        let words = clause.split(separator: " ").map(String.init)
        if words.count == 1 { return OrderRequestLine(sku: words[0], quantity: 1) }
        guard words.count == 3, ["×", "x"].contains(words[1]), let count = Int(words[0]), count > 0 else {
            throw malformed(line, usage)
        }
        return OrderRequestLine(sku: words[2], quantity: count)
    }
}
