import Foundation
import Gateway
import NLU
import Replay
import TestSupport
import Testing
import Voice

/// The golden conversations of Transcripts/ hold against the bot, and the replay really catches
/// a wrong expectation and a malformed file.
///
/// Training the understanding takes a CPU for a good part of a second: it is done once for the
/// suite, off the cooperative pool (`blocking`).
@Suite struct TranscriptTests {
    private static let trainedOnce = LanguageUnderstanding(corpus: try! IntentCorpus.embedded())

    /// The runner with the shared understanding, trained on first use off the cooperative pool.
    private static func runner() async throws -> TranscriptRunner {
        try await blocking { TranscriptRunner(understanding: trainedOnce) }
    }

    /// Transcripts/ at the top of the repository.
    static var directory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Transcripts").path
    }

    private static func replay(_ text: String) async throws -> TranscriptResult {
        let runner = try await runner()
        return try await blocking { try runner.run(try TranscriptParser().parse(text, file: "inline.txt")) }
    }

    /// Every transcript in the repository passes; a failure names its file, line, expectation
    /// and what the bot said.
    @Test func everyTranscriptPasses() async throws {
        let files = try TranscriptFiles.find([Self.directory])
        #expect(files.count >= 6)
        let runner = try await Self.runner()
        for file in files {
            let result = try await blocking { try runner.run(file: file) }
            #expect(result.passed, "\(result.failures.map(\.description).joined(separator: "\n"))")
        }
    }

    /// A wrong expectation fails with its line, the expectation and the bot's actual reply; the
    /// right ones around it do not.
    @Test func wrongExpectationFails() async throws {
        let result = try await Self.replay("""
            conversation web as web:session-x
            > dzień dobry
            intent greet
            < Do widzenia
            state idle
            state ordering.size
            """)
        #expect(result.failures.map(\.line) == [4, 6])
        let failure = try #require(result.failures.first)
        #expect(failure.expected == "< Do widzenia")
        #expect(failure.actual.contains("W czym mogę pomóc?"))
        #expect(result.failures.last?.actual == "state idle")
    }

    /// Phone turns: hypotheses are parsed best first, a wrong voice check fails with the reply
    /// the phone got, `again` before any turn and `hear` off a phone call are errors of the step.
    @Test func phoneTurns() async throws {
        let parsed = try TranscriptParser().parse(
            "conversation voice as phone:+48600111222 thread c1\nhear 0.55 gdzie jest mój zamek || - gdzie jest moje zamówienie\n",
            file: "inline.txt")
        #expect(parsed.steps.last?.action == .turn(.heard([
            SpeechAlternative(transcript: "gdzie jest mój zamek", confidence: 0.55),
            SpeechAlternative(transcript: "gdzie jest moje zamówienie", confidence: nil),
        ]), checks: []))
        #expect(throws: TranscriptParseError.self) {
            try TranscriptParser().parse("conversation voice as phone:+48600111222\nhear 1.5 tak\n", file: "bad.txt")
        }
        let result = try await Self.replay("""
            conversation voice as phone:+48600111222 thread c1 language pl
            again
            > dzień dobry
            action hangup
            said W czym mogę pomóc
            twiml <Say
            conversation web as web:s1
            silence
            """)
        #expect(result.failures.map(\.line) == [2, 4, 6, 8])
        #expect(result.failures.first?.actual == "none in this call")
        #expect(result.failures[1].actual.contains("then listen"))
        #expect(result.failures[2].actual == "not a Twilio turn")
        #expect(result.failures.last?.actual.contains("phone turns") == true)
    }

    /// A captured order number stands in later texts; a wrong total is reported with the real one.
    @Test func capturesAndTotals() async throws {
        let result = try await Self.replay("""
            clock 2026-02-01 10:00
            given customer phone:+48600123456 named Jan Kowalski
            given order {old} for phone:+48600123456: 2 × AERO-RUN-42-WHT
            given order {old} delivered
            clock +3d
            conversation voice as phone:+48600123456
            > gdzie jest moje zamówienie {old}
            < Zamówienie nr {old}
            < jest doręczone
            """)
        #expect(result.passed, "\(result.failures.map(\.description))")
        let wrongTotal = try await Self.replay("""
            conversation web as web:s
            > chcę zamówić Aero Run
            order placed total 1,00 zł
            """)
        #expect(wrongTotal.failures.first?.actual.hasPrefix("no order placed") == true)
    }

    /// A malformed file is refused with its line and what is wrong with it.
    @Test func malformedFileGivesItsLine() throws {
        let text = """
            # a comment
            conversation fax as web:session-1
            """
        #expect(throws: TranscriptParseError(
            file: "bad.txt", line: 2,
            problem: .unknownName(kind: "channel", value: "fax", allowed: ["messenger", "web", "voice", "terminal"]))) {
            try TranscriptParser().parse(text, file: "bad.txt")
        }
        let undefined = #expect(throws: TranscriptParseError.self) {
            try TranscriptParser().parse("conversation web as web:s\n\n> status {nope}\n", file: "bad.txt")
        }
        #expect(undefined?.description == "bad.txt:3: {nope} is used before anything captured it (`given order {nope} …` or `order placed as {nope}`)")
        let orphan = #expect(throws: TranscriptParseError.self) { try TranscriptParser().parse("state idle", file: "bad.txt") }
        #expect(orphan?.problem == .checkWithoutTurn)
    }

    /// `orderbot replay` prints PASS or FAIL per file with the failed lines and a summary, and
    /// exits 0 when all pass, 1 when one fails, 64 for a path that does not exist.
    @Test func replayCommand() async throws {
        let directory = TemporaryDirectory()
        let good = directory.path("good.txt")
        let bad = directory.path("bad.txt")
        try Data("conversation web as web:s\n> dzień dobry\nstate idle\n".utf8).write(to: URL(fileURLWithPath: good))
        try Data("conversation web as web:s\n> dzień dobry\nstate with_agent\n".utf8).write(to: URL(fileURLWithPath: bad))
        let passing = try await blocking { try ServerProcess.run(["replay", good]) }
        let failing = try await blocking { try ServerProcess.run(["replay", directory.url.path]) }
        let missing = try await blocking { try ServerProcess.run(["replay", directory.path("none.txt")]) }
        #expect(passing.status == 0, "\(passing.error)")
        #expect(passing.output == "PASS \(good)\n1 passed, 0 failed\n")
        #expect(failing.status == 1)
        #expect(failing.output.contains("FAIL \(bad)\n  line 3: expected state with_agent\n    actual: state idle\n"))
        #expect(failing.output.hasSuffix("1 passed, 1 failed\n"))
        #expect(missing.status == 64)
    }
}
