import Commerce
import Cryptography
import Foundation
import Storage
import Testing

/// Agents and their tokens: what authenticates, what is stored, which names are taken.
struct AgentsTests {
    private static func add(_ fixture: CommerceFixture, _ name: String) throws -> (agent: Agent, token: String) {
        try fixture.database.write { db in try Agents(now: fixture.clock.now).add(name: name, in: db) }
    }

    private static func authenticate(_ fixture: CommerceFixture, _ token: String) throws -> Agent? {
        try fixture.database.read { db in try Agents().authenticate(token, in: db) }
    }

    /// A token that has the shape of an agent's but belongs to nobody.
    private static let strangerToken = "oba_" + String(repeating: "A", count: 43)

    /// A new agent's token is `oba_` and 43 base64url characters, and authenticates as that agent
    /// (each agent as themselves).
    @Test func addedTokenAuthenticatesItsAgent() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        let (anna, annasToken) = try Self.add(fixture, "anna")
        let (bob, bobsToken) = try Self.add(fixture, "bob.k")
        #expect(annasToken.hasPrefix("oba_") && annasToken.count == 47)
        #expect(AgentToken.isWellFormed(annasToken))
        #expect(annasToken.dropFirst(4).allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(annasToken != bobsToken)
        #expect(anna.name == "anna" && anna.enabled && anna.createdAt == fixture.clock.now())
        #expect(try Self.authenticate(fixture, annasToken) == anna)
        #expect(try Self.authenticate(fixture, bobsToken) == bob)
    }

    /// A wrong token, one changed by a character, a stranger's, one with spaces or another
    /// prefix authenticates nobody.
    @Test func wrongTokensAuthenticateNobody() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        let (_, token) = try Self.add(fixture, "anna")
        let changed = String(token.dropLast()) + (token.last == "A" ? "B" : "A")
        for presented in [changed, Self.strangerToken, "", "oba_", " " + token, token + " ", "obb_" + token.dropFirst(4),
                          token.uppercased(), String(token.dropLast())] {
            #expect(try Self.authenticate(fixture, presented) == nil, "\(presented)")
        }
    }

    /// A disabled agent's token is refused until the agent is enabled again; the others keep working.
    @Test func disabledAgentIsRefusedUntilEnabled() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        let (_, annasToken) = try Self.add(fixture, "anna")
        let (bob, bobsToken) = try Self.add(fixture, "bob")
        let disabled = try fixture.database.write { db in try Agents().disable("anna", in: db) }
        #expect(!disabled.enabled)
        #expect(try Self.authenticate(fixture, annasToken) == nil)
        #expect(try Self.authenticate(fixture, bobsToken) == bob)
        let again = try fixture.database.write { db in try Agents().disable("anna", in: db) }
        #expect(again == disabled)

        let enabled = try fixture.database.write { db in try Agents().enable("ANNA", in: db) }
        #expect(enabled.enabled)
        #expect(try Self.authenticate(fixture, annasToken)?.name == "anna")
    }

    /// The row holds the token's SHA-256 in hex and no trace of the token itself.
    @Test func onlyTheTokensHashIsStored() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        let (agent, token) = try Self.add(fixture, "anna")
        let row = try #require(try fixture.database.read { db in
            try db.queryFirst(
                "SELECT id, name, token_hash, enabled, created_at, disabled_at FROM agents WHERE id = ?", agent.id
            ) { row in (0..<6).map { row.optionalString($0) } }
        })
        #expect(row[2] == Hex.encode(SHA256Digest.hash(Array(token.utf8))))
        #expect(row[3] == "1" && row[5] == nil)
        #expect(!row.compactMap { $0 }.contains { $0.contains(token) || $0.contains(token.dropFirst(4)) })
    }

    /// A name taken in any case is refused and nothing is added.
    @Test func duplicateNameIsRefused() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        _ = try Self.add(fixture, "anna")
        #expect(throws: AgentError.duplicateName("anna")) { _ = try Self.add(fixture, "anna") }
        #expect(throws: AgentError.duplicateName("ANNA")) { _ = try Self.add(fixture, "ANNA") }
        #expect(try fixture.database.read { db in try Agents().list(in: db) }.map(\.name) == ["anna"])
    }

    /// Names are 1–64 ASCII letters, digits, `-`, `_` or `.`; anything else is refused before
    /// the database is touched.
    @Test(arguments: ["", String(repeating: "a", count: 65), "anna kowalska", "ania/1", "żaneta", "anna\n", "a:b", "'; --"])
    func invalidNamesAreRefused(_ name: String) throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        #expect(throws: AgentError.invalidName(name)) { _ = try Self.add(fixture, name) }
        #expect(try fixture.database.read { db in try Agents().list(in: db) }.isEmpty)
    }

    /// The longest, shortest and most varied valid names are accepted.
    @Test func validNamesAreAccepted() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        for name in ["a", String(repeating: "z", count: 64), "Anna.Kowalska_2-pl", "0"] {
            #expect(try Self.add(fixture, name).agent.name == name)
        }
    }

    /// The list shows every agent by name with its state; unknown names are typed errors.
    @Test func listAndUnknownAgents() throws {
        let fixture = try CommerceFixture(demoCatalog: false)
        _ = try Self.add(fixture, "zofia")
        _ = try Self.add(fixture, "Adam")
        _ = try Self.add(fixture, "bartek")
        try fixture.database.write { db in _ = try Agents().disable("bartek", in: db) }
        let agents = try fixture.database.read { db in try Agents().list(in: db) }
        #expect(agents.map(\.name) == ["Adam", "bartek", "zofia"])
        #expect(agents.map(\.enabled) == [true, false, true])
        #expect(throws: AgentError.unknownAgent("nobody")) {
            try fixture.database.write { db in try Agents().disable("nobody", in: db) }
        }
        #expect(throws: AgentError.unknownAgent("nobody")) {
            try fixture.database.write { db in try Agents().enable("nobody", in: db) }
        }
        #expect(try fixture.database.read { db in try Agents().find(named: "ZOFIA", in: db) }?.name == "zofia")
    }
}
