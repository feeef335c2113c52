/// A transcript file that cannot be read as one: where, and what is wrong with the line.
public struct TranscriptParseError: Error, Equatable, CustomStringConvertible {
    /// The file, as given to the parser.
    public let file: String
    /// The line (1-based) the problem is on.
    public let line: Int
    public let problem: Problem

    public init(file: String, line: Int, problem: Problem) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    /// What is wrong with a line.
    public enum Problem: Sendable, Equatable {
        /// The line starts with no step or check the format knows.
        case unknownStep(String)
        /// The step is known but not written the way it must be (`usage` shows how).
        case malformed(String, usage: String)
        /// A name that is not one of those allowed: a channel, an intent, a status…
        case unknownName(kind: String, value: String, allowed: [String])
        /// A `{name}` used before any step gave it a value.
        case undefinedVariable(String)
        /// A `{name}` given a value twice.
        case redefinedVariable(String)
        /// A check (`<`, `state`, …) with no customer message before it.
        case checkWithoutTurn
        /// A customer message with no `conversation` line before it.
        case turnWithoutConversation
    }

    public var description: String { "\(file):\(line): \(message)" }

    /// The problem in words.
    public var message: String {
        switch problem {
        case .unknownStep(let text):
            "\"\(text)\" is not a step or a check (see docs/TRANSCRIPTS.md)"
        case .malformed(let text, let usage):
            "cannot read \"\(text)\"; write it as: \(usage)"
        case .unknownName(let kind, let value, let allowed):
            "\"\(value)\" is not a \(kind) (one of: \(allowed.joined(separator: ", ")))"
        case .undefinedVariable(let name):
            "{\(name)} is used before anything captured it (`given order {\(name)} …` or `order placed as {\(name)}`)"
        case .redefinedVariable(let name):
            "{\(name)} already has a value; give the new one another name"
        case .checkWithoutTurn:
            "a check must follow a customer message (`> text` or `tap …`)"
        case .turnWithoutConversation:
            "a customer message needs a `conversation CHANNEL as IDENTITY` line before it"
        }
    }
}
