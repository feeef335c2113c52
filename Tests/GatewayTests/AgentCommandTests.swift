import Commerce
import Foundation
import Storage
import Testing
import TestSupport

/// `orderbot agent …` as operators run it, and what `serve` then accepts.
@Suite(.serialized)
struct AgentCommandTests {
    private static func agent(_ arguments: [String], db: String) throws -> (status: Int32, output: String, error: String) {
        try ServerProcess.run(["agent"] + arguments + ["--db", db])
    }

    /// The stored row of agent `name`, every column as text.
    private static func row(_ name: String, in path: String) throws -> [String] {
        let database = try Database(path: path, readOnly: true)
        return try database.queryFirst("SELECT * FROM agents WHERE name = ?", name) { row in
            (0..<row.columnCount).map { row.optionalString($0) ?? "" }
        } ?? []
    }

    /// `agent add` prints the token and nothing else on standard output, one line; the advice
    /// goes to standard error; the token authenticates the new agent.
    @Test func addPrintsTheTokenOnce() async throws {
        let directory = TemporaryDirectory()
        let database = directory.path("agents.sqlite")
        let result = try await blocking { try Self.agent(["add", "anna"], db: database) }
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "one line and its newline: \(result.output)")
        let token = String(lines[0])
        #expect(AgentToken.isWellFormed(token))
        #expect(result.error.contains("anna") && result.error.contains("safe"))
        #expect(!result.error.contains(token))
        let authenticated = try await blocking {
            let pool = try DatabasePool(DatabaseConfiguration(path: database, readerCount: 1), migrator: Schema.migrator())
            defer { pool.close() }
            return try pool.read { db in try Agents().authenticate(token, in: db) }
        }
        #expect(authenticated?.name == "anna")
    }

    /// Usage mistakes exit 64 with a message and help pointer; a taken name or an unknown agent
    /// exits 1 naming it; none of them prints on standard output.
    @Test func mistakesAndRefusals() async throws {
        let directory = TemporaryDirectory()
        let database = directory.path("agents.sqlite")
        let usage: [([String], String)] = [
            ([], "needs a subcommand"),
            (["remove", "anna"], "unknown agent subcommand \"remove\""),
            (["add"], "takes one NAME"),
            (["add", "anna", "bob"], "takes one NAME"),
            (["add", "anna kowalska"], "is not a valid agent name"),
            (["add", String(repeating: "a", count: 65)], "is not a valid agent name"),
            (["disable"], "takes one NAME"),
            (["list", "all"], "takes no arguments"),
            (["add", "anna", "--token", "x"], "unknown option --token"),
        ]
        let results = try await blocking {
            let mistakes = try usage.map { try Self.agent($0.0, db: database) }
            let first = try Self.agent(["add", "anna"], db: database)
            let taken = try Self.agent(["add", "Anna"], db: database)
            let unknown = try Self.agent(["disable", "bob"], db: database)
            return (mistakes, first, taken, unknown)
        }
        for ((arguments, message), result) in zip(usage, results.0) {
            #expect(result.status == 64, "\(arguments)")
            #expect(result.error.contains(message), "\(arguments): \(result.error)")
            #expect(result.error.contains("orderbot agent --help"), "\(arguments)")
            #expect(result.output.isEmpty, "\(arguments)")
        }
        #expect(results.1.status == 0)
        #expect(results.2.status == 1 && results.2.error.contains("an agent named Anna exists already"))
        #expect(results.3.status == 1 && results.3.error.contains("no agent named bob"))
        #expect(results.2.output.isEmpty && results.3.output.isEmpty)
    }

    /// `agent list` shows names, states and creation times, never a token or its hash.
    @Test func listNeverShowsSecrets() async throws {
        let directory = TemporaryDirectory()
        let database = directory.path("agents.sqlite")
        let (added, disabled, listed, hashes) = try await blocking {
            let added = try ["anna", "bob"].map { try Self.agent(["add", $0], db: database).output }
            let disabled = try Self.agent(["disable", "bob"], db: database)
            let listed = try ServerProcess.run(["agent", "list"], environment: ["ORDERBOT_DB": database])
            return (added, disabled, listed, try ["anna", "bob"].map { try Self.row($0, in: database)[2] })
        }
        #expect(disabled.status == 0 && disabled.output == "agent bob disabled\n")
        #expect(listed.status == 0)
        let lines = listed.output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.map { $0.prefix(2) } == [["NAME", "ENABLED"], ["anna", "yes"], ["bob", "no"]])
        #expect(lines.dropFirst().allSatisfy { Timestamps.date($0.last ?? "") != nil })
        for hash in hashes {
            #expect(hash.count == 64 && !listed.output.contains(hash))
        }
        for token in added.map({ $0.trimmingCharacters(in: .newlines) }) {
            #expect(!token.isEmpty && !listed.output.contains(token) && !listed.output.contains(token.dropFirst(4)))
        }
    }

    /// A running `serve` accepts an agent's token on /api/* and refuses it from the request after
    /// `agent disable`, and again accepts it after `agent enable`; the admin token still works.
    @Test func servedAPIFollowsTheAgentsState() async throws {
        let directory = TemporaryDirectory()
        let database = directory.path("agents.sqlite")
        let statuses = try await blocking { () -> [Int] in
            let token = try Self.agent(["add", "anna"], db: database).output.trimmingCharacters(in: .newlines)
            let server = try ServerProcess(
                ["serve", "--port", "0", "--db", database], environment: ["ORDERBOT_ADMIN_TOKEN": "admin-secret"])
            defer {
                server.send(signal: SIGTERM)
                _ = server.waitForExit()
            }
            let client = HTTPTestClient(port: try server.waitForPort())
            func status(_ bearer: String) throws -> Int {
                try client.get("/api/escalations", headers: ["Authorization": "Bearer \(bearer)"]).status
            }
            var statuses = [try status(token)]
            _ = try Self.agent(["disable", "anna"], db: database)
            statuses += [try status(token), try status("admin-secret")]
            _ = try Self.agent(["enable", "anna"], db: database)
            statuses.append(try status(token))
            return statuses
        }
        #expect(statuses == [200, 401, 200, 200])
    }

    /// `orderbot agent --help` explains every subcommand.
    @Test func help() async throws {
        let result = try await blocking { try ServerProcess.run(["agent", "--help"]) }
        #expect(result.status == 0)
        for usage in ["agent add NAME", "agent disable NAME", "agent enable NAME", "agent list"] {
            #expect(result.output.contains(usage))
        }
    }
}
