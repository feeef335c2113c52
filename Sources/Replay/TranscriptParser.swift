import Foundation
import Voice

/// Reads the text of a transcript file (docs/TRANSCRIPTS.md) into a `Transcript`, or says on
/// which line it is wrong and why.
public struct TranscriptParser: Sendable {
    public init() {}

    /// Parses `text`, naming `file` in errors.
    public func parse(_ text: String, file: String) throws(TranscriptParseError) -> Transcript {
        var reading = Reading(file: file)
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            reading.number = index + 1
            try reading.read(line)
        }
        reading.finishTurn()
        return Transcript(file: file, steps: reading.steps, catalog: reading.catalog)
    }
}

/// The parser's progress through one file: the steps so far, the turn collecting its checks,
/// and the variables defined.
struct Reading {
    let file: String
    var number = 0
    private(set) var steps: [Transcript.Step] = []
    /// The catalog file the transcript runs on, as written after `catalog`.
    private(set) var catalog: String?
    private var turn: (line: Int, step: TurnStep, checks: [Check])?

    /// What the checks being collected follow: a customer's message, or the shop's update.
    private enum TurnStep {
        case customer(CustomerMessage)
        case shop(ShopUpdate)
    }
    private var hasSpeaker = false
    private var variables = Set<String>()

    init(file: String) {
        self.file = file
    }

    mutating func read(_ line: String) throws(TranscriptParseError) {
        if line.hasPrefix(">") { return try startTurn(.text(try text(after: ">", in: line, usage: "> what the customer writes"))) }
        if line.hasPrefix("<!") { return try add(.doesNotSay(try text(after: "<!", in: line, usage: "<! text the bot must not say")), line) }
        if line.hasPrefix("<") { return try add(try says(try text(after: "<", in: line, usage: "< text the bot says"), line), line) }
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch words[0] {
        case "catalog" where words.count == 2:
            guard steps.isEmpty, turn == nil, catalog == nil else {
                throw malformed(line, "catalog FILE comes once, before every other line")
            }
            catalog = words[1]
        case "clock": append(.clock(try clock(words, line)))
        case "conversation": append(.conversation(try speaker(words, line))); hasSpeaker = true
        case "given": append(.given(try given(words, line)))
        case "shop":
            guard hasSpeaker else { throw error(.turnWithoutConversation) }
            let update = try shopUpdate(line)
            finishTurn()
            turn = (number, .shop(update), [])
        case "tap": try startTurn(.tap(try text(after: "tap", in: line, usage: "tap TITLE-OR-PAYLOAD")))
        case "hear": try startTurn(.heard(try hypotheses(try text(after: "hear", in: line, usage: Self.hearUsage), line)))
        case "silence" where words.count == 1: try startTurn(.heard([]))
        case "again" where words.count == 1: try startTurn(.again)
        case "twilio":
            let usage = "twilio [CONFIDENCE] what the caller says"
            guard let heard = try hypotheses(try text(after: "twilio", in: line, usage: usage), line).first else {
                throw malformed(line, usage)
            }
            try startTurn(.twilio(heard))
        default: try add(try expectation(words, line), line)
        }
    }

    /// Ends the turn being read, if any, adding it with its checks.
    mutating func finishTurn() {
        guard let turn else { return }
        switch turn.step {
        case .customer(let message): steps.append(Transcript.Step(line: turn.line, .turn(message, checks: turn.checks)))
        case .shop(let update): steps.append(Transcript.Step(line: turn.line, .shop(update, checks: turn.checks)))
        }
        self.turn = nil
    }

    private mutating func append(_ action: Transcript.Action) {
        finishTurn()
        steps.append(Transcript.Step(line: number, action))
    }

    private static let hearUsage = "hear [CONFIDENCE] text [|| [CONFIDENCE] text …] (CONFIDENCE 0–1 or -)"

    /// `0.55 gdzie jest mój zamek || - gdzie jest moje zamówienie`: hypotheses, best first.
    private func hypotheses(_ text: String, _ line: String) throws(TranscriptParseError) -> [SpeechAlternative] {
        var result: [SpeechAlternative] = []
        for untrimmed in text.components(separatedBy: "||") {
            let part = untrimmed.trimmingCharacters(in: .whitespaces)
            let words = part.split(separator: " ", maxSplits: 1).map(String.init)
            guard let first = words.first else { throw malformed(line, Self.hearUsage) }
            if first == "-" || Double(first) != nil {
                guard words.count == 2 else { throw malformed(line, Self.hearUsage) }
                let confidence = Double(first)
                guard confidence.map({ (0...1).contains($0) }) ?? true else { throw malformed(line, Self.hearUsage) }
                result.append(SpeechAlternative(transcript: words[1], confidence: confidence))
            } else {
                result.append(SpeechAlternative(transcript: part, confidence: nil))
            }
        }
        return result
    }

    private mutating func startTurn(_ message: CustomerMessage) throws(TranscriptParseError) {
        guard hasSpeaker else { throw error(.turnWithoutConversation) }
        switch message {
        case .text(let text), .tap(let text): try requireDefined(in: text)
        case .heard(let heard): for alternative in heard { try requireDefined(in: alternative.transcript) }
        case .twilio(let heard): try requireDefined(in: heard.transcript)
        case .again: break
        }
        finishTurn()
        turn = (number, .customer(message), [])
    }

    private mutating func add(_ expectation: Expectation, _ line: String) throws(TranscriptParseError) {
        guard turn != nil else { throw error(.checkWithoutTurn) }
        turn?.checks.append(Check(line: number, source: line, expectation: expectation))
    }

    /// `< text`, or `< /pattern/` (a regular expression that must compile).
    private func says(_ text: String, _ line: String) throws(TranscriptParseError) -> Expectation {
        guard text.count >= 2, text.hasPrefix("/"), text.hasSuffix("/") else { return .says(text) }
        let pattern = String(text.dropFirst().dropLast())
        guard (try? NSRegularExpression(pattern: pattern)) != nil else {
            throw malformed(line, "< /REGULAR EXPRESSION/ (this one does not compile)")
        }
        return .matches(pattern)
    }

    private func text(after prefix: String, in line: String, usage: String) throws(TranscriptParseError) -> String {
        let text = line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw malformed(line, usage) }
        try requireDefined(in: text)
        return text
    }

    // MARK: - Variables

    /// Defines `{name}` (from a token written with its braces).
    mutating func define(_ token: String, _ line: String, usage: String) throws(TranscriptParseError) -> String {
        guard let name = Self.variableName(token) else { throw malformed(line, usage) }
        guard variables.insert(name).inserted else { throw error(.redefinedVariable(name)) }
        return name
    }

    /// The name of a defined variable written as `{name}`.
    func defined(_ token: String, _ line: String, usage: String) throws(TranscriptParseError) -> String {
        guard let name = Self.variableName(token) else { throw malformed(line, usage) }
        guard variables.contains(name) else { throw error(.undefinedVariable(name)) }
        return name
    }

    func requireDefined(in text: String) throws(TranscriptParseError) {
        for name in Placeholders.names(in: text) where !variables.contains(name) { throw error(.undefinedVariable(name)) }
    }

    private static func variableName(_ token: String) -> String? {
        guard token.hasPrefix("{"), token.hasSuffix("}"), token.count > 2 else { return nil }
        let name = String(token.dropFirst().dropLast())
        return Placeholders.isName(name) ? name : nil
    }

    // MARK: - Errors

    func error(_ problem: TranscriptParseError.Problem) -> TranscriptParseError {
        TranscriptParseError(file: file, line: number, problem: problem)
    }

    func malformed(_ line: String, _ usage: String) -> TranscriptParseError {
        error(.malformed(line, usage: usage))
    }

    /// The one of `allowed` whose raw value is `value`, or an error listing them.
    func named<Kind: RawRepresentable>(_ value: String, as kind: String, _ allowed: [Kind])
        throws(TranscriptParseError) -> Kind where Kind.RawValue == String
    {
        guard let found = allowed.first(where: { $0.rawValue == value }) else {
            throw error(.unknownName(kind: kind, value: value, allowed: allowed.map(\.rawValue)))
        }
        return found
    }
}

/// `{name}` placeholders in transcript texts.
enum Placeholders {
    /// The names of the placeholders in `text`, in order.
    static func names(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = String(rest[rest.index(after: open)..<close])
            if isName(name) { names.append(name) }
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// Letters, digits, `_` and `-`, starting with a letter.
    static func isName(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }

    /// `text` with every `{name}` replaced by its value, or the first name without one.
    static func fill(_ text: String, with values: [String: String]) -> Result<String, MissingValue> {
        var filled = text
        for name in names(in: text) {
            guard let value = values[name] else { return .failure(MissingValue(name: name)) }
            filled = filled.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return .success(filled)
    }

    /// A placeholder whose capture did not happen (the order was not placed, say).
    struct MissingValue: Error {
        let name: String
    }
}
