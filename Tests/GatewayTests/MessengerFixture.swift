import Commerce
import Cryptography
import Foundation
import Gateway
import Messenger
import NLU
import Storage
import Telemetry
import TestSupport
import Voice
import WebServer

/// A live gateway on port 0 with Messenger configured as the fixtures expect (app secret
/// `test-app-secret`, verify token `shop-gw-verify-2024`), on a fresh SQLite file, and the
/// fixture files of Fixtures/messenger (copied from shared/fixtures/messenger).
final class MessengerFixture: Sendable {
    static let appSecret = "test-app-secret"
    static let verifyToken = "shop-gw-verify-2024"
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("messenger")

    let directory = TemporaryDirectory()
    let gateway: Gateway
    private let running: RunningGateway
    let logs = MemoryLogSink()

    /// Starts the gateway; `adjust` changes the Messenger settings (a page token, a Send API);
    /// `voice` are the phone channel's (the voice token `voice-token` by default).
    /// `handoff` sets the agents' console (sign-in time, claim grace); `understanding` is the shared
    /// trained one unless a test teaches its own (an agent's label). `beforeStart` runs once the
    /// database is open and migrated, before any service or the port starts.
    init(
        voice: VoiceSettings = VoiceSettings(token: "voice-token"), handoff: HandoffSettings = HandoffSettings(),
        understanding: LanguageUnderstanding? = nil, database path: String? = nil, busyTimeoutMilliseconds: Int32 = 5_000,
        _ adjust: (inout MessengerSettings) -> Void = { _ in }, beforeStart: () throws -> Void = {}
    ) async throws {
        var messenger = MessengerSettings(appSecret: Self.appSecret, verifyToken: Self.verifyToken)
        adjust(&messenger)
        let configuration = GatewayConfiguration(
            server: ServerConfiguration(port: 0),
            database: DatabaseConfiguration(
                path: path ?? directory.path("messenger.sqlite"), busyTimeoutMilliseconds: busyTimeoutMilliseconds),
            messenger: messenger, voice: voice, handoff: handoff)
        let shared = understanding
        let understanding = try await blocking { shared ?? EngineFixture.understanding }
        let logger = Logger(level: .info, sink: logs)
        gateway = try Gateway(configuration: configuration, logger: logger, understanding: understanding)
        try beforeStart()
        running = try RunningGateway(gateway)
    }

    var client: HTTPTestClient { HTTPTestClient(port: gateway.port) }

    func stop() async {
        await running.stop()
    }

    /// The bytes of a fixture file, exactly as stored.
    static func body(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    /// `sha256=<hex>` of `body` under the app secret.
    static func signature(_ body: [UInt8], secret: String = appSecret) -> String {
        "sha256=" + Hex.encode(HMACSHA256.authenticationCode(key: Array(secret.utf8), message: body))
    }

    /// Posts `body` to the webhook, signed with `signature` (its own by default; nil for none).
    func post(_ body: [UInt8], signature: String?? = .none) async throws -> RawHTTPResponse {
        var headers = ["Content-Type": "application/json"]
        switch signature {
        case .none: headers["X-Hub-Signature-256"] = Self.signature(body)
        case .some(.some(let given)): headers["X-Hub-Signature-256"] = given
        case .some(.none): break
        }
        let client = self.client
        let fixed = headers
        return try await blocking { try client.post("/webhooks/messenger", body: body, headers: fixed) }
    }

    /// Posts a fixture file, signed.
    func post(fixture name: String) async throws -> RawHTTPResponse {
        try await post(try Self.body(name))
    }

    /// Waits until the inbox has no pending event; false after `timeout` seconds.
    func waitUntilHandled(timeout: Double = 30) async throws -> Bool {
        let database = gateway.database
        return try await blocking {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                let pending = try database.read { db in try Inbox().depth(channel: .messenger, in: db) }
                if pending == 0 { return true }
                Thread.sleep(forTimeInterval: 0.02)
            }
            return false
        }
    }

    /// The first integer of `sql`.
    func count(_ sql: String, _ argument: String? = nil) async throws -> Int {
        let database = gateway.database
        return try await blocking {
            try database.read { db in
                if let argument { return try db.queryFirst(sql, argument) { $0.int(0) } ?? 0 }
                return try db.queryFirst(sql) { $0.int(0) } ?? 0
            }
        }
    }

    /// Inbox rows as "kind status outcome", oldest first.
    func inbox() async throws -> [InboxEvent] {
        let database = gateway.database
        return try await blocking {
            try database.read { db in
                try db.query("SELECT id FROM inbox ORDER BY id") { $0.int64(0) }.compactMap { try Inbox().find($0, in: db) }
            }
        }
    }

    /// The transcript of the Messenger conversation with `psid`, as "author: text" lines.
    func transcript(_ psid: String) async throws -> [String] {
        let database = gateway.database
        return try await blocking {
            try database.read { db in
                guard let conversation = try Conversations().open(channel: .messenger, externalID: psid, in: db) else { return [] }
                return try Conversations().messages(of: conversation.id, in: db).map { "\($0.author.rawValue): \($0.text)" }
            }
        }
    }

    /// The conversation's mode with `psid`, or nil without one.
    func mode(_ psid: String) async throws -> ConversationMode? {
        let database = gateway.database
        return try await blocking {
            try database.read { db in try Conversations().open(channel: .messenger, externalID: psid, in: db)?.mode }
        }
    }
}
