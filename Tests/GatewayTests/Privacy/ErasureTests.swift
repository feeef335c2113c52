import Commerce
import Foundation
import Gateway
import Messenger
import ShopValues
import Storage
import Telemetry
import TestSupport
import Testing
import WebServer

/// `GET /api/customers/{id}/export` and `DELETE /api/customers/{id}` on a live gateway: the export
/// holds everything, and after the erasure (and its checkpoint) the customer's name, phone,
/// e-mail, address, identity and message texts are in no byte of the database file or its WAL,
/// while another customer's are untouched and the shop keeps the order's number and amounts.
@Suite(.serialized)
struct ErasureTests {
    private static let admin = "admin-secret-token"
    /// What identifies the erased customer, each written somewhere in the database.
    private static let personal = [
        "Zofia Brzęczyszczykiewicz", "601999888", "zofia.brzeczyszczykiewicz@example.pl", "Zawiszy Czarnego 17", "Pcim Dolny",
        "psid-zofia-7731", "pomarańczowe kalosze dla Zofii", "Kiedy przyjdzie paczka do Pcimia",
    ]

    private static func bytes(of path: String) -> [UInt8] {
        ["", "-wal"].flatMap { suffix in (FileManager.default.contents(atPath: path + suffix).map { [UInt8]($0) }) ?? [] }
    }

    private static func found(_ needle: String, in haystack: [UInt8]) -> Bool {
        let pattern = Array(needle.utf8)
        guard haystack.count >= pattern.count else { return false }
        return (0...(haystack.count - pattern.count)).contains { haystack[$0..<($0 + pattern.count)].elementsEqual(pattern) }
    }

    @Test func aCustomerIsExportedThenErasedFromEveryByte() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("gw.sqlite")
        let configuration = GatewayConfiguration(
            server: ServerConfiguration(port: 0), database: DatabaseConfiguration(path: path), adminToken: Self.admin,
            messenger: MessengerSettings(appSecret: MessengerFixture.appSecret))
        let gateway = try RunningGateway(try Gateway(
            configuration: configuration, logger: Logger(level: .error, sink: MemoryLogSink()), understanding: EngineFixture.understanding))
        let port = gateway.port
        let database = gateway.gateway.database
        let client = HTTPTestClient(port: port)
        let auth = ["Authorization": "Bearer \(Self.admin)"]

        // Zofia writes on Messenger (her PSID and words), gives her number (a claim) and orders;
        // Jan writes too.
        for (psid, text, time) in [
            ("psid-zofia-7731", "Szukam pomarańczowe kalosze dla Zofii", Int64(1_718_030_000_000)),
            ("psid-zofia-7731", "mój numer to 601 999 888", 1_718_030_000_100),
            ("psid-jan-5120", "Czy macie sandały trekkingowe Jana?", 1_718_030_000_200),
            ("psid-zofia-7731", "Kiedy przyjdzie paczka do Pcimia?", 1_718_030_000_300),
        ] {
            let body = MessengerEndToEndTests.batch([(psid: psid, text: text)], firstTimestamp: time)
            let response = try await blocking {
                try client.post("/webhooks/messenger", body: body, headers: [
                    "Content-Type": "application/json", "X-Hub-Signature-256": MessengerFixture.signature(body),
                ])
            }
            #expect(response.status == 200)
        }
        let zofia = try await blocking { () -> Int64 in
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                let handled = try database.read { db in
                    try db.queryFirst("SELECT count(*) FROM inbox WHERE status = 'done'") { $0.int(0) } ?? 0
                }
                if handled == 4, let id = try database.read({ db in try Customers().customerID(for: Identity(.messenger, "psid-zofia-7731"), in: db) }) {
                    return id
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw ErasureTestError.turnsNotTaken
        }
        let sku = try await database.read { db in try db.queryFirst("SELECT sku FROM variants WHERE stock > 0 ORDER BY sku") { $0.string(0) } ?? "" }
        let order = try await database.write { [facts = ShopFacts.demo()] db in
            try Orders(facts: facts).place(OrderRequest(
                customerID: zofia, lines: [OrderRequestLine(sku: sku, quantity: 1)],
                delivery: .courier(Address(street: "ul. Zawiszy Czarnego 17", postcode: Postcode("32-432")!, city: "Pcim Dolny")),
                payment: .blik,
                contact: Contact(
                    name: "Zofia Brzęczyszczykiewicz", phone: PhoneNumber("601 999 888"),
                    email: EmailAddress("zofia.brzeczyszczykiewicz@example.pl"))), in: db)
        }

        let refused = try await blocking { try client.get("/api/customers/\(zofia)/export", headers: ["Authorization": "Bearer wrong"]) }
        #expect(refused.status == 401)
        let export = try await blocking { try client.get("/api/customers/\(zofia)/export", headers: auth) }
        #expect(export.status == 200)
        for text in ["Zofia Brzęczyszczykiewicz", "Pcim Dolny", "pomarańczowe kalosze dla Zofii", "psid-zofia-7731", order.number.description] {
            #expect(export.text.contains(text), "\(text) is in the export")
        }
        #expect(!export.text.contains("sandały trekkingowe Jana"))
        let before = Self.bytes(of: path)
        for text in Self.personal { #expect(Self.found(text, in: before), "\(text) was stored (else the test proves nothing)") }

        let erased = try await blocking { try client.request("DELETE", "/api/customers/\(zofia)", headers: auth) }
        #expect(erased.status == 200)
        #expect(erased.text.contains(#""checkpointed":true"#))
        let after = Self.bytes(of: path)
        for text in Self.personal { #expect(!Self.found(text, in: after), "\(text) is still in the file") }
        #expect(Self.found("sandały trekkingowe Jana", in: after), "another customer's words stay")

        let kept = try await database.read { db in
            try db.queryFirst("SELECT number, total_minor, contact_name FROM orders WHERE customer_id = ?", zofia) {
                ($0.string(0), $0.int64(1), $0.string(2))
            }
        }
        #expect(kept?.0 == order.number.description)
        #expect(kept?.1 == order.total.minorUnits)
        #expect(kept?.2 == "")
        // Gone for the API, as after any DELETE: the record, the export and a second erasure.
        let again = try await blocking {
            try ["/api/customers/\(zofia)", "/api/customers/\(zofia)/export"].map { try client.get($0, headers: auth).status }
                + [try client.request("DELETE", "/api/customers/\(zofia)", headers: auth).status]
        }
        #expect(again == [404, 404, 404])
        let missing = try await blocking { try client.request("DELETE", "/api/customers/999999", headers: auth) }
        #expect(missing.status == 404)
        await gateway.stop()
        let closed = Self.bytes(of: path)
        for text in Self.personal { #expect(!Self.found(text, in: closed)) }
    }
}

enum ErasureTestError: Error {
    case turnsNotTaken
}
