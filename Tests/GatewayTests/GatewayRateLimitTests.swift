import Commerce
import Foundation
import Gateway
import RateLimits
import Storage
import Telemetry
import TestSupport
import Testing
import Voice
import WebServer

/// The gateway's limits on what a client address may try: wrong tokens anywhere lock the address
/// out of every token check for a while (the right token included), and webhook POSTs are
/// limited per address. Other addresses are not affected.
@Suite(.serialized)
struct GatewayRateLimitTests {
    private static let admin = "admin-secret-token"
    private static let voice = "voice-secret-token"

    private static func start(_ directory: TemporaryDirectory, limits: RateLimitSettings) throws -> RunningGateway {
        let configuration = GatewayConfiguration(
            server: ServerConfiguration(port: 0), database: DatabaseConfiguration(path: directory.path("gw.sqlite")),
            adminToken: admin, voice: VoiceSettings(token: voice), rateLimits: limits)
        let gateway = try Gateway(
            configuration: configuration, logger: Logger(level: .error, sink: MemoryLogSink()),
            understanding: EngineFixture.understanding)
        return try RunningGateway(gateway)
    }

    /// Ten wrong tokens from 127.0.0.1 (admin API, voice webhook and agents' console, counted
    /// together) spend its failed attempts: then the right admin token gets 429 with Retry-After,
    /// a console's sign-in error{rate_limited} and a 1008 close; from 127.0.0.2 the right token
    /// still works.
    @Test func wrongTokensLockTheAddressOutOfEveryTokenCheck() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory, limits: RateLimitSettings())
        let port = gateway.port
        let results = try await blocking { () -> (wrong: [Int], locked: RawHTTPResponse, voice: Int, console: (String?, UInt16?), other: Int) in
            let local = HTTPTestClient(port: port)
            var wrong: [Int] = []
            for index in 0..<4 {
                wrong.append(try local.get("/api/escalations", headers: ["Authorization": "Bearer guess-\(index)"]).status)
            }
            for index in 0..<4 {
                wrong.append(try local.post(
                    "/webhooks/voice", body: Array("{}".utf8),
                    headers: ["Authorization": "Bearer guess-\(index)", "Content-Type": "application/json"]).status)
            }
            for index in 0..<2 {
                let console = try WebSocketTestClient(port: port, path: "/ws/agent")
                try console.sendText(#"{"type":"auth","token":"ob_agent_guess\#(index)"}"#)
                wrong.append(console.readClose(timeout: 5)?.code.map(Int.init) ?? 0)
            }
            let locked = try local.get("/api/escalations", headers: ["Authorization": "Bearer \(Self.admin)"])
            let voice = try local.post(
                "/webhooks/voice", body: Array("{}".utf8),
                headers: ["Authorization": "Bearer \(Self.voice)", "Content-Type": "application/json"]).status
            let console = try WebSocketTestClient(port: port, path: "/ws/agent")
            try console.sendText(#"{"type":"auth","token":"whatever"}"#)
            var code: String?
            if case .text(let text)? = try console.readFrame(timeout: 5),
               let frame = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] {
                code = frame["code"] as? String
            }
            let closed = console.readClose(timeout: 5)?.code
            let other = try HTTPTestClient(port: port, from: "127.0.0.2")
                .get("/api/escalations", headers: ["Authorization": "Bearer \(Self.admin)"]).status
            return (wrong, locked, voice, (code, closed), other)
        }
        let metrics = try await blocking { try HTTPTestClient(port: port, from: "127.0.0.3").get("/metrics").text }
        await gateway.stop()
        #expect(results.wrong == [401, 401, 401, 401, 401, 401, 401, 401, 4401, 4401])
        #expect(results.locked.status == 429)
        #expect(Int(results.locked.headers["retry-after"] ?? "") ?? 0 >= 1)
        #expect(results.locked.text.contains("rate_limited"))
        #expect(results.voice == 429)
        #expect(results.console.0 == "rate_limited")
        #expect(results.console.1 == 1008)
        #expect(results.other == 200)
        #expect(metrics.contains(#"orderbot_rate_limited_total{limit="failed_auth"} 3"#))
    }

    /// Webhook POSTs are counted per address: over the limit, 429 with Retry-After before the
    /// body is even looked at; another address is served.
    @Test func webhooksAreLimitedPerAddress() async throws {
        let directory = TemporaryDirectory()
        var limits = RateLimitSettings()
        limits.set(RateLimitSettings.webhook, to: RateLimit(perSecond: 0.1, burst: 3))
        let gateway = try Self.start(directory, limits: limits)
        let port = gateway.port
        let statuses = try await blocking { () -> (local: [Int], retryAfter: String?, other: Int) in
            let local = HTTPTestClient(port: port)
            var statuses: [Int] = []
            var retryAfter: String?
            for _ in 0..<5 {
                // Unsigned: refused 403 by the webhook itself while under the limit.
                let response = try local.post("/webhooks/messenger", body: Array("{}".utf8), headers: ["Content-Type": "application/json"])
                statuses.append(response.status)
                retryAfter = response.headers["retry-after"] ?? retryAfter
            }
            let other = try HTTPTestClient(port: port, from: "127.0.0.2")
                .post("/webhooks/messenger", body: Array("{}".utf8), headers: ["Content-Type": "application/json"]).status
            return (statuses, retryAfter, other)
        }
        await gateway.stop()
        #expect(statuses.local == [403, 403, 403, 429, 429])
        #expect(Int(statuses.retryAfter ?? "") ?? 0 >= 1)
        #expect(statuses.other == 403)
    }

    /// One phone number calling 50 times in a minute and asking for a person each time: the
    /// first three calls are put in the queue, the others are told to ask again in a few minutes
    /// and given the shop's number, and nothing more is opened.
    @Test func aCustomerAskingForAPersonAgainAndAgainIsLimited() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory, limits: RateLimitSettings())
        let port = gateway.port
        let spoken = try await blocking { () -> [String] in
            let client = HTTPTestClient(port: port)
            return try (0..<50).map { call in
                let body = """
                    {"schema":"gw.voice.transcript/v1","call_id":"call_limit_\(call)","from":"+48601234567","to":"+48221234567",
                     "seq":1,"is_final":true,"language":"pl-PL",
                     "alternatives":[{"transcript":"chcę rozmawiać z konsultantem","confidence":0.93}]}
                    """
                let response = try client.post(
                    "/webhooks/voice", body: Array(body.utf8),
                    headers: ["Authorization": "Bearer \(Self.voice)", "Content-Type": "application/json"])
                return response.text
            }
        }
        let metrics = try await blocking { try HTTPTestClient(port: port).get("/metrics").text }
        await gateway.stop()
        let database = try Database(path: directory.path("gw.sqlite"))
        let escalations = try database.queryFirst("SELECT count(*) FROM escalations") { $0.int(0) }
        #expect(escalations == 3)
        #expect(spoken.prefix(3).allSatisfy { $0.contains("transfer") && !$0.contains("kolejny raz") })
        #expect(spoken.dropFirst(3).allSatisfy { $0.contains("kolejny raz w krótkim czasie") && !$0.contains("transfer") })
        #expect(metrics.contains(#"orderbot_rate_limited_total{limit="escalation"} 47"#))
    }
}
