import Commerce
import Foundation
import Gateway
import Storage
import Testing
import TestSupport

/// The merge stays, reachable by an agent's deliberate action: the agent holding a conversation
/// links its customer with a record they know is the same person; the merge records the agent.
/// Live gateway, a real console over `/ws/agent`, a web chat customer over `/ws/chat`.
struct AgentLinkTests {
    @Test func anAgentHoldingTheConversationLinksTwoRecordsOnPurpose() async throws {
        let fixture = try await TrustFixture()
        let number = try await fixture.placeOrdererOrder()
        let database = fixture.gateway.database
        let port = fixture.gateway.port
        let orderer = try #require(try await fixture.query(
            "SELECT customer_id FROM customer_identities WHERE external_id = '\(TrustFixture.Orderer.psid)'") { $0.int64(0) })
        let (linked, assigned, refusals, afterwards) = try await blocking {
            let tokens = try database.write { db in try ["ewa", "jan"].map { try Agents().add(name: $0, in: db).token } }
            let ewa = try AgentClient(port: port)
            let jan = try AgentClient(port: port)
            _ = try ewa.signIn(tokens[0])
            _ = try jan.signIn(tokens[1])
            let page = try ChatClient(port: port)
            defer { try? page.close() }
            let (_, conversation) = try page.hello()
            _ = try page.ask("chcę rozmawiać z konsultantem", id: "1")
            let escalation = try #require(try ewa.queueItem(conversation: conversation)["escalation_id"] as? Int64)
            try ewa.send(["type": "claim", "escalation_id": escalation])
            _ = try ewa.next(type: "assigned")

            try jan.send(["type": "link_customer", "conversation_id": conversation, "customer_id": orderer])
            let notHolder = try jan.next(type: "error")["code"] as? String
            try ewa.send(["type": "link_customer", "conversation_id": conversation, "customer_id": 987_654])
            let unknown = try ewa.next(type: "error")["code"] as? String
            try ewa.send(["type": "link_customer", "conversation_id": conversation])
            let malformed = try ewa.next(type: "error")["code"] as? String

            try ewa.send(["type": "link_customer", "conversation_id": conversation, "customer_id": orderer])
            let linked = try ewa.next(type: "customer_linked")
            let assigned = try ewa.next(type: "assigned")
            try ewa.send(["type": "resolve", "escalation_id": escalation, "return_to_bot": true])
            _ = try ewa.next(type: "resolved")
            _ = try page.next(type: "handoff") { $0["status"] as? String == "returned_to_bot" }
            let afterwards = try page.ask("gdzie jest moje zamówienie?", id: "2")
            let orders = (assigned["customer"] as? [String: Any])?["orders"] as? [[String: Any]] ?? []
            return (linked["customer_id"] as? Int64, orders.compactMap { $0["number"] as? String }, [notHolder, unknown, malformed],
                    afterwards)
        }
        #expect(refusals[0] == "not_assigned", "only the agent holding the conversation may link")
        #expect(refusals[1] == "unknown_customer")
        #expect(refusals[2] != nil)
        #expect(linked == orderer, "the older record survives")
        #expect(assigned.contains(number), "the console shows the merged record")
        #expect(try await fixture.query("SELECT actor FROM customer_merges") { $0.string(0) } == "agent:ewa")
        #expect(afterwards.contains(number), "the customer now sees the order: \(afterwards)")
        await fixture.stop()
    }
}
