import Commerce
import Foundation
import Gateway
import Messenger
import ShopValues
import Storage
import Telemetry
import TestSupport
import Testing
import Voice
import WebServer

/// The read API against a live gateway on port 0: a customer known on two channels, with an
/// order, a conversation on each channel and an escalation, read back over HTTP.
struct ReadAPITests {
    static let token = "test-admin-token-0123456789"

    /// What the seeded story created, to look up over HTTP.
    struct Story: Sendable {
        let customer: Int64
        let orderNumber: String
        let messengerConversation: Int64
        let voiceConversation: Int64
        let escalation: Int64
    }

    private static func start(_ directory: TemporaryDirectory, token: String? = token) throws -> RunningGateway {
        let configuration = GatewayConfiguration(
            server: ServerConfiguration(port: 0), database: DatabaseConfiguration(path: directory.path("api.sqlite")),
            adminToken: token)
        let gateway = try Gateway(
            configuration: configuration, logger: Logger(level: .error, sink: MemoryLogSink()),
            understanding: EngineFixture.understanding)
        return try RunningGateway(gateway)
    }

    /// A Messenger customer who writes, is escalated, later calls from a phone number that the
    /// shop already knew as another record (with an order): the two records merge.
    private static func seed(_ gateway: Gateway) throws -> Story {
        try gateway.database.write { db in
            let customers = Customers()
            let conversations = Conversations()
            let caller = try customers.resolve(Identity(.phone, "+48600123456"), in: db)
            let order = try Orders(facts: .demo()).place(OrderRequest(
                customerID: caller, lines: [OrderRequestLine(sku: "RUN-SOCKS-39-42-WHT", quantity: 2)],
                delivery: .parcelLocker(LockerCode("WRO01M")!), payment: .blik,
                contact: Contact(name: "Anna Kowalska", phone: PhoneNumber("600123456"))), in: db)
            let voice = try conversations.open(customer: caller, channel: .voice, externalID: "call-1", in: db)
            try conversations.append(.fromCustomer("gdzie jest moja paczka", intent: "order_status", confidence: 0.93), to: voice.id, in: db)

            let writer = try customers.resolve(Identity(.messenger, "psid-42"), in: db)
            let chat = try conversations.open(customer: writer, channel: .messenger, externalID: "psid-42", in: db)
            try conversations.append(.fromCustomer("chcę rozmawiać z człowiekiem", intent: "human_agent", confidence: 0.88), to: chat.id, in: db)
            try conversations.append(.reply("Już łączę z konsultantem.", from: .bot), to: chat.id, in: db)
            let escalation = try Escalations().open(
                conversation: chat.id, reason: .customerRequest, priority: 2, summary: "asks for a person", in: db)
            let merged = try customers.link(Identity(.phone, "+48600123456"), to: writer, in: db)
            try customers.update(merged.customerID, name: "Anna Kowalska", in: db)
            return Story(
                customer: merged.customerID, orderNumber: order.number.digits, messengerConversation: chat.id,
                voiceConversation: voice.id, escalation: escalation.id)
        }
    }

    private static func get(_ gateway: RunningGateway, _ path: String, token: String? = token) async throws -> RawHTTPResponse {
        try await blocking {
            try HTTPTestClient(port: gateway.port).get(path, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:])
        }
    }

    private static func stop(_ gateway: RunningGateway) async {
        await gateway.stop()
    }

    /// The shared record: both identities, the order, the escalation, both conversations —
    /// by id, and by phone or Messenger id.
    @Test func customerWithTwoChannels() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory)
        let story = try Self.seed(gateway.gateway)
        let byID = try await Self.get(gateway, "/api/customers/\(story.customer)")
        let byPhone = try await Self.get(gateway, "/api/customers?phone=%2B48%20600%20123%20456")
        let byMessenger = try await Self.get(gateway, "/api/customers?messenger=psid-42")
        let nobody = try await Self.get(gateway, "/api/customers?email=nobody@example.pl")
        await Self.stop(gateway)

        #expect(byID.status == 200)
        #expect(byID.headers["content-type"] == "application/json")
        let record = try #require(byID.json)
        #expect(record["id"] as? Int == Int(story.customer))
        #expect(record["name"] as? String == "Anna Kowalska")
        #expect(record["phone"] as? String == "+48600123456")
        #expect(record["email"] is NSNull)
        let identities = try #require(record["identities"] as? [[String: Any]])
        #expect(Set(identities.map { "\($0["channel"]!):\($0["external_id"]!)" }) == ["messenger:psid-42", "phone:+48600123456"])
        let orders = try #require(record["orders"] as? [[String: Any]])
        #expect(orders.map { $0["number"] as? String } == [story.orderNumber])
        #expect((orders.first?["total"] as? [String: Any])?["amount"] as? String == "71.97")
        let escalations = try #require(record["escalations"] as? [[String: Any]])
        #expect(escalations.map { $0["id"] as? Int } == [Int(story.escalation)])
        #expect(escalations.first?["reason"] as? String == "customer_request")
        let conversations = try #require(record["conversations"] as? [[String: Any]])
        #expect(Set(conversations.compactMap { $0["channel"] as? String }) == ["messenger", "voice"])
        #expect(conversations.first { $0["channel"] as? String == "messenger" }?["mode"] as? String == "human")
        #expect(conversations.first { $0["channel"] as? String == "messenger" }?["message_count"] as? Int == 2)

        for found in [byPhone, byMessenger] {
            #expect(found.status == 200)
            let customers = try #require(found.json?["customers"] as? [[String: Any]])
            #expect(customers.map { $0["id"] as? Int } == [Int(story.customer)])
        }
        #expect(nobody.status == 200)
        #expect((nobody.json?["customers"] as? [Any])?.isEmpty == true)
    }

    /// An order with its lines, exact totals, delivery, payment and status history; and the
    /// customer's orders list.
    @Test func orders() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory)
        let story = try Self.seed(gateway.gateway)
        let one = try await Self.get(gateway, "/api/orders/\(story.orderNumber)")
        let list = try await Self.get(gateway, "/api/orders?customer_id=\(story.customer)")
        await Self.stop(gateway)

        #expect(one.status == 200)
        let order = try #require(one.json)
        #expect(order["number"] as? String == story.orderNumber)
        #expect(order["customer_id"] as? Int == Int(story.customer))
        #expect(order["status"] as? String == "new")
        let lines = try #require(order["lines"] as? [[String: Any]])
        #expect(lines.count == 1)
        #expect(lines.first?["sku"] as? String == "RUN-SOCKS-39-42-WHT")
        #expect(lines.first?["quantity"] as? Int == 2)
        #expect((lines.first?["unit_price"] as? [String: Any])?["amount"] as? String == "29.99")
        #expect((lines.first?["line_total"] as? [String: Any])?["amount"] as? String == "59.98")
        #expect((order["items_total"] as? [String: Any])?["amount"] as? String == "59.98")
        #expect((order["delivery_price"] as? [String: Any])?["amount"] as? String == "11.99")
        #expect((order["total"] as? [String: Any])?["amount"] as? String == "71.97")
        #expect((order["total"] as? [String: Any])?["currency"] as? String == "PLN")
        let delivery = try #require(order["delivery"] as? [String: Any])
        #expect(delivery["method"] as? String == "parcel_locker")
        #expect(delivery["locker_code"] as? String == "WRO01M")
        #expect(delivery["address"] is NSNull)
        #expect(order["payment_method"] as? String == "blik")
        #expect(order["invoice"] is NSNull)
        #expect((order["status_history"] as? [[String: Any]])?.map { $0["status"] as? String } == ["new"])

        #expect(list.status == 200)
        #expect((list.json?["orders"] as? [[String: Any]])?.map { $0["number"] as? String } == [story.orderNumber])
    }

    /// A transcript: every message in order, with intent and confidence of the customer's.
    @Test func conversationMessages() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory)
        let story = try Self.seed(gateway.gateway)
        let response = try await Self.get(gateway, "/api/conversations/\(story.messengerConversation)/messages")
        await Self.stop(gateway)

        #expect(response.status == 200)
        let conversation = try #require(response.json?["conversation"] as? [String: Any])
        #expect(conversation["channel"] as? String == "messenger")
        #expect(conversation["customer_id"] as? Int == Int(story.customer))
        let messages = try #require(response.json?["messages"] as? [[String: Any]])
        #expect(messages.map { $0["author"] as? String } == ["customer", "bot"])
        #expect(messages.map { $0["direction"] as? String } == ["in", "out"])
        #expect(messages.first?["text"] as? String == "chcę rozmawiać z człowiekiem")
        #expect(messages.first?["intent"] as? String == "human_agent")
        #expect(messages.first?["confidence"] as? Double == 0.88)
        #expect(messages.last?["intent"] is NSNull)
    }

    /// The queue, filtered by status.
    @Test func escalationQueue() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory)
        let story = try Self.seed(gateway.gateway)
        let open = try await Self.get(gateway, "/api/escalations?status=open")
        let all = try await Self.get(gateway, "/api/escalations")
        let resolved = try await Self.get(gateway, "/api/escalations?status=resolved")
        await Self.stop(gateway)

        let queue = try #require(open.json?["escalations"] as? [[String: Any]])
        #expect(queue.map { $0["id"] as? Int } == [Int(story.escalation)])
        #expect(queue.first?["conversation_id"] as? Int == Int(story.messengerConversation))
        #expect(queue.first?["status"] as? String == "open")
        #expect(queue.first?["agent"] is NSNull)
        #expect((all.json?["escalations"] as? [Any])?.count == 1)
        #expect((resolved.json?["escalations"] as? [Any])?.isEmpty == true)
    }

    /// Without the token, with a wrong one, or with another scheme: 401 with a JSON error and a
    /// challenge, on every endpoint.
    @Test(arguments: [nil, "wrong-token", "test-admin-token-012345678", "test-admin-token-01234567890"])
    func wrongOrMissingTokenIs401(_ presented: String?) async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory)
        let story = try Self.seed(gateway.gateway)
        var responses: [RawHTTPResponse] = []
        for path in ["/api/customers/\(story.customer)", "/api/customers?phone=600123456", "/api/orders/\(story.orderNumber)",
                     "/api/orders?customer_id=\(story.customer)", "/api/conversations/\(story.voiceConversation)/messages",
                     "/api/escalations?status=open", "/api/openapi.json"] {
            responses.append(try await Self.get(gateway, path, token: presented))
        }
        let basic = try await blocking {
            try HTTPTestClient(port: gateway.port).get("/api/escalations", headers: ["Authorization": "Basic \(Self.token)"])
        }
        await Self.stop(gateway)
        for response in responses + [basic] {
            #expect(response.status == 401)
            #expect(response.errorCode == "unauthorized")
            #expect(response.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
            #expect(!response.text.contains(story.orderNumber))
        }
    }

    /// With no admin token configured, the API refuses everyone.
    @Test func unconfiguredTokenRefusesEveryone() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory, token: nil)
        let response = try await Self.get(gateway, "/api/escalations", token: "")
        let guessed = try await Self.get(gateway, "/api/escalations", token: "null")
        await Self.stop(gateway)
        #expect(response.status == 401 && guessed.status == 401)
        #expect(response.text.contains("ORDERBOT_ADMIN_TOKEN"))
    }

    /// An enabled agent's token opens the API like the admin token; a disabled agent's gets 401
    /// from the next request on, as does any agent's while no admin token is configured.
    @Test func agentTokens() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory)
        let story = try Self.seed(gateway.gateway)
        let (anna, bob) = try await gateway.gateway.database.write { db in
            (try Agents().add(name: "anna", in: db).token, try Agents().add(name: "bob", in: db).token)
        }
        let annaReads = try await Self.get(gateway, "/api/escalations", token: anna)
        let annaTranscript = try await Self.get(gateway, "/api/conversations/\(story.messengerConversation)/messages", token: anna)
        let bobBefore = try await Self.get(gateway, "/api/escalations", token: bob)
        _ = try await gateway.gateway.database.write { db in try Agents().disable("bob", in: db) }
        let bobAfter = try await Self.get(gateway, "/api/escalations", token: bob)
        let annaAfter = try await Self.get(gateway, "/api/escalations", token: anna)
        await Self.stop(gateway)

        #expect(annaReads.status == 200 && bobBefore.status == 200 && annaAfter.status == 200)
        #expect((annaReads.json?["escalations"] as? [[String: Any]])?.map { $0["id"] as? Int } == [Int(story.escalation)])
        #expect(annaTranscript.status == 200)
        #expect(bobAfter.status == 401 && bobAfter.errorCode == "unauthorized")
        #expect(bobAfter.headers["www-authenticate"]?.hasPrefix("Bearer") == true)

        let unconfigured = TemporaryDirectory()
        let closed = try Self.start(unconfigured, token: nil)
        let token = try await closed.gateway.database.write { db in try Agents().add(name: "anna", in: db).token }
        let refused = try await Self.get(closed, "/api/escalations", token: token)
        await Self.stop(closed)
        #expect(refused.status == 401 && refused.text.contains("ORDERBOT_ADMIN_TOKEN"))
    }

    /// Unknown ids are 404 with a JSON error; malformed queries are 400 with their own codes.
    @Test func unknownIdsAndBadQueries() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory)
        let story = try Self.seed(gateway.gateway)
        let cases: [(String, Int, String)] = [
            ("/api/customers/999999", 404, "not_found"),
            ("/api/customers/abc", 404, "not_found"),
            ("/api/orders/99999999", 404, "not_found"),
            ("/api/orders/\(story.orderNumber.dropLast())\((Int(String(story.orderNumber.last!))! + 1) % 10)", 404, "not_found"),
            ("/api/orders?customer_id=999999", 404, "not_found"),
            ("/api/conversations/999999/messages", 404, "not_found"),
            ("/api/customers", 400, "missing_query"),
            ("/api/customers?phone=600123456&email=a@b.pl", 400, "ambiguous_query"),
            ("/api/customers?phone=600123456&mail=a@b.pl", 400, "unknown_parameter"),
            ("/api/customers?=null&email=a@b.pl", 400, "unknown_parameter"),
            ("/api/customers?messenger=%0D4", 400, "invalid_query"),
            ("/api/customers?messenger=psid%20with%20spaces", 400, "invalid_query"),
            ("/api/customers?phone=12", 400, "invalid_phone"),
            ("/api/customers?email=not-an-address", 400, "invalid_email"),
            ("/api/orders", 400, "missing_query"),
            ("/api/orders?customer_id=x", 400, "invalid_query"),
            ("/api/escalations?status=closed", 400, "invalid_query"),
        ]
        var answers: [RawHTTPResponse] = []
        for (path, _, _) in cases { answers.append(try await Self.get(gateway, path)) }
        await Self.stop(gateway)
        for ((path, status, code), answer) in zip(cases, answers) {
            #expect(answer.status == status, "\(path)")
            #expect(answer.errorCode == code, "\(path): \(answer.text)")
            #expect(answer.json?["error"] is [String: Any], "\(path)")
        }
    }

    /// The OpenAPI 3 document describes every /api and /webhooks route the gateway serves.
    @Test func openAPIDescribesTheRoutes() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory)
        let response = try await Self.get(gateway, "/api/openapi.json")
        await Self.stop(gateway)
        #expect(response.status == 200)
        let document = try #require(response.json)
        #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
        let paths = try #require(document["paths"] as? [String: Any])
        #expect(Set(paths.keys).isSuperset(of: [
            "/api/customers/{id}", "/api/customers", "/api/orders/{number}", "/api/orders",
            "/api/conversations/{id}/messages", "/api/escalations", "/api/openapi.json", "/webhooks/messenger",
            "/api/customers/{id}/export",
        ]))
        let customer = try #require(paths["/api/customers/{id}"] as? [String: Any])
        #expect(customer["delete"] != nil, "the erasure is described")
    }
}
