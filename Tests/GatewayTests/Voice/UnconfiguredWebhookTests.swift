import Foundation
import Storage
import Testing
import TestSupport

/// The webhooks of `orderbot serve` started without their channels' secrets: each refuses
/// every request and stores nothing.
@Suite(.serialized)
struct UnconfiguredWebhookTests {
    static let adminToken = "admin-token"
    static let caller = "+48601999888"

    /// An unsigned Twilio callback to a gateway without `ORDERBOT_TWILIO_AUTH_TOKEN` is refused
    /// 403 `twilio_not_configured`; the caller is unknown to the read API and the database has
    /// no customer, conversation or message; the start-up log says why.
    @Test func twilioWithoutAuthTokenRefusesAndStoresNothing() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("twilio.sqlite")
        let form = "CallSid=CA00000000000000000000000000000042&From=%2B48601999888&To=%2B48221234567"
            + "&SpeechResult=chc%C4%99+zam%C3%B3wi%C4%87+buty&Confidence=0.93"
        let (refused, greeting, customers, log) = try await blocking {
            let server = try ServerProcess(
                ["serve", "--port", "0", "--db", path], environment: ["ORDERBOT_ADMIN_TOKEN": Self.adminToken])
            defer { server.process.terminate() }
            let client = HTTPTestClient(port: try server.waitForPort())
            let formHeaders = ["Content-Type": "application/x-www-form-urlencoded"]
            let refused = try client.post("/webhooks/voice/twilio?turn=1", body: Array(form.utf8), headers: formHeaders)
            let greeting = try client.post(
                "/webhooks/voice/twilio", body: Array("CallSid=CA1&From=%2B48601999888".utf8), headers: formHeaders)
            let customers = try client.get(
                "/api/customers?phone=%2B48601999888", headers: ["Authorization": "Bearer \(Self.adminToken)"])
            server.send(signal: SIGTERM)
            _ = server.waitForExit()
            return (refused, greeting, customers, server.standardError)
        }
        #expect(refused.status == 403)
        #expect(refused.errorCode == "twilio_not_configured")
        #expect(refused.text.contains("ORDERBOT_TWILIO_AUTH_TOKEN"))
        #expect(greeting.status == 403, "not even the greeting of a call")
        #expect(customers.status == 200)
        #expect(customers.text == #"{"customers":[]}"#, "\(customers.text)")
        #expect(try Self.rowCounts(path) == [0, 0, 0, 0])
        let warning = log.split(separator: "\n").first { $0.contains("ORDERBOT_TWILIO_AUTH_TOKEN") }
        #expect(warning?.contains("level=warning") == true && warning?.contains("refused") == true, "\(log)")
    }

    /// Messenger without its app secret refuses a POST 403, the neutral voice webhook without
    /// its token 401, and neither stores anything.
    @Test func otherWebhooksWithoutSecretsRefuse() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("webhooks.sqlite")
        let messenger = #"{"object":"page","entry":[{"id":"1","time":1,"messaging":[{"sender":{"id":"psid-1"},"#
            + #""recipient":{"id":"1"},"timestamp":1,"message":{"mid":"m-1","text":"hej"}}]}]}"#
        let voice = #"{"call_id":"call-1","from":"+48601999888","seq":1,"is_final":true,"alternatives":[{"transcript":"hej","confidence":0.9}]}"#
        let (messengerRefused, voiceRefused) = try await blocking {
            let server = try ServerProcess(["serve", "--port", "0", "--db", path])
            defer { server.process.terminate() }
            let client = HTTPTestClient(port: try server.waitForPort())
            let messengerRefused = try client.post(
                "/webhooks/messenger", body: Array(messenger.utf8),
                headers: ["Content-Type": "application/json", "X-Hub-Signature-256": "sha256=" + String(repeating: "0", count: 64)])
            let voiceRefused = try client.post(
                "/webhooks/voice", body: Array(voice.utf8),
                headers: ["Content-Type": "application/json", "Authorization": "Bearer anything"])
            server.send(signal: SIGTERM)
            _ = server.waitForExit()
            return (messengerRefused, voiceRefused)
        }
        #expect(messengerRefused.status == 403 && messengerRefused.errorCode == "messenger_not_configured")
        #expect(voiceRefused.status == 401 && voiceRefused.errorCode == "unauthorized")
        #expect(try Self.rowCounts(path) == [0, 0, 0, 0])
    }

    /// Rows in inbox, customers, conversations and messages of the file at `path`.
    private static func rowCounts(_ path: String) throws -> [Int] {
        let database = try Database(path: path, readOnly: true)
        return try ["inbox", "customers", "conversations", "messages"].map { table in
            try database.queryFirst("SELECT count(*) FROM \(table)") { $0.int(0) } ?? -1
        }
    }
}
