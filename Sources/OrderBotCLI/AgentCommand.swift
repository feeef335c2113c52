import Commerce
import Foundation
import Storage

/// `orderbot agent add|disable|enable|list`: the people who answer customers, and their tokens.
enum AgentCommand {
    static let description = CommandDescription(
        name: "agent", summary: "add, disable, enable or list agents (add prints the token once)", help: help, run: run)

    static let help = """
        Usage: orderbot agent add NAME [--db PATH]
               orderbot agent disable NAME [--db PATH]
               orderbot agent enable NAME [--db PATH]
               orderbot agent list [--db PATH]

        Agents answer customers in the agent console (/agent) and may call /api/* with their
        token instead of the admin token.

          add NAME       creates an enabled agent and prints its token on standard output, one
                         line, this once: only a hash of it is stored, so a lost token cannot
                         be shown again (disable the agent and add another name)
          disable NAME   refuses the agent's token from the next request on
          enable NAME    accepts it again
          list           name, whether enabled, and when created, of every agent (never tokens)

        NAME is 1 to 64 letters, digits, -, _ or . and unique whatever its case.

        Options (a flag wins over its environment variable):
          --db PATH        ORDERBOT_DB      SQLite database file              (default ./orderbot.sqlite)

        Exit status: 0 done, 1 refused (the name is taken, no such agent), 64 usage error.
        """

    /// What the command line asks for, checked before the database is opened.
    enum Action: Equatable {
        case add(String), disable(String), enable(String), list
    }

    static func run(_ arguments: [String], _ environment: [String: String]) async throws -> Int32 {
        let parsed = try ParsedArguments(arguments, valued: ["db"], flags: ["help"])
        if parsed.has("help") {
            print(help)
            return 0
        }
        let action = try action(parsed.positionals)
        let settings = Settings(arguments: parsed, environment: environment)
        let path = settings.string(flag: "db", variable: "ORDERBOT_DB") ?? "./orderbot.sqlite"
        let database = try DatabasePool(DatabaseConfiguration(path: path, readerCount: 1), migrator: Schema.migrator())
        defer { database.close() }
        do {
            try perform(action, on: database)
            return 0
        } catch let error as AgentError {
            CommandLineInterface.printError(String(describing: error))
            return 1
        }
    }

    /// The action `positionals` name; a usage error for an unknown subcommand, a missing, extra
    /// or invalid name.
    static func action(_ positionals: [String]) throws(UsageError) -> Action {
        guard let subcommand = positionals.first else {
            throw UsageError("agent needs a subcommand: add, disable, enable or list")
        }
        let operands = Array(positionals.dropFirst())
        if subcommand == "list" {
            guard operands.isEmpty else { throw UsageError("agent list takes no arguments (got \(operands))") }
            return .list
        }
        guard let named = namedActions[subcommand] else {
            throw UsageError("unknown agent subcommand \"\(subcommand)\" (add, disable, enable or list)")
        }
        guard operands.count == 1, let name = operands.first else {
            throw UsageError("agent \(subcommand) takes one NAME (got \(operands.count) arguments)")
        }
        guard Agent.isValidName(name) else { throw UsageError(AgentError.invalidName(name).description) }
        return named(name)
    }

    private static let namedActions: [String: @Sendable (String) -> Action] = [
        "add": Action.add, "disable": Action.disable, "enable": Action.enable,
    ]

    private static func perform(_ action: Action, on database: DatabasePool) throws {
        switch action {
        case .add(let name):
            let (agent, token) = try database.write { db in try Agents().add(name: name, in: db) }
            print(token)
            FileHandle.standardError.write(Data("""
                Agent \(agent.name) added. Keep the token printed on standard output somewhere safe and give \
                it to them by a safe channel: only its hash is stored, so it cannot be shown again.\n
                """.utf8))
        case .disable(let name):
            let agent = try database.write { db in try Agents().disable(name, in: db) }
            print("agent \(agent.name) disabled")
        case .enable(let name):
            let agent = try database.write { db in try Agents().enable(name, in: db) }
            print("agent \(agent.name) enabled")
        case .list:
            print(table(try database.read { db in try Agents().list(in: db) }))
        }
    }

    /// The agents as aligned columns under a header.
    static func table(_ agents: [Agent]) -> String {
        let rows = [["NAME", "ENABLED", "CREATED"]]
            + agents.map { [$0.name, $0.enabled ? "yes" : "no", Timestamps.text($0.createdAt)] }
        let widths = (0..<2).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row[0].padding(toLength: widths[0] + 2, withPad: " ", startingAt: 0)
                + row[1].padding(toLength: widths[1] + 2, withPad: " ", startingAt: 0) + row[2]
        }.joined(separator: "\n")
    }
}
