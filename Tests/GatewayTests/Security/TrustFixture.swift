import Commerce
import Foundation
import Gateway
import Messenger
import Notifier
import OrderWebhook
import Payments
import RateLimits
import Storage
import Telemetry
import TestSupport
import Voice
import WebServer

/// A live gateway on port 0 with Messenger (signed webhooks), the read API (admin token), the
/// web chat and, when given, a notifier and a Send API stand-in; a fresh SQLite file; logs kept at debug level
/// so a test can look for what must never be logged.
final class TrustFixture: Sendable {
    static let adminToken = "admin-token"
    static let voiceToken = "voice-token"

    let directory = TemporaryDirectory()
    let gateway: Gateway
    private let running: RunningGateway
    let logs = MemoryLogSink()
    let notifier: NotifierStandIn?

    /// A gateway on a fresh database, or on the one at `path` (another fixture's, for a restart).
    init(
        notifier: NotifierStandIn? = nil, orderWebhook: OrderWebhookSettings? = nil, sendAPI: SendAPIStandIn? = nil,
        payments: PaymentSettings = PaymentSettings(), database path: String? = nil, rateLimits: RateLimitSettings = RateLimitSettings()
    ) async throws {
        self.notifier = notifier
        var configuration = GatewayConfiguration(
            server: ServerConfiguration(port: 0), database: DatabaseConfiguration(path: path ?? directory.path("trust.sqlite")),
            adminToken: Self.adminToken,
            messenger: MessengerSettings(
                appSecret: MessengerFixture.appSecret, verifyToken: MessengerFixture.verifyToken,
                delivery: sendAPI.map {
                    MessengerSendConfiguration(
                        apiBase: $0.baseURL, pageToken: "page-token", baseRetryDelay: .milliseconds(20),
                        maxRetryDelay: .milliseconds(200))
                } ?? MessengerSendConfiguration()),
            voice: VoiceSettings(token: Self.voiceToken),
            notifier: notifier.map { NotifierSettings(url: $0.url, secret: NotifierStandIn.secret) }, rateLimits: rateLimits)
        configuration.orderWebhook = orderWebhook
        configuration.payments = payments
        let understanding = try await blocking { EngineFixture.understanding }
        gateway = try Gateway(configuration: configuration, logger: Logger(level: .debug, sink: logs), understanding: understanding)
        running = try RunningGateway(gateway)
    }

    func stop() async {
        await running.stop()
        await notifier?.stop()
    }

    /// The database file, for a gateway started after this one.
    var databasePath: String { directory.path("trust.sqlite") }

    var client: HTTPTestClient { HTTPTestClient(port: gateway.port) }

    // MARK: - Customer A on Messenger

    /// The customer on Messenger who orders (a courier to a street address, paid on delivery),
    /// giving a phone number and an e-mail address as the order's contact.
    struct Orderer {
        static let psid = "psid-marek"
        static let phone = "601 234 567"
        static let phoneE164 = "+48601234567"
        static let email = "marek.zajac@example.pl"
        static let name = "Marek Zając"
        static let street = "Kwiatowa"
        static let postcode = "50-123"
        static let messages = [
            "dzień dobry, chcę zamówić buty Sprint Lite", "rozmiar 41", "biały", "jedna para", "nie", "Kurier DPD",
            "ul. Kwiatowa 5/2, 50-123 Wrocław", name, "\(phone), \(email)", "za pobraniem", "tak",
        ]
    }

    /// Customer A's order, placed message by message through the signed webhook (paid as
    /// `paying` says); its number.
    func placeOrdererOrder(paying: String = "za pobraniem") async throws -> String {
        for (index, text) in Orderer.messages.map({ $0 == "za pobraniem" ? paying : $0 }).enumerated() {
            try await messenger(Orderer.psid, text, at: 1_718_020_000_000 + Int64(index) * 10)
        }
        let number = try await query("SELECT number FROM orders ORDER BY id DESC LIMIT 1") { $0.string(0) }
        guard let number else { throw TrustFixtureError.noOrder(try await transcript(ofMessenger: Orderer.psid)) }
        return number
    }

    /// One message from `psid` through the signed webhook, handled before this returns.
    func messenger(_ psid: String, _ text: String, at timestamp: Int64) async throws {
        let body = MessengerEndToEndTests.batch([(psid: psid, text: text)], firstTimestamp: timestamp)
        let headers = ["Content-Type": "application/json", "X-Hub-Signature-256": MessengerFixture.signature(body)]
        let client = self.client
        let response = try await blocking { try client.post("/webhooks/messenger", body: body, headers: headers) }
        guard response.status == 200 else { throw TrustFixtureError.webhookRefused(response.status) }
        try await waitUntilHandled()
    }

    private func waitUntilHandled() async throws {
        let database = gateway.database
        let handled = try await blocking {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                if try database.read({ db in try Inbox().depth(channel: .messenger, in: db) }) == 0 { return true }
                Thread.sleep(forTimeInterval: 0.01)
            }
            return false
        }
        if !handled { throw TrustFixtureError.notHandled }
    }

    // MARK: - Reading the result

    /// The first row of `sql`, read by `read`.
    func query<Value: Sendable>(_ sql: String, _ read: @escaping @Sendable (Row) -> Value) async throws -> Value? {
        let database = gateway.database
        return try await blocking { try database.read { db in try db.queryFirst(sql, as: read) } }
    }

    /// The count `sql` gives.
    func count(_ sql: String) async throws -> Int {
        try await query(sql) { $0.int(0) } ?? 0
    }

    /// The Messenger conversation as "author: text" lines.
    func transcript(ofMessenger psid: String) async throws -> [String] {
        let database = gateway.database
        return try await blocking {
            try database.read { db in
                guard let conversation = try Conversations().open(channel: .messenger, externalID: psid, in: db) else { return [] }
                return try Conversations().messages(of: conversation.id, in: db).map { "\($0.author.rawValue): \($0.text)" }
            }
        }
    }

    /// Every message text stored, of every conversation.
    func everyStoredMessage() async throws -> [String] {
        let database = gateway.database
        return try await blocking { try database.read { db in try db.query("SELECT text FROM messages") { $0.string(0) } } }
    }

    /// `GET path` on the read API with the admin token, as JSON.
    func api(_ path: String) async throws -> [String: Any] {
        let client = self.client
        let response = try await blocking {
            try client.get(path, headers: ["Authorization": "Bearer \(TrustFixture.adminToken)"])
        }
        guard response.status == 200, let json = response.json else { throw TrustFixtureError.api(path, response.status) }
        return json
    }
}

enum TrustFixtureError: Error, CustomStringConvertible {
    case webhookRefused(Int)
    case notHandled
    case noOrder([String])
    case api(String, Int)

    var description: String {
        switch self {
        case .webhookRefused(let status): "the webhook answered \(status)"
        case .notHandled: "the Messenger inbox was not handled in time"
        case .noOrder(let transcript): "no order was placed; the conversation:\n" + transcript.joined(separator: "\n")
        case .api(let path, let status): "GET \(path) answered \(status)"
        }
    }
}

/// A web chat visitor in a test: says something and collects every bot message that follows
/// until the bot has been quiet for a moment.
extension ChatClient {
    /// Says `text` and returns the bot's replies to it, joined.
    func ask(_ text: String, id: String) throws -> String {
        try say(text, id: id)
        var replies: [String] = []
        replies.append(try next(type: "message")["text"] as? String ?? "")
        for frame in try drain(for: 0.4) where frame["type"] as? String == "message" {
            replies.append(frame["text"] as? String ?? "")
        }
        return replies.joined(separator: "\n")
    }
}
