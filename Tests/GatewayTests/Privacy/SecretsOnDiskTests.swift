import Commerce
import Foundation
import Storage
import TestSupport
import Testing

/// A card number, a CVV and a password typed to the bot are in no byte of the database, its WAL
/// or its shared memory after the turn: not in the transcript, not in the inbox row that carried
/// them (a Messenger event is stored masked even before its turn). The bot still knows it was sent
/// and warns the customer.
@Suite(.serialized)
struct SecretsOnDiskTests {
    private static let secretText = "moja karta 4111 1111 1111 1111, cvv 737, hasło: Kot123!zlotyKot"
    /// What must not be anywhere: the card's first twelve digits in any spacing, the CVV after
    /// its keyword, the password.
    private static let forbidden = ["4111 1111 1111", "411111111111", "4111-1111-1111", "cvv 737", "Kot123!zlotyKot"]

    /// Every byte of the database's files (the file, its WAL, its shared memory).
    private static func bytes(of path: String) -> [UInt8] {
        ["", "-wal", "-shm"].flatMap { suffix in (FileManager.default.contents(atPath: path + suffix).map { [UInt8]($0) }) ?? [] }
    }

    private static func found(_ needle: String, in haystack: [UInt8]) -> Bool {
        let pattern = Array(needle.utf8)
        guard haystack.count >= pattern.count else { return false }
        return (0...(haystack.count - pattern.count)).contains { start in haystack[start..<(start + pattern.count)].elementsEqual(pattern) }
    }

    @Test func aCardNumberSentOnMessengerIsNowhereOnDisk() async throws {
        let fixture = try await MessengerFixture()
        let path = fixture.directory.path("messenger.sqlite")
        let body = MessengerEndToEndTests.batch([(psid: "psid-card", text: Self.secretText)])
        let client = fixture.client
        let response = try await blocking {
            try client.post("/webhooks/messenger", body: body, headers: [
                "Content-Type": "application/json", "X-Hub-Signature-256": MessengerFixture.signature(body),
            ])
        }
        #expect(response.status == 200)
        let database = fixture.gateway.database
        let (reply, inbox) = try await blocking { () -> (String, String) in
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                let done = try database.read { db in
                    try db.queryFirst("SELECT event FROM inbox WHERE channel = 'messenger' AND status = 'done'") { $0.string(0) }
                }
                let reply = try database.read { db in
                    try db.queryFirst("SELECT text FROM outbox WHERE recipient = 'psid-card' ORDER BY id") { $0.string(0) }
                }
                if let done, let reply { return (reply, done) }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw SecretsTestError.turnNotTaken
        }
        let disk = Self.bytes(of: path)
        await fixture.stop()
        #expect(reply.contains("Proszę nie podawać w rozmowie numerów kart"), "the bot knew a secret was sent")
        #expect(inbox == "{}", "a handled event keeps no payload")
        #expect(!disk.isEmpty)
        for needle in Self.forbidden { #expect(!Self.found(needle, in: disk), "\(needle) is on disk") }
        #expect(Self.found("1111 1111", in: disk) == false)
        #expect(Self.found("•••• •••• •••• 1111", in: disk), "the masked form is what was kept")
    }

    @Test func aCardNumberTypedInTheWebChatIsNowhereOnDisk() async throws {
        let fixture = try await WebChatFixture()
        let path = fixture.directory.path("webchat.sqlite")
        let page = try fixture.page()
        let warned = try await blocking { () -> Bool in
            _ = try page.hello()
            try page.say(Self.secretText, id: "card-1")
            let reply = try page.next(type: "message")
            return (reply["text"] as? String ?? "").contains("Proszę nie podawać w rozmowie numerów kart")
        }
        let disk = Self.bytes(of: path)
        await fixture.stop()
        #expect(warned)
        for needle in Self.forbidden { #expect(!Self.found(needle, in: disk), "\(needle) is on disk") }
        #expect(Self.found("•••• •••• •••• 1111", in: disk))
    }
    @Test func aCardNumberSaidOnThePhoneIsNowhereOnDisk() async throws {
        let fixture = try await MessengerFixture()
        let path = fixture.directory.path("messenger.sqlite")
        let body = Array("""
            {"schema":"gw.voice.transcript/v1","call_id":"call-card","from":"+48600111222","seq":1,"is_final":true,
             "language":"pl-PL","alternatives":[{"transcript":"\(Self.secretText)","confidence":0.92}]}
            """.utf8)
        let client = fixture.client
        let response = try await blocking {
            try client.post("/webhooks/voice", body: body, headers: ["Content-Type": "application/json", "Authorization": "Bearer voice-token"])
        }
        let disk = Self.bytes(of: path)
        await fixture.stop()
        #expect(response.status == 200)
        #expect(response.text.contains("numerów kart"))
        for needle in Self.forbidden { #expect(!Self.found(needle, in: disk), "\(needle) is on disk") }
    }
}

enum SecretsTestError: Error {
    case turnNotTaken
}
