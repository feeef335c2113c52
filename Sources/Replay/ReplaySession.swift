import Commerce
import Dialogue
import Engine
import Foundation
import Messenger
import Voice
import WebChat

/// One transcript being replayed: who is writing, the values captured so far, the chips the
/// bot offered last in each conversation, and the failures found.
struct ReplaySession {
    let file: String
    let engine: ConversationEngine
    let clock: ReplayClock
    let numbers: ReplayOrderNumbers
    private(set) var failures: [TranscriptFailure] = []
    var variables: [String: String] = [:]
    private var speaker: Speaker?
    private var chips: [String: [QuickReply]] = [:]
    /// Per phone call: the last turn number and what was sent in it (for `again`), and the reply.
    private var calls: [String: (seq: Int, sent: VoiceTranscript?, twilio: Bool, reply: VoiceReply?)] = [:]

    /// A replay of `file` on `engine`, with the clock and order numbers the engine runs with.
    init(file: String, engine: ConversationEngine, clock: ReplayClock, numbers: ReplayOrderNumbers) {
        self.file = file
        self.engine = engine
        self.clock = clock
        self.numbers = numbers
    }

    /// Performs one step; what goes wrong becomes a failure at its line.
    mutating func perform(_ step: Transcript.Step) {
        switch step.action {
        case .clock(let change):
            clock.apply(change)
        case .conversation(let speaker):
            self.speaker = speaker
        case .given(let given):
            do {
                try set(up: given)
                try engine.reloadCatalog()
            } catch {
                fail(step.line, expected: "the given step to succeed", actual: "error: \(error)")
            }
        case .turn(let message, let checks):
            take(message, checks: checks, line: step.line)
        case .shop(let update, let checks):
            report(update, checks: checks, line: step.line)
        }
    }

    /// Records a failure at `line`.
    mutating func fail(_ line: Int, expected: String, actual: String) {
        failures.append(TranscriptFailure(file: file, line: line, expected: expected, actual: actual))
    }

    // MARK: - Turns

    private mutating func take(_ message: CustomerMessage, checks: [Check], line: Int) {
        guard let speaker else { return }
        let skus = checks.compactMap { check -> String? in
            if case .stockChanged(let sku, _) = check.expectation { sku } else { nil }
        }
        if speaker.channel == .voice, !message.isTap {
            return call(message, from: speaker, checks: checks, skus: skus, line: line)
        }
        let inbound: InboundMessage
        switch self.inbound(message, from: speaker) {
        case .success(let made): inbound = made
        case .failure(let problem):
            fail(line, expected: "a message to send", actual: problem.description)
            return
        }
        do {
            let before = try stock(of: skus)
            let outcome = try engine.handleNow(inbound)
            let record = TurnRecord(outcome: outcome, stockBefore: before, stockAfter: try stock(of: skus))
            chips[Self.key(speaker)] = outcome.replies.last?.quickReplies ?? []
            for check in checks { verify(check, record) }
        } catch {
            fail(line, expected: "the message to be handled", actual: "error: \(error)")
        }
    }

    /// The shop's update, through the same domain calls as the status API: the order moves and
    /// its customer is told; the checks look at what they were told.
    private mutating func report(_ update: ShopUpdate, checks: [Check], line: Int) {
        guard let digits = variables[update.variable], let number = OrderNumber(digits) else {
            return fail(line, expected: "the order {\(update.variable)}", actual: "no order was captured under that name")
        }
        let now: Now = { [clock] in clock.now }
        do {
            let told = try engine.database.write { db -> String in
                let order = try Orders(facts: .demo(), now: now).move(number, to: update.status, tracking: update.tracking, in: db)
                let notice = NoticeText.status(of: order, facts: .demo())
                try OrderNotices(notifierConfigured: true, now: now).tell(notice, about: order, in: db)
                let language = try Conversations().conversations(ofCustomer: order.customerID, limit: 1, in: db).first?.language
                return notice.text(in: language ?? "pl")
            }
            let record = TurnRecord(outcome: nil, stockBefore: [:], stockAfter: [:], notice: told)
            for check in checks { verify(check, record) }
        } catch {
            fail(line, expected: "the shop's update to be taken", actual: "error: \(error)")
        }
    }

    /// The message to send: the text with placeholders filled, or the chip a `tap` names.
    private func inbound(_ message: CustomerMessage, from speaker: Speaker) -> Result<InboundMessage, ReplayProblem> {
        let written: String
        switch message {
        case .text(let text), .tap(let text): written = text
        case .heard, .again, .twilio: return .failure(.notOnAPhoneCall)
        }
        guard case .success(let text) = Placeholders.fill(written, with: variables) else {
            return .failure(.missingValues(Placeholders.names(in: written).filter { variables[$0] == nil }))
        }
        var payload: String?
        var said = text
        if case .tap = message {
            let offered = chips[Self.key(speaker)] ?? []
            if let chip = offered.first(where: { $0.title.lowercased() == text.lowercased() }) ?? offered.first(where: { $0.payload.rawValue == text }) {
                (said, payload) = (chip.title, chip.payload.rawValue)
            } else if QuickReply.Payload(rawValue: text) != nil {
                payload = text
            } else {
                return .failure(.noSuchChip(text, offered: offered.map(\.title)))
            }
        }
        return .success(InboundMessage(
            channel: Self.profiles[speaker.channel] ?? .terminal, sender: .identity(speaker.identity), thread: speaker.thread, text: said, payload: payload,
            language: speaker.language))
    }

    /// The channels a transcript's speakers talk on, by how the dialogue knows them.
    private static let profiles = Dictionary(
        [ChannelProfile.messenger, .web, .voice, .terminal].map { ($0.dialogue, $0) }, uniquingKeysWith: { first, _ in first })

    // MARK: - Phone calls

    /// A turn of a phone call, through the voice channel as a speech platform drives it: the
    /// hypotheses chosen among, the reply made speakable (or TwiML), a repeat answered once.
    private mutating func call(_ message: CustomerMessage, from speaker: Speaker, checks: [Check], skus: [String], line: Int) {
        var call = calls[speaker.thread] ?? (0, nil, false, nil)
        let previous = call.reply
        let transcript: VoiceTranscript
        switch heard(message) {
        case .failure(let problem):
            return fail(line, expected: "a message to send", actual: problem.description)
        case .success(nil):
            guard let sent = call.sent else { return fail(line, expected: "an earlier turn to send again", actual: "none in this call") }
            transcript = sent
        case .success(let alternatives?):
            call.seq += 1
            transcript = VoiceTranscript(
                callID: speaker.thread, from: speaker.identity.externalID, seq: call.seq,
                language: speaker.language.map(VoiceReplyBuilder.languageTag), alternatives: alternatives,
                provider: message.isTwilio ? "twilio" : nil, endReason: alternatives.isEmpty ? "no_input" : nil)
            call.twilio = message.isTwilio
        }
        call.sent = transcript
        do {
            let before = try stock(of: skus)
            let turn = try VoiceCalls(engine: engine).answerNow(transcript)
            let twiml = call.twilio ? TwilioWebhook.document(turn.reply, nextTurn: transcript.seq + 1, settings: VoiceSettings()) : nil
            let voice = VoiceRecord(reply: turn.reply, twiml: twiml, previous: previous)
            let record = TurnRecord(outcome: turn.outcome, stockBefore: before, stockAfter: try stock(of: skus), voice: voice)
            call.reply = turn.reply
            calls[speaker.thread] = call
            for check in checks { verify(check, record) }
        } catch {
            calls[speaker.thread] = call
            fail(line, expected: "the call's turn to be handled", actual: "error: \(error)")
        }
    }

    /// The hypotheses a voice message sends (nil: `again`), placeholders filled.
    private func heard(_ message: CustomerMessage) -> Result<[SpeechAlternative]?, ReplayProblem> {
        let alternatives: [SpeechAlternative]
        switch message {
        case .text(let text): alternatives = [SpeechAlternative(transcript: text, confidence: nil)]
        case .heard(let heard): alternatives = heard
        case .twilio(let heard): alternatives = [heard]
        case .again, .tap: return .success(nil)
        }
        var filled: [SpeechAlternative] = []
        for alternative in alternatives {
            guard case .success(let text) = Placeholders.fill(alternative.transcript, with: variables) else {
                return .failure(.missingValues(Placeholders.names(in: alternative.transcript).filter { variables[$0] == nil }))
            }
            filled.append(SpeechAlternative(transcript: text, confidence: alternative.confidence))
        }
        return .success(filled)
    }

    private static func key(_ speaker: Speaker) -> String { "\(speaker.channel.rawValue):\(speaker.thread)" }

    private func stock(of skus: [String]) throws -> [String: Int] {
        guard !skus.isEmpty else { return [:] }
        return try engine.database.read { db in
            var stock: [String: Int] = [:]
            for sku in skus { stock[sku] = try Catalog().variant(sku: sku, in: db)?.stock }
            return stock
        }
    }
}

/// What the bot did in one turn, with the stock of the variants the checks ask about.
struct TurnRecord {
    /// Nil for a phone turn sent again, which does nothing.
    let outcome: TurnOutcome?
    let stockBefore: [String: Int]
    let stockAfter: [String: Int]
    /// For a phone turn: the voice reply.
    var voice: VoiceRecord?
    /// For the shop's update: what the customer was told.
    var notice: String?

    /// The replies as one text, a line each, for `<` checks.
    var text: String { notice ?? (outcome?.replies ?? []).map(\.text).joined(separator: "\n") }

    /// The replies with their chips, as a failure shows them.
    var shown: String {
        if let notice { return notice }
        guard let outcome, !outcome.replies.isEmpty else { return "(no reply)" }
        return outcome.replies.map { reply in
            ([reply.text] + reply.quickReplies.map { "[\($0.title)]" }).joined(separator: " ")
        }.joined(separator: "\n    ")
    }
}

/// A phone turn's reply: as the neutral endpoint sends it, as TwiML for a Twilio turn, and the
/// reply of the call's turn before.
struct VoiceRecord {
    let reply: VoiceReply
    let twiml: String?
    let previous: VoiceReply?

    /// What the phone says, the says joined.
    var said: String {
        reply.actions.compactMap { action in if case .say(let say) = action { say.text } else { nil } }.joined(separator: " ")
    }

    var ssml: String {
        reply.actions.compactMap { action in if case .say(let say) = action { say.ssml } else { nil } }.joined(separator: "\n")
    }

    var hints: [String] {
        reply.actions.flatMap { action -> [String] in if case .listen(let listen) = action { listen.hints } else { [] } }
    }

    /// The reply as a failure shows it.
    var shown: String {
        let ending: String = switch reply.actions.last {
        case .listen: "listen"
        case .transfer(let transfer): "transfer \(transfer.target.name)"
        case .hangup: "hangup"
        case .say, nil: "say"
        }
        return "said \"\(said)\", then \(ending)" + (twiml.map { "\n    TwiML: \($0)" } ?? "")
    }
}

extension CustomerMessage {
    var isTap: Bool { if case .tap = self { true } else { false } }
    var isTwilio: Bool { if case .twilio = self { true } else { false } }
}

/// Why a step of a replay could not be performed.
enum ReplayProblem: Error, CustomStringConvertible {
    /// Placeholders whose capture did not happen (an order that was not placed, say).
    case missingValues([String])
    /// A `tap` of a chip the bot did not offer.
    case noSuchChip(String, offered: [String])
    /// A `given order` without `contact` for a customer with no phone or e-mail.
    case noContact(Identity)
    /// A SKU the catalog does not have.
    case unknownSKU(String)
    /// `hear`, `silence`, `again` or `twilio` in a conversation that is not a phone call.
    case notOnAPhoneCall

    var description: String {
        switch self {
        case .missingValues(let names):
            "no value for " + names.map { "{\($0)}" }.joined(separator: ", ") + " (its capture failed earlier)"
        case .noSuchChip(let chip, let offered):
            "no chip \"\(chip)\" was offered" + (offered.isEmpty ? " (none were)" : "; offered: " + offered.map { "[\($0)]" }.joined(separator: " "))
        case .noContact(let identity):
            "the customer of \(identity.channel.rawValue):\(identity.externalID) has no phone or e-mail for the order; add `contact NAME, PHONE`"
        case .unknownSKU(let sku):
            "the catalog has no variant \(sku)"
        case .notOnAPhoneCall:
            "hear, silence, again and twilio are phone turns: use them in a `conversation voice …`"
        }
    }
}
