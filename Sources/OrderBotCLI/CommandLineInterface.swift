import Foundation
import Telemetry

/// The `orderbot` command: picks a subcommand, runs it, and turns what goes wrong into a message
/// and an exit status (0 success, 1 failure, 64 usage error).
public enum CommandLineInterface {
    /// Runs the command line `arguments` (without the program name) with `environment`.
    public static func run(_ arguments: [String], environment: [String: String]) async -> Int32 {
        guard let name = arguments.first, name != "--help", name != "-h", name != "help" else {
            if arguments.count > 1, arguments.first == "help", let command = command(named: arguments[1]) {
                print(command.help)
                return 0
            }
            print(overview)
            return arguments.isEmpty ? 64 : 0
        }
        if name == "--version" {
            print("orderbot \(version)")
            return 0
        }
        guard let command = command(named: name) else {
            printError("unknown command \"\(name)\"\nRun 'orderbot --help' for the list of commands.")
            return 64
        }
        do {
            return try await command.run(Array(arguments.dropFirst()), environment)
        } catch let usage as UsageError {
            printError("\(usage.message)\nRun 'orderbot \(name) --help' for usage.")
            return 64
        } catch {
            printError(String(describing: error))
            return 1
        }
    }

    /// The version this binary reports.
    public static let version = "0.1.0"

    static let commands: [CommandDescription] = [
        ServeCommand.description, ClassifyCommand.description, EvalIntentsCommand.description,
        ExportIntentsCommand.description, ImportCatalogCommand.description, ChatCommand.description,
        ReplayCommand.description, AgentCommand.description, BackupCommand.description,
    ]

    private static func command(named name: String) -> CommandDescription? {
        commands.first { $0.name == name }
    }

    static var overview: String {
        var text = """
            OrderBot: a conversational ordering gateway for online shops.

            Usage: orderbot <command> [options]

            Commands:

            """
        for command in commands {
            text += "  \(command.name.padding(toLength: 16, withPad: " ", startingAt: 0))\(command.summary)\n"
        }
        text += """

            Run 'orderbot <command> --help' for a command's options.
            Options: --help (this text), --version.
            """
        return text
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("orderbot: \(message)\n".utf8))
    }
}

/// A subcommand: its name, one-line summary, full help, and how it runs.
struct CommandDescription: Sendable {
    let name: String
    let summary: String
    let help: String
    let run: @Sendable ([String], [String: String]) async throws -> Int32
}
