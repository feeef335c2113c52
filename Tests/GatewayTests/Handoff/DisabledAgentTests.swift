import Commerce
import Foundation
import Gateway
import Messenger
import Storage
import TestSupport
import Testing

/// `orderbot agent disable` run as its own process on the gateway's database file, while the
/// agent is signed in on a live gateway.
@Suite(.serialized)
struct DisabledAgentTests {
    /// A live gateway on a database file of its own, looking for disabled agents every `checkSeconds`, with
    /// agents `ewa` and `jan` added by the CLI, and two open escalations.
    private struct Scene: Sendable {
        let directory = TemporaryDirectory()
        let path: String
        let fixture: MessengerFixture
        let ewaToken: String
        let janToken: String
        let claimed: Int64
        let untouched: Int64

        init(checkSeconds: Double) async throws {
            let path = directory.path("handoff.sqlite")
            self.path = path
            let fixture = try await MessengerFixture(
                handoff: HandoffSettings(claimGraceSeconds: 60, disabledAgentCheckSeconds: checkSeconds), database: path)
            self.fixture = fixture
            (ewaToken, janToken, claimed, untouched) = try await blocking {
                let (claimed, untouched) = try DisabledAgentTests.escalations(fixture.gateway.database)
                return (try DisabledAgentTests.agent(["add", "ewa"], db: path), try DisabledAgentTests.agent(["add", "jan"], db: path),
                        claimed, untouched)
            }
        }

        var database: DatabasePool { fixture.gateway.database }

        /// Two consoles of ewa and one of jan, signed in; ewa has claimed `claimed` on her first.
        func consoles() throws -> (ewa: [AgentClient], jan: AgentClient) {
            let port = fixture.gateway.port
            let ewa = [try AgentClient(port: port), try AgentClient(port: port)]
            let jan = try AgentClient(port: port)
            for console in ewa { _ = try console.signIn(ewaToken) }
            _ = try jan.signIn(janToken)
            try ewa[0].send(["type": "claim", "escalation_id": claimed])
            _ = try ewa[0].next(type: "assigned")
            return (ewa, jan)
        }
    }

    /// `orderbot agent …` on the database at `path`; its standard output, or a throw unless it
    /// exits 0.
    private static func agent(_ arguments: [String], db path: String) throws -> String {
        let result = try ServerProcess.run(["agent"] + arguments + ["--db", path])
        guard result.status == 0 else { throw DisabledAgentTestError.command(arguments, result.error) }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Two open escalations of Messenger customers.
    private static func escalations(_ database: DatabasePool) throws -> (Int64, Int64) {
        try database.write { db in
            func escalation(_ psid: String) throws -> Int64 {
                let customer = try Customers().resolve(Identity(.messenger, psid), in: db)
                let conversation = try Conversations().open(customer: customer, channel: .messenger, externalID: psid, in: db)
                return try Escalations().open(
                    conversation: conversation.id, reason: .customerRequest, priority: 30, summary: psid, in: db).id
            }
            return (try escalation("psid-claimed"), try escalation("psid-untouched"))
        }
    }

    private static func holder(_ id: Int64, in database: DatabasePool) throws -> (EscalationStatus?, String?) {
        try database.read { db in try Escalations().find(id, in: db).map { ($0.status, $0.agent) } ?? (nil, nil) }
    }

    /// Expects `console` to get `error{agent_disabled}`, then the close 4403 "agent disabled".
    private static func expectClosedAsDisabled(_ console: AgentClient) throws {
        #expect(try console.next(type: "error", timeout: 5)["code"] as? String == "agent_disabled")
        let close = console.socket.readClose(timeout: 5)
        #expect(close?.code == 4403 && close?.reason == "agent disabled", "\(String(describing: close))")
    }

    /// Disabling a signed-in agent, with no frame from their consoles, closes each of them with
    /// 4403 after `error{agent_disabled}` (the gateway's look at the agents' table, every 0.25
    /// s), returns their claim to the queue at once (the grace period is a minute), leaves
    /// another agent's console working, and after `agent enable` the token signs in again.
    @Test func disablingClosesTheConsolesAndReturnsTheClaimsAtOnce() async throws {
        let scene = try await Scene(checkSeconds: 0.25)
        let database = scene.database
        try await blocking {
            let (ewa, jan) = try scene.consoles()
            #expect(try Self.agent(["disable", "ewa"], db: scene.path) == "agent ewa disabled")
            for console in ewa { try Self.expectClosedAsDisabled(console) }
            #expect(try Self.holder(scene.claimed, in: database) == (.open, nil))
            let conversation = try #require(try database.read { db in try Escalations().find(scene.claimed, in: db)?.conversationID })
            let item = try jan.queueItem(conversation: conversation, status: "open", timeout: 5)
            #expect(item["agent"] == nil || item["agent"] is NSNull, "jan's console is told the claim is back")
            try jan.send(["type": "claim", "escalation_id": scene.claimed])
            _ = try jan.next(type: "assigned")

            #expect(try Self.agent(["enable", "ewa"], db: scene.path) == "agent ewa enabled")
            let again = try AgentClient(port: scene.fixture.gateway.port)
            #expect((try again.signIn(scene.ewaToken)["agent"] as? [String: Any])?["name"] as? String == "ewa")
            try again.send(["type": "claim", "escalation_id": scene.untouched])
            _ = try again.next(type: "assigned")
        }
        await scene.fixture.stop()
    }

    /// A frame from a disabled agent's console is not acted on even before the gateway's next
    /// look at the agents' table (an hour away here): it closes every console of theirs with
    /// 4403 and returns their claim.
    @Test func aFrameAfterTheDisableIsRefused() async throws {
        let scene = try await Scene(checkSeconds: 3_600)
        let database = scene.database
        try await blocking {
            let (ewa, _) = try scene.consoles()
            #expect(try Self.agent(["disable", "ewa"], db: scene.path) == "agent ewa disabled")
            try ewa[0].send(["type": "claim", "escalation_id": scene.untouched])
            for console in ewa { try Self.expectClosedAsDisabled(console) }
            #expect(try Self.holder(scene.untouched, in: database) == (.open, nil), "the claim frame was not acted on")
            #expect(try Self.holder(scene.claimed, in: database) == (.open, nil))
        }
        await scene.fixture.stop()
    }
}

enum DisabledAgentTestError: Error, CustomStringConvertible {
    case command([String], String)

    var description: String {
        switch self {
        case .command(let arguments, let error): "orderbot agent \(arguments.joined(separator: " ")) failed: \(error)"
        }
    }
}
