import Foundation
import Gateway
import NLU
import Replay

/// `orderbot replay [PATH…]`: replays golden conversations against the bot and reports every
/// check that does not hold.
enum ReplayCommand {
    static let description = CommandDescription(
        name: "replay", summary: "replay the golden conversations of Transcripts/ against the bot", help: help,
        run: run)

    static let help = """
        Usage: orderbot replay [PATH…] [--db PATH] [--intents DIR] [--threshold P]

        Replays transcripts (docs/TRANSCRIPTS.md) against the bot: each on a fresh temporary
        database with the demo catalog and the demo shop, at a fixed clock, with the same order
        numbers every run. With no PATH, every *.txt under ./Transcripts (recursively); a PATH
        may be a file or a directory.

        Prints PASS or FAIL with each transcript's path, every failed check under it (its line,
        what was expected and what the bot did), then "N passed, M failed".

        Options:
          --db PATH     replay every transcript into this one database (kept; created if new),
                        for a database full of conversations: the shop owner's numbers, a demo.
                        The transcripts' customers then meet, so checks may not hold as alone.
        \(IntentsSource.help)

        Exit status: 0 every transcript passed, 1 one failed, 64 usage error (a PATH that does
        not exist, no transcripts found).
        """

    static func run(_ arguments: [String], _ environment: [String: String]) async throws -> Int32 {
        let parsed = try ParsedArguments(arguments, valued: ["intents", "threshold", "db"], flags: ["help"])
        if parsed.has("help") {
            print(help)
            return 0
        }
        let settings = Settings(arguments: parsed, environment: environment)
        let files = try transcripts(parsed.positionals)
        let understanding = LanguageUnderstanding(
            corpus: try IntentsSource.corpus(settings), configuration: try IntentsSource.configuration(settings))
        let runner = TranscriptRunner(understanding: understanding)
        let output = StandardOutput()
        var failed = 0
        let results: [(String, TranscriptResult)]
        if let path = parsed.options["db"] {
            results = Array(zip(files, try runner.run(files: files, intoDatabaseAt: path)))
        } else {
            results = try files.map { ($0, try runner.run(file: $0)) }
        }
        for (file, result) in results {
            output.writeLine("\(result.passed ? "PASS" : "FAIL") \(file)")
            for failure in result.failures {
                output.writeLine("  line \(failure.line): expected \(failure.expected)")
                output.writeLine("    actual: \(failure.actual)")
            }
            if !result.passed { failed += 1 }
        }
        output.writeLine("\(files.count - failed) passed, \(failed) failed")
        return failed == 0 ? 0 : 1
    }

    private static func transcripts(_ paths: [String]) throws(UsageError) -> [String] {
        let files: [String]
        do {
            files = try TranscriptFiles.find(paths.isEmpty ? ["Transcripts"] : paths)
        } catch {
            throw UsageError(paths.isEmpty ? "no ./Transcripts directory here; name transcript files or directories" : error.description)
        }
        guard !files.isEmpty else { throw UsageError("no transcripts (*.txt) in \(paths.isEmpty ? "./Transcripts" : paths.joined(separator: " "))") }
        return files
    }
}
