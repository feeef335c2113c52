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
        try parsed(path) { try run($0) }
    }

    /// Reads the transcript at `path` and hands it to `replay`; a file that does not parse is a
    /// failed result at its line.
    private func parsed(_ path: String, _ replay: (Transcript) throws -> TranscriptResult) throws -> TranscriptResult {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        do {
            return try replay(try TranscriptParser().parse(text, file: path))
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
        let database = try Self.open(folder.appendingPathComponent("replay.sqlite").path)
        defer { database.close() }
        return try run(transcript, in: database, numbers: ReplayOrderNumbers())
    }

    /// Replays every transcript into the one database at `path` (created if new), one after the
    /// other, for a database full of conversations (the shop owner's numbers, a demo). The
    /// transcripts' customers meet (the same ids are the same customers), so their checks are
    /// reported but may not hold as they do alone.
    public func run(files: [String], intoDatabaseAt path: String) throws -> [TranscriptResult] {
        let database = try Self.open(path)
        defer { database.close() }
        let numbers = ReplayOrderNumbers()
        return try files.map { file in try parsed(file) { try run($0, in: database, numbers: numbers) } }
    }

    private static func open(_ path: String) throws -> DatabasePool {
        try DatabasePool(DatabaseConfiguration(path: path, readerCount: 1, durability: .normal), migrator: Schema.migrator())
    }

    private func run(_ transcript: Transcript, in database: DatabasePool, numbers: ReplayOrderNumbers) throws -> TranscriptResult {
        let clock = ReplayClock()
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
        let engine = try ConversationEngine(
            database: database, understanding: understanding, configuration: EngineConfiguration(orderNumbers: numbers.next),
            now: { clock.now })
        var session = ReplaySession(file: transcript.file, engine: engine, clock: clock, numbers: numbers)
        for step in transcript.steps { session.perform(step) }
        return TranscriptResult(file: transcript.file, failures: session.failures)
    }
}
