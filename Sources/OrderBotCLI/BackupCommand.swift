import Foundation
import Storage

/// `orderbot backup PATH`: a consistent copy of the live database, while the server runs.
enum BackupCommand {
    static let description = CommandDescription(
        name: "backup", summary: "copy the database, consistent, while the server runs", help: help, run: run)

    static let help = """
        Usage: orderbot backup PATH [--db DB]

        Copies the database into a new file at PATH with SQLite's online backup API: one
        committed snapshot, taken while the server goes on writing (its writes after the snapshot
        are not in the copy). PATH must not exist. The copy is one self-contained file (no WAL);
        to restore, stop the server and put it in place of the database file.

        Options (a flag wins over its environment variable):
          --db DB          ORDERBOT_DB      SQLite database file to copy      (default ./orderbot.sqlite)

        Exit status: 0 copied, 1 the copy failed (nothing left at PATH), 64 usage error.
        """

    static func run(_ arguments: [String], _ environment: [String: String]) async throws -> Int32 {
        let parsed = try ParsedArguments(arguments, valued: ["db"], flags: ["help"])
        if parsed.has("help") {
            print(help)
            return 0
        }
        guard parsed.positionals.count == 1, let target = parsed.positionals.first else {
            throw UsageError("backup takes one PATH for the copy (got \(parsed.positionals.count) arguments)")
        }
        let source = Settings(arguments: parsed, environment: environment).string(flag: "db", variable: "ORDERBOT_DB")
            ?? "./orderbot.sqlite"
        guard FileManager.default.fileExists(atPath: source) else {
            CommandLineInterface.printError("no database at \(source)")
            return 1
        }
        let started = Date()
        let pages = try Database(path: source, readOnly: true).backup(to: target)
        let size = (try? FileManager.default.attributesOfItem(atPath: target)[.size] as? Int) ?? 0
        print("\(source) → \(target): \(pages) pages, \(size) bytes, in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        return 0
    }
}
