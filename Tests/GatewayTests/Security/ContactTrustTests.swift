import Commerce
import Foundation
import Gateway
import Storage
import Testing
import TestSupport

/// A typed phone number or e-mail is a claim, not a key (issue 15): a stranger who types another
/// customer's contact in the web chat learns and changes nothing; a one-time code sent through
/// the notifier proves the contact, and only then are the records merged. Live gateway, real
/// sockets, real SQLite, a real HTTP stand-in for the shop's notifier.
@Suite(.serialized)
struct ContactTrustTests {
    typealias Orderer = TrustFixture.Orderer

    /// What of customer A a reply must never hold for a stranger.
    static func leaks(_ reply: String, orderNumber: String) -> [String] {
        [orderNumber, Orderer.street, Orderer.postcode, "Marek", "Zając", "Wrocław", "Sprint"].filter { reply.contains($0) }
    }

    /// Customer B types A's phone, then A's e-mail, asks for the orders, the address, to cancel
    /// (by the number too, and says yes): B learns nothing of A and A's order is unchanged; the
    /// records stay apart and nothing was merged.
    @Test func aStrangerWhoTypesSomeonesContactLearnsAndChangesNothing() async throws {
        let fixture = try await TrustFixture()
        let number = try await fixture.placeOrdererOrder()
        let port = fixture.gateway.port
        let said = try await blocking {
            let page = try ChatClient(port: port)
            defer { try? page.close() }
            _ = try page.hello()
            return [
                try page.ask("mój numer telefonu to \(Orderer.phone)", id: "b-1"),
                try page.ask("gdzie jest moje zamówienie?", id: "b-2"),
                try page.ask("mój numer to \(Orderer.phone)", id: "b-3"),
                try page.ask("mój e-mail to \(Orderer.email)", id: "b-4"),
                try page.ask("na jaki adres idzie moja paczka?", id: "b-5"),
                try page.ask("chcę anulować zamówienie", id: "b-6"),
                try page.ask("\(Orderer.email)", id: "b-7"),
                try page.ask("anuluj zamówienie \(number)", id: "b-8"),
                try page.ask("tak", id: "b-9"),
                try page.ask("chcę zmienić adres dostawy zamówienia \(number) na ul. Obca 1, 00-001 Warszawa", id: "b-10"),
            ]
        }
        // Replies 8 and 10 answer a message that names the number: they may repeat it, nothing else.
        let echoes: Set<Int> = [7, 9]
        for (index, reply) in said.enumerated() {
            let leaked = Self.leaks(reply, orderNumber: number).filter { !(echoes.contains(index) && $0 == number) }
            #expect(leaked.isEmpty, "reply \(index + 1) leaks \(leaked): \(reply)")
        }
        #expect(said[1].contains("nie pokazuję zamówień"), "the contact typed before is offered a person, not its orders")
        #expect(said[2].contains("nie pokazuję zamówień"), "a contact named to find orders is answered with the security rule")
        #expect(echoes.allSatisfy { said[$0].contains("Nie znajduję zamówienia nr \(number)") })
        let order = try await fixture.api("/api/orders/\(number)")
        #expect(order["status"] as? String == "new")
        let delivery = order["delivery"] as? [String: Any]
        #expect((delivery?["address"] as? [String: Any])?["street"] as? String == "ul. Kwiatowa 5/2")
        #expect(try await fixture.count("SELECT count(*) FROM customer_merges") == 0)
        #expect(try await fixture.count("SELECT count(*) FROM customers WHERE merged_into IS NOT NULL") == 0)
        #expect(try await fixture.count("SELECT count(*) FROM order_status_history") == 1, "A's order only has its first status")
        let owners = try await fixture.api("/api/customers?phone=\(Orderer.phoneE164)")
        let records = owners["customers"] as? [[String: Any]] ?? []
        #expect(records.count == 2, "A (who gave the number on an order) and B (who typed it) are two records")
        let trusts = records.flatMap { ($0["identities"] as? [[String: Any]] ?? []).compactMap { $0["trust"] as? String } }
        #expect(Set(trusts) == ["platform", "claimed"])
        await fixture.stop()
    }

    /// The answers to a contact nobody has and to a known customer's are the same words: the bot
    /// never says whether a contact is known, with or without a notifier.
    @Test(arguments: [false, true])
    func aKnownContactIsAnsweredLikeAnUnknownOne(withNotifier: Bool) async throws {
        let fixture = try await TrustFixture(notifier: withNotifier ? try NotifierStandIn() : nil)
        _ = try await fixture.placeOrdererOrder()
        let port = fixture.gateway.port
        @Sendable func conversation(_ phone: String) throws -> [String] {
            let page = try ChatClient(port: port)
            defer { try? page.close() }
            _ = try page.hello()
            var replies = [
                try page.ask("gdzie jest moje zamówienie? mój numer to \(phone)", id: "1"),
            ]
            if withNotifier {
                replies.append(try page.ask("tak", id: "2"))
                replies.append(try page.ask("123456", id: "3"))
            }
            return replies.map { $0.replacingOccurrences(of: phone, with: "NUMBER") }
        }
        let (known, unknown) = try await blocking { (try conversation(Orderer.phone), try conversation("699 999 999")) }
        #expect(known == unknown)
        if let notifier = fixture.notifier {
            let sent = try await blocking { notifier.waitUntil { notifier.delivered.count == 1 } }
            #expect(sent, "the known contact got its code")
            #expect(notifier.received.allSatisfy { $0.to["phone"] == Orderer.phoneE164 }, "nothing goes to a contact nobody has")
        }
        await fixture.stop()
    }

    /// With a notifier: B asks for a code for A's phone; the code reaches the stand-in only (signed,
    /// in the contract's shape) and is in no chat frame, log line, transcript or stored body;
    /// typing it back verifies the contact, merges the records (recorded), and A's order appears.
    @Test func aCodeSentThroughTheNotifierProvesTheContactAndOpensTheOrders() async throws {
        let notifier = try NotifierStandIn(failingFirst: 1)
        let fixture = try await TrustFixture(notifier: notifier)
        let number = try await fixture.placeOrdererOrder()
        let port = fixture.gateway.port
        let page = try await blocking { () -> ChatClient in
            let page = try ChatClient(port: port)
            _ = try page.hello()
            return page
        }
        let before = try await blocking {
            [try page.ask("gdzie jest moje zamówienie?", id: "c-1"), try page.ask("mój numer to \(Orderer.phone)", id: "c-2"),
             try page.ask("tak", id: "c-3")]
        }
        #expect(before[1].contains("Wysłać kod?"))
        #expect(before[2].contains("6-cyfrowy kod"))
        let arrived = try await blocking { notifier.waitUntil(timeout: 15) { notifier.delivered.count == 1 } }
        try #require(arrived, "the notifier got the code (after one 503 and a retry)")
        #expect(notifier.received.count == 2, "the first attempt was answered 503 and tried again")
        let delivered = try #require(notifier.delivered.first)
        let code = try #require(delivered.code)
        #expect(code.count == 6 && code.allSatisfy(\.isASCIIDigit))
        #expect(delivered.to == ["phone": Orderer.phoneE164])
        #expect(delivered.json["kind"] as? String == "verification_code")
        #expect(delivered.json["language"] as? String == "pl")
        #expect((delivered.json["text"] as? String)?.contains(code) == true)
        #expect(delivered.id?.hasPrefix("ntf_") == true && notifier.received[0].id == delivered.id, "a retry carries the same id")
        #expect(NotifierStandIn.isSigned(delivered))

        let after = try await blocking {
            [try page.ask(code, id: "c-4"), try page.ask("chcę anulować to zamówienie", id: "c-5")]
        }
        #expect(after[0].contains("kontakt potwierdzony"))
        #expect(after[0].contains(number), "the verified customer sees the order: \(after[0])")
        #expect(after[1].contains(number))
        _ = try await blocking { try page.close() }

        let frames = page.receivedText.joined(separator: "\n")
        let chatReplies = page.received.filter { $0["type"] as? String == "message" }.compactMap { $0["text"] as? String }
        #expect(!chatReplies.contains { $0.contains(code) }, "the bot never says the code")
        #expect(!fixture.logs.lines.contains { $0.contains(code) }, "no log line holds the code")
        #expect(try await fixture.everyStoredMessage().allSatisfy { !$0.contains(code) }, "no transcript holds the code")
        #expect(try await fixture.count("SELECT count(*) FROM notifications WHERE body != ''") == 0, "a delivered body is emptied")
        #expect(try await fixture.count("SELECT count(*) FROM verification_codes WHERE status = 'verified'") == 1)
        #expect(try await fixture.query("SELECT actor FROM customer_merges") { $0.string(0) } == "verification")
        #expect(!frames.isEmpty)

        let orderer = try await fixture.api("/api/customers?messenger=\(Orderer.psid)")
        let record = try #require((orderer["customers"] as? [[String: Any]])?.first)
        let identities = record["identities"] as? [[String: Any]] ?? []
        #expect(identities.contains { $0["channel"] as? String == "web" && $0["trust"] as? String == "platform" },
                "the web session joined A's record")
        #expect(identities.contains {
            $0["channel"] as? String == "phone" && $0["external_id"] as? String == Orderer.phoneE164 && $0["trust"] as? String == "verified"
        })
        await fixture.stop()
    }

    /// Five wrong codes lock the contact: the fifth is answered as the last try, and no new code
    /// is sent to it within the hour (asked again in the same chat or another); the right code
    /// does nothing after the lock. A fourth code for one contact within the hour is refused.
    @Test func wrongCodesLockTheContactAndCodesAreLimitedPerHour() async throws {
        let notifier = try NotifierStandIn()
        let fixture = try await TrustFixture(notifier: notifier)
        let number = try await fixture.placeOrdererOrder()
        let port = fixture.gateway.port

        let (wrong, afterLock) = try await blocking {
            let page = try ChatClient(port: port)
            defer { try? page.close() }
            _ = try page.hello()
            _ = try page.ask("gdzie jest moje zamówienie? mój e-mail to \(Orderer.email)", id: "w-0")
            _ = try page.ask("tak", id: "w-1")
            guard notifier.waitUntil({ notifier.delivered.count == 1 }), let code = notifier.delivered.first?.code else {
                return ([String](), [String]())
            }
            let wrongCode = code == "000000" ? "111111" : "000000"
            let wrong = try (1...5).map { try page.ask(wrongCode, id: "w-\($0 + 1)") }
            let afterLock = [try page.ask(code, id: "w-7"), try page.ask("gdzie jest moje zamówienie? \(Orderer.email)", id: "w-8"),
                             try page.ask("tak", id: "w-9")]
            return (wrong, afterLock)
        }
        try #require(wrong.count == 5, "the first code reached the notifier")
        #expect(wrong[0].contains("Pozostałe próby: 4"))
        #expect(wrong[3].contains("Pozostałe próby: 1"))
        #expect(wrong[4].contains("ostatnia próba"))
        #expect(afterLock.allSatisfy { !$0.contains(number) }, "the right code after the lock opens nothing: \(afterLock)")
        #expect(afterLock[2].contains("nie mogę teraz wysłać kolejnego kodu"))
        let another = try await blocking {
            let page = try ChatClient(port: port)
            defer { try? page.close() }
            _ = try page.hello()
            _ = try page.ask("gdzie jest moje zamówienie? \(Orderer.email)", id: "x-1")
            return try page.ask("tak", id: "x-2")
        }
        #expect(another.contains("nie mogę teraz wysłać kolejnego kodu"), "the lock holds for the contact, not the chat")
        #expect(notifier.received.count == 1)
        #expect(try await fixture.count("SELECT count(*) FROM verification_codes WHERE status = 'locked'") == 1)
        #expect(try await fixture.count("SELECT count(*) FROM customer_merges") == 0)

        let phoneAnswers = try await blocking {
            try (1...4).map { attempt in
                let page = try ChatClient(port: port)
                defer { try? page.close() }
                _ = try page.hello()
                _ = try page.ask("gdzie jest moje zamówienie? mój numer to \(Orderer.phone)", id: "p-\(attempt)")
                return try page.ask("tak", id: "q-\(attempt)")
            }
        }
        #expect(phoneAnswers[0...2].allSatisfy { $0.contains("6-cyfrowy kod") })
        #expect(phoneAnswers[3].contains("nie mogę teraz wysłać kolejnego kodu"), "a fourth code within the hour is refused")
        let phoneCodes = try await blocking { notifier.waitUntil { notifier.delivered.count == 4 } }
        #expect(phoneCodes, "three codes went to the phone")
        #expect(notifier.delivered.filter { $0.to["phone"] == Orderer.phoneE164 }.count == 3)
        await fixture.stop()
    }

    /// A code the notifier could not take stays in the outbox across a restart and goes out,
    /// with the same id, once a notifier answers; the customer can then use it.
    @Test func aCodeWaitingForTheNotifierSurvivesARestart() async throws {
        let down = try NotifierStandIn(failingFirst: 1_000)
        let first = try await TrustFixture(notifier: down)
        _ = try await first.placeOrdererOrder()
        let port = first.gateway.port
        let session = try await blocking { () -> String in
            let page = try ChatClient(port: port)
            defer { try? page.close() }
            let (session, _) = try page.hello()
            _ = try page.ask("gdzie jest moje zamówienie? mój numer to \(Orderer.phone)", id: "r-1")
            _ = try page.ask("tak", id: "r-2")
            return session
        }
        let tried = try await blocking { down.waitUntil { !down.received.isEmpty } }
        try #require(tried, "the notifier was tried")
        let id = down.received[0].id
        await first.stop()

        let up = try NotifierStandIn()
        let second = try await TrustFixture(notifier: up, database: first.databasePath)
        let arrived = try await blocking { up.waitUntil(timeout: 15) { up.delivered.count == 1 } }
        try #require(arrived, "the waiting code went out after the restart")
        #expect(up.delivered[0].id == id, "the same notification, so the notifier can drop a repeat")
        let code = try #require(up.delivered[0].code)
        let secondPort = second.gateway.port
        let answer = try await blocking {
            let page = try ChatClient(port: secondPort)
            defer { try? page.close() }
            _ = try page.hello(session: session)
            return try page.ask(code, id: "r-3")
        }
        #expect(answer.contains("kontakt potwierdzony"))
        await second.stop()
    }

    /// On Messenger the code typed back is masked in the transcript and in the stored webhook
    /// event too, and the Messenger customer then sees the order.
    @Test func aCodeTypedOnMessengerIsMaskedInTheStoredEvent() async throws {
        let notifier = try NotifierStandIn()
        let fixture = try await TrustFixture(notifier: notifier)
        let number = try await fixture.placeOrdererOrder()
        let psid = "psid-other-device"
        try await fixture.messenger(psid, "gdzie jest moje zamówienie? mój e-mail to \(Orderer.email)", at: 1_718_030_000_000)
        try await fixture.messenger(psid, "tak", at: 1_718_030_000_010)
        let sent = try await blocking { notifier.waitUntil { notifier.delivered.count == 1 } }
        try #require(sent)
        let code = try #require(notifier.delivered[0].code)
        try await fixture.messenger(psid, code, at: 1_718_030_000_020)
        let transcript = try await fixture.transcript(ofMessenger: psid)
        #expect(transcript.contains("customer: ••••••"))
        #expect(transcript.contains { $0.hasPrefix("bot: ") && $0.contains(number) }, "\(transcript)")
        #expect(try await fixture.count("SELECT count(*) FROM inbox WHERE event LIKE '%\(code)%'") == 0)
        #expect(try await fixture.everyStoredMessage().allSatisfy { !$0.contains(code) })
        await fixture.stop()
    }
}

