import Commerce
import Foundation
import Messenger
import ShopValues
import Storage
import Testing
import TestSupport

/// `POST /api/orders/{n}/status` from the shop's ERP against a live gateway: the order moves, its
/// history grows, and the customer hears of it once on the channel they last used (the Send API
/// and the notifier are real HTTP stand-ins).
@Suite(.serialized)
struct OrderStatusTests {
    static let tracking = "620000111222333"
    static let shipped = #"{"status":"shipped","carrier":"InPost","tracking_number":"620000111222333","tracking_url":"https://inpost.pl/sledzenie-przesylek?number=620000111222333"}"#

    static func post(
        _ fixture: TrustFixture, _ number: String, _ body: String, key: String? = nil, token: String = TrustFixture.adminToken,
        contentType: String = "application/json"
    ) async throws -> RawHTTPResponse {
        var headers = ["Authorization": "Bearer \(token)", "Content-Type": contentType]
        if let key { headers["Idempotency-Key"] = key }
        let client = fixture.client
        return try await blocking { [headers] in try client.post("/api/orders/\(number)/status", body: Array(body.utf8), headers: headers) }
    }

    static func json(_ response: RawHTTPResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    /// Waits until the outbox has nothing pending (every reply reached the Send API stand-in).
    static func settled(_ fixture: TrustFixture) async throws -> Bool {
        let database = fixture.gateway.database
        return try await blocking {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                let pending = try database.read { db in
                    try db.queryFirst("SELECT count(*) FROM outbox WHERE status = 'pending'") { $0.int(0) } ?? 1
                }
                if pending == 0 { return true }
                Thread.sleep(forTimeInterval: 0.02)
            }
            return false
        }
    }

    @Test func shippedReachesTheMessengerCustomerOnceInPolishAndTheirQuestionGetsTheTrackingNumber() async throws {
        let graph = try SendAPIStandIn()
        let fixture = try await TrustFixture(sendAPI: graph)
        let number = try await fixture.placeOrdererOrder()
        #expect(try await Self.settled(fixture))
        let before = graph.delivered(to: TrustFixture.Orderer.psid).count

        let first = try await Self.post(fixture, number, Self.shipped, key: "erp-42-shipped")
        let again = try await Self.post(fixture, number, Self.shipped, key: "erp-42-shipped")
        #expect(try await Self.settled(fixture))
        try await Task.sleep(for: .milliseconds(300))
        let notices = graph.delivered(to: TrustFixture.Orderer.psid).dropFirst(before)

        try await fixture.messenger(TrustFixture.Orderer.psid, "gdzie jest moja paczka?", at: 1_718_030_000_000)
        #expect(try await Self.settled(fixture))
        let answer = graph.delivered(to: TrustFixture.Orderer.psid).dropFirst(before + notices.count).compactMap(\.text)
        let history = try await fixture.count(
            "SELECT count(*) FROM order_status_history h JOIN orders o ON o.id = h.order_id WHERE o.number = '\(number)' AND h.status = 'shipped'")
        let customer = try await fixture.query("SELECT customer_id FROM orders WHERE number = '\(number)'") { $0.int64(0) } ?? 0
        let listed = (try await fixture.api("/api/customers/\(customer)")["orders"] as? [[String: Any]])?.first
        await fixture.stop()

        // What the agents' console shows under the order: history, payment and parcel.
        #expect((listed?["status_history"] as? [[String: Any]])?.map { $0["status"] as? String } == ["new", "shipped"])
        #expect(listed?["payment_status"] as? String == "unpaid" && listed?["payment_method"] as? String == "cash_on_delivery")
        #expect((listed?["tracking"] as? [String: Any])?["number"] as? String == Self.tracking)

        #expect(first.status == 200)
        #expect(Self.json(first)["status"] as? String == "shipped")
        let tracking = Self.json(first)["tracking"] as? [String: Any]
        #expect(tracking?["number"] as? String == Self.tracking && tracking?["carrier"] as? String == "InPost")
        #expect(again.status == 200)
        #expect(again.headers["idempotent-replayed"] == "true")
        #expect(history == 1, "the repeated update changed nothing")
        #expect(notices.count == 1, "told once: \(notices.map { $0.text ?? "" })")
        let notice = notices.first
        #expect(notice?.text?.contains("zostało wysłane") == true, "in Polish: \(notice?.text ?? "")")
        #expect(notice?.text?.contains(Self.tracking) == true)
        #expect(notice?.messagingType == "UPDATE", "news inside the 24-hour window is an update")
        #expect(answer.joined(separator: " ").contains(Self.tracking), "the answer: \(answer)")
        #expect(answer.joined(separator: " ").contains("InPost"))
    }

    @Test func impossibleRepeatedAndMalformedUpdatesChangeNothing() async throws {
        let fixture = try await TrustFixture()
        let number = try await fixture.placeOrdererOrder()
        let skipping = try await Self.post(fixture, number, #"{"status":"delivered"}"#)
        let shipped = try await Self.post(fixture, number, #"{"status":"shipped"}"#)
        let delivered = try await Self.post(fixture, number, #"{"status":"delivered"}"#)
        let packed = try await Self.post(fixture, number, #"{"status":"packed"}"#)
        let twice = try await Self.post(fixture, number, #"{"status":"delivered"}"#)
        let reused = try await Self.post(fixture, number, #"{"status":"returned"}"#, key: "k1")
        let reusedOther = try await Self.post(fixture, number, #"{"status":"returned","note":"inny"}"#, key: "k1")
        let refusals: [(String, RawHTTPResponse)] = [
            ("unknown status", try await Self.post(fixture, number, #"{"status":"lost"}"#)),
            ("new", try await Self.post(fixture, number, #"{"status":"new"}"#)),
            ("unknown field", try await Self.post(fixture, number, #"{"status":"returned","colour":"red"}"#)),
            ("malformed", try await Self.post(fixture, number, #"{"status":"#)),
            ("not an object", try await Self.post(fixture, number, #"["returned"]"#)),
            ("bad url", try await Self.post(fixture, number, #"{"status":"returned","tracking_url":"javascript:alert(1)"}"#)),
            ("long carrier", try await Self.post(fixture, number, #"{"status":"returned","carrier":"\#(String(repeating: "x", count: 101))"}"#)),
            ("bad key", try await Self.post(fixture, number, #"{"status":"returned"}"#, key: "a b")),
        ]
        let wrongType = try await Self.post(fixture, number, #"{"status":"returned"}"#, contentType: "text/plain")
        let unknown = try await Self.post(fixture, "100008", #"{"status":"paid"}"#)
        let noToken = try await Self.post(fixture, number, #"{"status":"returned"}"#, token: "wrong-token")
        let history = try await fixture.count(
            "SELECT count(*) FROM order_status_history h JOIN orders o ON o.id = h.order_id WHERE o.number = '\(number)'")
        let status = try await fixture.query("SELECT status FROM orders WHERE number = '\(number)'") { $0.string(0) }
        await fixture.stop()

        #expect(skipping.status == 409, "new cannot become delivered without shipping")
        #expect(shipped.status == 200 && delivered.status == 200)
        #expect(packed.status == 409)
        #expect((Self.json(packed)["error"] as? [String: Any])?["code"] as? String == "invalid_transition")
        #expect(twice.status == 409, "delivered twice without a key is no move")
        #expect(reused.status == 200)
        #expect(reusedOther.status == 422, "a key reused for another body")
        for (what, response) in refusals {
            #expect(response.status == 400, "\(what): \(String(decoding: response.body, as: UTF8.self))")
        }
        #expect(wrongType.status == 415)
        #expect(unknown.status == 404)
        #expect(noToken.status == 401)
        #expect(history == 4, "new, shipped, delivered, returned")
        #expect(status == "returned")
    }

    /// A key names an update of one order: the same key and body for another order moves that
    /// order too (an ERP numbering its updates per order must not see the second one dropped).
    @Test func theSameKeyForAnotherOrderIsAnotherUpdate() async throws {
        let fixture = try await TrustFixture()
        let first = try await fixture.placeOrdererOrder()
        let second = try await fixture.gateway.database.write { db in
            let customer = try Customers().resolve(Identity(.phone, "+48600700800"), in: db)
            return try Orders(facts: .demo()).place(OrderRequest(
                customerID: customer, lines: [OrderRequestLine(sku: "RUN-SOCKS-39-42-WHT", quantity: 1)],
                delivery: .parcelLocker(LockerCode("WRO01M")!), payment: .cashOnDelivery,
                contact: Contact(name: "Ewa Nowak", phone: PhoneNumber("600 700 800"))), in: db).number.digits
        }
        let one = try await Self.post(fixture, first, #"{"status":"packed"}"#, key: "update-1")
        let other = try await Self.post(fixture, second, #"{"status":"packed"}"#, key: "update-1")
        let packed = try await fixture.count("SELECT count(*) FROM orders WHERE status = 'packed'")
        await fixture.stop()
        #expect(one.status == 200 && other.status == 200)
        #expect(other.headers["idempotent-replayed"] == nil)
        #expect(packed == 2)
    }

    /// Cash on delivery: the shop reports the money after the parcel arrived; the order stays
    /// delivered, its payment is marked, and the same news again is no move.
    @Test func paidAtTheDoorMarksThePaymentOfADeliveredOrder() async throws {
        let fixture = try await TrustFixture()
        let number = try await fixture.placeOrdererOrder()
        for status in ["shipped", "delivered"] { _ = try await Self.post(fixture, number, #"{"status":"\#(status)"}"#) }
        let paid = try await Self.post(fixture, number, #"{"status":"paid","note":"pobranie"}"#)
        let again = try await Self.post(fixture, number, #"{"status":"paid"}"#)
        await fixture.stop()
        #expect(paid.status == 200)
        #expect(Self.json(paid)["status"] as? String == "delivered")
        #expect(Self.json(paid)["payment_status"] as? String == "paid")
        #expect(Self.json(paid)["paid_at"] is String)
        #expect(again.status == 409)
    }

    @Test func anAgentTokenMayNotChangeAnOrder() async throws {
        let fixture = try await TrustFixture()
        let number = try await fixture.placeOrdererOrder()
        let token = try await fixture.gateway.database.write { db in try Agents().add(name: "ola", in: db).token }
        let response = try await Self.post(fixture, number, #"{"status":"paid"}"#, token: token)
        let status = try await fixture.query("SELECT status FROM orders WHERE number = '\(number)'") { $0.string(0) }
        await fixture.stop()
        #expect(response.status == 403)
        #expect(status == "new")
    }
}

/// Where the news goes when the customer is not in a Messenger conversation of today: a phone
/// customer through the notifier; a Messenger customer whose window closed through the notifier
/// when they proved a contact, else as a tagged purchase update.
@Suite(.serialized)
struct OrderNoticeRouteTests {
    /// A customer with an order and one conversation on `channel`, seeded as an earlier visit
    /// left them; the order's number.
    static func seed(
        _ fixture: TrustFixture, identity: Identity, channel: ConversationChannel, wroteHoursAgo: Double,
        verified: Identity? = nil
    ) async throws -> String {
        try await fixture.gateway.database.write { db in
            let customer = try Customers().resolve(identity, in: db)
            if let verified { _ = try Customers().link(verified, to: customer, trust: .verified, in: db) }
            let conversation = try Conversations().open(customer: customer, channel: channel, externalID: identity.externalID, in: db)
            let message = try Conversations().append(.fromCustomer("zamawiam", intent: nil, confidence: nil), to: conversation.id, in: db)
            try db.run(
                "UPDATE messages SET created_at = ? WHERE id = ?",
                Timestamps.text(Date().addingTimeInterval(-wroteHoursAgo * 3_600)), message.id)
            let order = try Orders(facts: .demo()).place(OrderRequest(
                customerID: customer, conversationID: conversation.id,
                lines: [OrderRequestLine(sku: "RUN-SOCKS-39-42-WHT", quantity: 1)], delivery: .parcelLocker(LockerCode("WRO01M")!),
                payment: .cashOnDelivery, contact: Contact(name: "Ewa Nowak", phone: PhoneNumber("600 700 800"))), in: db)
            return order.number.digits
        }
    }

    @Test func aPhoneCustomerIsToldThroughTheNotifier() async throws {
        let notifier = try NotifierStandIn()
        let fixture = try await TrustFixture(notifier: notifier)
        let number = try await Self.seed(fixture, identity: Identity(.phone, "+48600700800"), channel: .voice, wroteHoursAgo: 1)
        let response = try await OrderStatusTests.post(fixture, number, OrderStatusTests.shipped)
        let arrived = try await blocking { notifier.waitUntil(timeout: 10) { !notifier.delivered.isEmpty } }
        await fixture.stop()
        #expect(response.status == 200)
        #expect(arrived)
        let sent = notifier.delivered.first?.json
        #expect(sent?["kind"] as? String == "order_update")
        #expect((sent?["to"] as? [String: String])?["phone"] == "+48600700800")
        #expect((sent?["text"] as? String)?.contains(OrderStatusTests.tracking) == true)
        #expect(sent?["language"] as? String == "pl")
        #expect(notifier.delivered.allSatisfy { NotifierStandIn.isSigned($0) })
    }

    /// A web chat customer whose page is closed reads the news when they come back.
    @Test func aWebChatCustomerGetsTheNewsOnTheirNextVisit() async throws {
        let fixture = try await TrustFixture()
        let port = fixture.gateway.port
        let database = fixture.gateway.database
        var page = try await blocking { try ChatClient(port: port) }
        let (session, conversation) = try await blocking { [page] in try page.hello() }
        _ = try await blocking { [page] in try page.ask("dzień dobry", id: "w1") }
        let number = try await database.write { db in
            guard let customer = try Conversations().find(conversation, in: db)?.customerID else { throw CommerceError.unknownConversation(conversation) }
            return try Orders(facts: .demo()).place(OrderRequest(
                customerID: customer, conversationID: conversation, lines: [OrderRequestLine(sku: "RUN-SOCKS-39-42-WHT", quantity: 1)],
                delivery: .parcelLocker(LockerCode("WRO01M")!), payment: .cashOnDelivery,
                contact: Contact(name: "Ewa Nowak", email: EmailAddress("ewa@example.pl"))), in: db).number.digits
        }
        try await blocking { [page] in try page.socket.sendClose() }
        let response = try await OrderStatusTests.post(fixture, number, OrderStatusTests.shipped)
        try await Task.sleep(for: .milliseconds(200))
        page = try await blocking { try ChatClient(port: port) }
        let news = try await blocking { [page] () -> String in
            _ = try page.hello(session: session)
            return try page.next(type: "message") { ($0["text"] as? String)?.contains("wysłane") == true }["text"] as? String ?? ""
        }
        await fixture.stop()
        #expect(response.status == 200)
        #expect(news.contains(OrderStatusTests.tracking), "\(news)")
    }

    @Test func aMessengerCustomerOutsideTheWindowGetsTheNotifierIfVerifiedElseATaggedUpdate() async throws {
        let notifier = try NotifierStandIn()
        let graph = try SendAPIStandIn()
        let fixture = try await TrustFixture(notifier: notifier, sendAPI: graph)
        let verified = try await Self.seed(
            fixture, identity: Identity(.messenger, "psid-verified"), channel: .messenger, wroteHoursAgo: 30,
            verified: Identity(.email, "ewa@example.pl"))
        let unverified = try await Self.seed(
            fixture, identity: Identity(.messenger, "psid-quiet"), channel: .messenger, wroteHoursAgo: 30)
        let first = try await OrderStatusTests.post(fixture, verified, #"{"status":"packed"}"#)
        let second = try await OrderStatusTests.post(fixture, unverified, #"{"status":"packed"}"#)
        let emailed = try await blocking { notifier.waitUntil(timeout: 10) { !notifier.delivered.isEmpty } }
        let tagged = try await blocking { graph.waitUntil(timeout: .seconds(10)) { !graph.delivered(to: "psid-quiet").isEmpty } }
        try await Task.sleep(for: .milliseconds(300))
        await fixture.stop()
        #expect(first.status == 200 && second.status == 200)
        #expect(emailed && tagged)
        #expect(notifier.delivered.map(\.to) == [["email": "ewa@example.pl"]])
        #expect(graph.delivered(to: "psid-verified").isEmpty, "the verified customer was e-mailed instead")
        let update = graph.delivered(to: "psid-quiet").first
        #expect(update?.messagingType == "MESSAGE_TAG")
        #expect(update?.tag == "POST_PURCHASE_UPDATE")
        #expect(update?.text?.contains("spakowane") == true)
    }
}
