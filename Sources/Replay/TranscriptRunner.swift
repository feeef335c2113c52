import Commerce
import Engine
import Foundation
import NLU
import Storage

/// Replays transcripts against the real conversation engine: each on a fresh SQLite file with
/// the demo catalog and the demo shop's facts, a clock that moves only when the transcript says
/// so, and the same order numbers every time.
public struct TranscriptRunner: Sendable {
    private let understanding: LanguageUnderstanding
    private let directory: URL

    /// Replays with `understanding` (trained once and shared: training is the slow part), keeping
    /// the temporary databases under `directory` (the system's temporary directory by default).
    public init(understanding: LanguageUnderstanding, directory: URL = FileManager.default.temporaryDirectory) {
        self.understanding = understanding
        self.directory = directory
    }

    /// Reads and replays the transcript file at `path`; a file that does not parse is one failure.
    public func run(file path: String) throws -> TranscriptResult {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        do {
            return try run(try TranscriptParser().parse(text, file: path))
        } catch let error as TranscriptParseError {
            return TranscriptResult(
                file: path, failures: [TranscriptFailure(file: path, line: error.line, expected: "a transcript line", actual: error.message)])
        }
    }

    /// Replays `transcript` on the calling thread. Throws only when the temporary database cannot
    /// be made; everything the bot does wrong is in the result.
    public func run(_ transcript: Transcript) throws -> TranscriptResult {
        let folder = directory.appendingPathComponent("orderbot-replay-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ReplayClock()
        let database = try DatabasePool(
            DatabaseConfiguration(path: folder.appendingPathComponent("replay.sqlite").path, readerCount: 1, durability: .normal),
            migrator: Schema.migrator())
        defer { database.close() }
        if let catalog = transcript.catalog {
            let file = URL(fileURLWithPath: transcript.file).deletingLastPathComponent().appendingPathComponent(catalog)
            do {
                let csv = try String(contentsOf: file, encoding: .utf8)
                _ = try database.write { db in try CatalogImport(now: { clock.now }).apply(csv, in: db) }
            } catch {
                return TranscriptResult(file: transcript.file, failures: [
                    TranscriptFailure(file: transcript.file, line: 1, expected: "the catalog \(catalog)", actual: "\(error)"),
                ])
            }
        } else {
            _ = try database.write { db in try DemoCatalog.seedIfEmpty(in: db, now: { clock.now }) }
        }
        let numbers = ReplayOrderNumbers()
        let engine = try ConversationEngine(
            database: database, understanding: understanding, configuration: EngineConfiguration(orderNumbers: numbers.next),
            now: { clock.now })
        var session = ReplaySession(file: transcript.file, engine: engine, clock: clock, numbers: numbers)
        for step in transcript.steps { session.perform(step) }
        return TranscriptResult(file: transcript.file, failures: session.failures)
    }
}
