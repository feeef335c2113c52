import Commerce
import Dialogue
import Foundation
import NLU
import Storage
import Telemetry

/// The phone channel's turns: a caller's utterance (its recogniser hypotheses) through the
/// conversation engine to what the platform says and does next.
///
/// The caller's number is their identity in the shared customer record, the call id is the
/// conversation's thread. Each `(call_id, seq)` is acted on once: its key and the reply go into
/// the inbox in the turn's own transaction, and a repeat gets that reply again.
public struct VoiceCalls: Sendable {
    let engine: ConversationEngine
    let metrics: VoiceMetrics?
    private let builder = VoiceReplyBuilder()

    public init(engine: ConversationEngine, metrics: MetricsRegistry? = nil) {
        self.engine = engine
        self.metrics = metrics.map(VoiceMetrics.init)
    }

    /// Answers a final transcript (the caller's turn is over). `key` names the turn for
    /// de-duplication (default `call_id#seq`); `received` is what to keep of the request.
    public func answer(_ transcript: VoiceTranscript, key: String? = nil, received: String = "") async throws -> VoiceReply {
        let started = ContinuousClock.now
        let message = message(for: transcript, key: key, received: received)
        do {
            let outcome = try await engine.handle(message)
            return record(builder.reply(to: outcome, callID: transcript.callID, seq: transcript.seq), started: started)
        } catch EngineError.repeated(let key) {
            metrics?.turns.increment("repeated")
            return try await engine.database.read { db in try storedReply(key, transcript: transcript, in: db) }
        }
    }

    /// Answers on the calling thread (replays, benchmarks): the same as `answer`.
    public func answerNow(_ transcript: VoiceTranscript, key: String? = nil, received: String = "") throws -> VoiceReply {
        try turnNow(transcript, key: key, received: received).reply
    }

    /// `answerNow` with what the turn did (nil for a repeat, which does nothing).
    public func turnNow(_ transcript: VoiceTranscript, key: String? = nil, received: String = "") throws -> VoiceTurn {
        let started = ContinuousClock.now
        let message = message(for: transcript, key: key, received: received)
        do {
            let outcome = try engine.handleNow(message)
            let reply = record(builder.reply(to: outcome, callID: transcript.callID, seq: transcript.seq), started: started)
            return VoiceTurn(reply: reply, outcome: outcome)
        } catch EngineError.repeated(let key) {
            metrics?.turns.increment("repeated")
            let reply = try engine.database.read { db in try storedReply(key, transcript: transcript, in: db) }
            return VoiceTurn(reply: reply, outcome: nil)
        }
    }

    /// The de-duplication key of a turn.
    static func key(callID: String, seq: Int) -> String { "\(callID)#\(seq)" }

    private func record(_ reply: VoiceReply, started: ContinuousClock.Instant) -> VoiceReply {
        metrics?.turns.increment(reply.outcome)
        let (seconds, attoseconds) = (ContinuousClock.now - started).components
        metrics?.latency.observe(Double(seconds) + Double(attoseconds) / 1e18)
        return reply
    }

    /// The message the engine handles: the hypothesis chosen, spoken numbers as digits.
    func message(for transcript: VoiceTranscript, key: String?, received: String) -> InboundMessage {
        let heard = heardText(transcript)
        let sender: InboundMessage.Sender = transcript.caller.map { .identity(Identity(.phone, $0.e164)) }
            ?? .identity(Identity(.phone, "withheld:\(transcript.callID)"))
        let builder = self.builder
        let once = OnceOnly(key: key ?? Self.key(callID: transcript.callID, seq: transcript.seq), event: received) { outcome in
            String(decoding: builder.reply(to: outcome, callID: transcript.callID, seq: transcript.seq).json, as: UTF8.self)
        }
        return InboundMessage(
            channel: .voice, sender: sender, thread: transcript.callID, text: heard.text, language: transcript.spokenLanguage,
            recognitionConfidence: heard.confidence, onceOnly: once)
    }

    /// What the caller said: the best hypothesis, or keys pressed, or nothing (silence: empty
    /// text, which the dialogue answers by asking again).
    private func heardText(_ transcript: VoiceTranscript) -> (text: String, confidence: Double?) {
        let alternatives = transcript.alternatives.map {
            SpeechAlternative(transcript: SpokenDigits.normalize($0.transcript), confidence: $0.confidence)
        }
        if let choice = SpeechChoice.best(of: alternatives, understand: engine.understanding.understand) {
            metrics?.choices.increment(choice.index == 0 ? "first" : "other")
            return (choice.text, choice.recognitionConfidence)
        }
        if let digits = transcript.dtmf, !digits.isEmpty { return (digits, 1) }
        return ("", 0)
    }

    /// The reply stored with a turn handled before.
    private func storedReply(_ key: String, transcript: VoiceTranscript, in db: Database) throws -> VoiceReply {
        guard let event = try Inbox().find(channel: .voice, dedupKey: key, in: db), let stored = event.outcome,
              let reply = try? VoiceReply.decode(Data(stored.utf8))
        else { throw VoiceCallError.replyMissing(key: key) }
        return reply
    }
}

/// A voice turn answered: the reply, and what the turn did (nil when it was a repeat).
public struct VoiceTurn: Sendable {
    public let reply: VoiceReply
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
    var outcome: String {
        switch actions.last {
        case .transfer: "transfer"
        case .hangup: "hangup"
        default: "listen"
        }
    }
}

/// The phone channel's metrics.
struct VoiceMetrics: Sendable {
    let turns: Counter
    let choices: Counter
    let rejected: Counter
    let latency: Histogram

    init(_ registry: MetricsRegistry) {
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
