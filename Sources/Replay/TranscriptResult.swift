/// What replaying one transcript found: every check that did not hold.
public struct TranscriptResult: Sendable {
    /// The transcript's file.
    public let file: String
    /// The failed checks (and failed steps), in file order.
    public let failures: [TranscriptFailure]

    public init(file: String, failures: [TranscriptFailure]) {
        self.file = file
        self.failures = failures
    }

    /// Whether every check held.
    public var passed: Bool { failures.isEmpty }
}

/// One check that did not hold, or a step that could not be performed.
public struct TranscriptFailure: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    /// The check as written (placeholders filled in), or the step that failed.
    public let expected: String
    /// What the bot did instead: its replies, the state it reached, the error.
    public let actual: String

    public init(file: String, line: Int, expected: String, actual: String) {
        self.file = file
        self.line = line
        self.expected = expected
        self.actual = actual
    }

    /// `file:line: expected …` and, on the next line, `actual: …`.
    public var description: String {
        "\(file):\(line): expected \(expected)\n    actual: \(actual)"
    }
}
