import Commerce
import Dialogue
import NLU
import ShopValues
import Testing

/// A contact typed to find orders: claimed, a code offered (or a person without a notifier), sent,
/// checked; the dialogue alone, its actions and what it says.
@Suite struct VerificationFlowTests {
    static let phone = Identity(.phone, "+48601234567")

    func chat(codes: Bool = true, channel: DialogueChannel = .web) -> Chat {
        var chat = Chat(channel: channel)
        chat.settings.sendsVerificationCodes = codes
        return chat
    }

    /// Awaiting an order, a typed phone is claimed and a code offered, not a merge.
    @Test func aContactNamedForOrdersIsClaimedAndACodeOffered() {
        var chat = chat()
        chat.say("gdzie jest moje zamówienie?", .orderStatus)
        let actions = chat.say("mój numer to 601 234 567", .outOfScope, .phone(Self.phone.externalID, "601 234 567"))
        #expect(actions.contains(.claimContact(Self.phone)))
        assertReply(actions, contains: "nie pokazuję zamówień", "601 234 567", "Wysłać kod?")
        expectState(chat, "offering_code.status")
        let yes = chat.say("tak", .affirm)
        #expect(yes.contains(.sendVerificationCode(Self.phone, language: .polish)))
        let sent = chat.send(.verification(.sent))
        assertReply(sent, contains: "6-cyfrowy kod", "Wpisz go tutaj.")
        expectState(chat, "awaiting_code.status")
        let typed = chat.say("123 456")
        #expect(typed == [.checkVerificationCode("123456")])
        #expect(Dialogue.verificationCode(in: "Kod weryfikacyjny: 654-321") == "654321")
        #expect(Dialogue.verificationCode(in: "12345") == nil)
        #expect(Dialogue.verificationCode(in: "601 234 567") == nil)
    }

    /// Without a notifier the same rule is said, and a person is offered instead of a code.
    @Test func withoutCodesAPersonIsOffered() {
        var chat = chat(codes: false)
        let actions = chat.say("gdzie jest moje zamówienie? mój numer to 601 234 567", .orderStatus,
                               .phone(Self.phone.externalID, "601 234 567"))
        #expect(actions.contains(.claimContact(Self.phone)))
        #expect(!actions.contains { if case .sendVerificationCode = $0 { true } else { false } })
        assertReply(actions, contains: "nie pokazuję zamówień", "Połączyć Cię z konsultantem?")
        expectState(chat, "offering_code.status")
    }

    /// Wrong codes tell the tries left; the last locks; an expired code offers a new one; a
    /// request for another code sends one.
    @Test func wrongLockedAndExpiredCodes() {
        var chat = chat()
        chat.dialogue = Dialogue(state: DialogueState(phase: .awaitingCode(.cancel, Self.phone)))
        assertReply(chat.send(.verification(.wrong(triesLeft: 2))), contains: "Pozostałe próby: 2")
        expectState(chat, "awaiting_code.cancel")
        #expect(chat.say("wyślij nowy kod").contains(.sendVerificationCode(Self.phone, language: .polish)))
        assertReply(chat.send(.verification(.expired)), contains: "wygasł", "Wysłać nowy?")
        expectState(chat, "offering_code.cancel")
        chat.dialogue = Dialogue(state: DialogueState(phase: .awaitingCode(.cancel, Self.phone)))
        assertReply(chat.send(.verification(.locked)), contains: "ostatnia próba")
        expectState(chat, "idle")
    }

    /// On the phone the code is asked for digit by digit.
    @Test func onThePhoneTheCodeIsSaid() {
        var chat = chat(channel: .voice)
        chat.dialogue = Dialogue(state: DialogueState(phase: .offeringCode(.status, Self.phone)))
        assertReply(chat.send(.verification(.sent)), contains: "cyfra po cyfrze")
    }

    /// Something else while a code is awaited leaves the code behind and is answered as usual.
    @Test func somethingElseLeavesTheCode() {
        var chat = chat()
        chat.dialogue = Dialogue(state: DialogueState(phase: .awaitingCode(.status, Self.phone)))
        let actions = chat.say("jakie macie formy płatności?", .paymentInfo, confidence: 0.95)
        #expect(!actions.contains { if case .checkVerificationCode = $0 { true } else { false } })
        expectState(chat, "idle")
    }

    /// A contact typed earlier and not proved is offered a code when the customer then asks for
    /// their orders and has none.
    @Test func anEarlierTypedContactIsOfferedACode() {
        var chat = chat()
        chat.customer = CustomerSnapshot(id: 1, phone: Self.phone.externalID, unprovedContacts: [Self.phone])
        let actions = chat.say("gdzie jest moje zamówienie?", .orderStatus)
        assertReply(actions, contains: "Nie widzę zamówień", "601 234 567", "Wysłać kod?")
        expectState(chat, "offering_code.status")
    }

    /// Without codes a yes to the offered person hands the conversation over, with a note for the
    /// agent to check who it is; naming the number again is no yes.
    @Test func withoutCodesAYesHandsOverAndANumberIsNoYes() {
        var chat = chat(codes: false)
        chat.say("gdzie jest moje zamówienie? mój numer to 601 234 567", .orderStatus, .phone(Self.phone.externalID, "601 234 567"))
        let again = chat.say("mój numer to 601 234 567", .affirm, .phone(Self.phone.externalID, "601 234 567"))
        #expect(!again.contains { if case .escalate = $0 { true } else { false } })
        expectState(chat, "offering_code.status")
        let yes = chat.say("tak", .affirm)
        #expect(yes.contains { if case .escalate(.customerRequest, _, let summary) = $0 { summary.contains("sprawdź tożsamość") } else { false } })
    }

    /// A message that names the contact and asks for a code gets one at once, no question first;
    /// other ways of asking for one (again) are heard too, and "I got it" is not one.
    @Test func askingForTheCodeSendsItAtOnce() {
        var chat = chat()
        chat.say("gdzie jest moje zamówienie?", .orderStatus)
        let actions = chat.say("mój numer to 601 234 567, wyślij mi kod", .outOfScope, .phone(Self.phone.externalID, "601 234 567"))
        #expect(actions.contains(.sendVerificationCode(Self.phone, language: .polish)))
        assertReply(actions, lacks: "Wysłać kod?")
        for text in ["poproszę nowy kod", "send me another code", "nie dostałem kodu", "resend it"] {
            var waiting = self.chat()
            waiting.dialogue = Dialogue(state: DialogueState(phase: .awaitingCode(.status, Self.phone)))
            #expect(waiting.say(text).contains(.sendVerificationCode(Self.phone, language: .polish)), "\(text)")
        }
        var waiting = self.chat()
        waiting.dialogue = Dialogue(state: DialogueState(phase: .awaitingCode(.status, Self.phone)))
        #expect(!waiting.say("dostałem kod, chwila").contains { if case .sendVerificationCode = $0 { true } else { false } })
    }
}

