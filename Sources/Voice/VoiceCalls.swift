import Commerce
import Dialogue
import Engine
import Foundation
import NLU
import Storage
import Synchronization
import Telemetry

/// The phone channel's turns: a caller's utterance (its recogniser hypotheses) through the
/// conversation engine to what the platform says and does next.
///
/// The caller's number is their identity in the shared customer record, the call id is the
/// conversation's thread. Each `(call_id, seq)` is acted on once: its key and the reply go into
/// the inbox in the turn's own transaction, and a repeat gets that reply again.
public struct VoiceCalls: Sendable {
    package let engine: ConversationEngine
    let metrics: VoiceMetrics?
    private let builder = VoiceReplyBuilder()

    public init(engine: ConversationEngine, metrics: MetricsRegistry? = nil) {
        self.engine = engine
        self.metrics = metrics.map(VoiceMetrics.init)
    }

    /// Answers a final transcript (the caller's turn is over). `key` names the turn for
    /// de-duplication (default `call_id#seq`); `received` is what to keep of the request.
    public func answer(_ transcript: VoiceTranscript, key: String? = nil, received: String = "") async throws -> VoiceTurn {
        let started = ContinuousClock.now
        let (message, made) = prepare(transcript, key: key, received: received)
        do {
            let outcome = try await engine.handle(message)
            return finish(outcome, made, transcript, started: started)
        } catch EngineError.repeated(let key) {
            metrics?.turns.increment("repeated")
            return try await engine.database.read { db in try storedTurn(key, in: db) }
        }
    }

    /// Answers on the calling thread (replays, benchmarks): the same as `answer`.
    public func answerNow(_ transcript: VoiceTranscript, key: String? = nil, received: String = "") throws -> VoiceTurn {
        let started = ContinuousClock.now
        let (message, made) = prepare(transcript, key: key, received: received)
        do {
            let outcome = try engine.handleNow(message)
            return finish(outcome, made, transcript, started: started)
        } catch EngineError.repeated(let key) {
            metrics?.turns.increment("repeated")
            return try engine.database.read { db in try storedTurn(key, in: db) }
        }
    }

    /// The de-duplication key of a turn.
    package static func key(callID: String, seq: Int) -> String { "\(callID)#\(seq)" }

    /// The reply made in the turn's transaction (built again only if that did not happen).
    private func finish(
        _ outcome: TurnOutcome, _ made: MadeReply, _ transcript: VoiceTranscript, started: ContinuousClock.Instant
    ) -> VoiceTurn {
        let (reply, json) = made.value.withLock { $0 } ?? {
            let reply = builder.reply(to: outcome, callID: transcript.callID, seq: transcript.seq)
            return (reply, reply.json)
        }()
        metrics?.turns.increment(reply.outcome)
        if let choice = made.choice { metrics?.choices.increment(choice == 0 ? "first" : "other") }
        let (seconds, attoseconds) = (ContinuousClock.now - started).components
        metrics?.latency.observe(Double(seconds) + Double(attoseconds) / 1e18)
        return VoiceTurn(reply: reply, json: json, outcome: outcome)
    }

    /// The message the engine handles (the hypothesis chosen, spoken numbers as digits), and
    /// where its commit leaves the reply it stored.
    func prepare(_ transcript: VoiceTranscript, key: String?, received: String) -> (InboundMessage, MadeReply) {
        let heard = heardText(transcript)
        let made = MadeReply(choice: heard.choice)
        let sender: InboundMessage.Sender = transcript.caller.map { .identity(Identity(.phone, $0.e164)) }
            ?? .identity(Identity(.phone, "withheld:\(transcript.callID)"))
        let builder = self.builder
        let once = OnceOnly(key: key ?? Self.key(callID: transcript.callID, seq: transcript.seq), event: received) { outcome in
            let reply = builder.reply(to: outcome, callID: transcript.callID, seq: transcript.seq)
            let json = reply.json
            made.value.withLock { $0 = (reply, json) }
            return String(decoding: json, as: UTF8.self)
        }
        let message = InboundMessage(
            channel: .voice, sender: sender, thread: transcript.callID, text: heard.text, language: transcript.spokenLanguage,
            recognitionConfidence: heard.confidence, onceOnly: once)
        return (message, made)
    }

    /// What the caller said: the best hypothesis, or keys pressed, or nothing (silence: empty
    /// text, which the dialogue answers by asking again).
    private func heardText(_ transcript: VoiceTranscript) -> (text: String, confidence: Double?, choice: Int?) {
        let alternatives = transcript.alternatives.map {
            SpeechAlternative(transcript: SpokenDigits.normalize($0.transcript), confidence: $0.confidence)
        }
        if let choice = SpeechChoice.best(of: alternatives, understand: engine.understanding.understand) {
            return (choice.text, choice.recognitionConfidence, choice.index)
        }
        if let digits = transcript.dtmf, !digits.isEmpty { return (digits, 1, nil) }
        return ("", 0, nil)
    }

    /// The reply stored with a turn handled before, byte for byte.
    private func storedTurn(_ key: String, in db: Database) throws -> VoiceTurn {
        guard let event = try Inbox().find(channel: .voice, dedupKey: key, in: db), let stored = event.outcome,
              let reply = try? VoiceReply.decode(Data(stored.utf8))
        else { throw VoiceCallError.replyMissing(key: key) }
        return VoiceTurn(reply: reply, json: Data(stored.utf8), outcome: nil)
    }
}

/// Where a turn's commit leaves the reply it made and stored, so it is not made twice; and
/// which hypothesis the turn acted on, counted once the turn is done (a repeat is not).
final class MadeReply: Sendable {
    let value = Mutex<(VoiceReply, Data)?>(nil)
    let choice: Int?

    init(choice: Int?) {
        self.choice = choice
    }
}

/// A voice turn answered: the reply (also as the JSON sent and stored), and what the turn did
/// (nil when it was a repeat).
public struct VoiceTurn: Sendable {
    public let reply: VoiceReply
    public let json: Data
    public let outcome: TurnOutcome?
}

/// Why a voice turn could not be answered.
public enum VoiceCallError: Error, Equatable, CustomStringConvertible {
    /// The turn was handled before, but its reply is not on record.
    case replyMissing(key: String)

    public var description: String {
        switch self {
        case .replyMissing(let key): "voice turn \(key) was handled before, but its reply is not on record"
        }
    }
}

extension VoiceReply {
    /// How the turn ended, for metrics: "listen", "transfer", "hangup".
    package var outcome: String {
        switch actions.last {
        case .transfer: "transfer"
        case .hangup: "hangup"
        default: "listen"
        }
    }
}

/// The phone channel's metrics.
struct VoiceMetrics: Sendable {
    package let turns: Counter
    let choices: Counter
    package let rejected: Counter
    package let latency: Histogram

    package init(_ registry: MetricsRegistry) {
        turns = registry.counter(
            "orderbot_voice_turns_total", help: "Voice turns answered, by what the reply does (listen, transfer, hangup, repeated)",
            labels: ["outcome"])
        choices = registry.counter(
            "orderbot_voice_hypothesis_choice_total", help: "Which recogniser hypothesis a voice turn acted on (first, other)",
            labels: ["choice"])
        rejected = registry.counter(
            "orderbot_voice_webhook_rejected_total", help: "Voice webhook requests refused, by reason", labels: ["reason"])
        latency = registry.histogram("orderbot_voice_turn_seconds", help: "Time to answer a voice turn, engine included")
    }
}
