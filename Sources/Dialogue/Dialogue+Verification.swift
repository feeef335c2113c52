import Commerce
import Foundation
import NLU
import ShopValues

/// A typed phone number or e-mail is a claim: it is kept on the customer's own record and opens
/// nothing. To see orders placed from another channel, the customer proves the contact with a
/// one-time code (or talks to a person). Every answer here is the same whether or not the
/// contact belongs to anyone, so a stranger learns nothing from it.
extension Dialogue {
    /// Whether the message starts a request about the customer's orders, the only step that may
    /// offer a code to a contact typed earlier (so the engine reads those contacts for it alone).
    public static func asksAboutOrders(_ turn: Turn) -> Bool {
        [.orderStatus, .cancelOrder, .changeOrder, .returnRequest, .complaint, .invoice].contains(intent(of: turn))
    }

    /// The phone numbers and e-mail addresses a message names.
    static func contacts(in turn: Turn) -> [Identity] {
        let phones = turn.understanding.entities(.phone).compactMap { PhoneNumber($0.value) }.map { Identity(.phone, $0.e164) }
        let emails = turn.understanding.entities(.email).compactMap { EmailAddress($0.value) }.map { Identity(.email, $0.value) }
        return phones + emails
    }

    /// Records every contact the message names as the customer's claim; true if there was one.
    @discardableResult
    func claimsContacts(_ turn: Turn, _ response: inout Response) -> Bool {
        let contacts = Self.contacts(in: turn)
        for contact in contacts { response.perform(.claimContact(contact)) }
        return !contacts.isEmpty
    }

    /// A contact named to find orders: a code offered to it (sent at once when the message asks
    /// for one), or a person when codes cannot be sent.
    mutating func offerCode(for request: ServiceRequest, to contact: Identity, _ turn: Turn? = nil, in context: DialogueContext,
                            _ response: inout Response) {
        let shown = Self.shown(contact)
        response.say("Ze względów bezpieczeństwa nie pokazuję zamówień na podstawie samego numeru telefonu ani adresu e-mail.",
                     "For your security I don't show orders on the strength of a phone number or e-mail address alone.")
        state.phase = .offeringCode(request, contact)
        if context.settings.sendsVerificationCodes, let turn, Self.asksForCode(turn) {
            response.perform(.sendVerificationCode(contact, language: state.language))
            return
        }
        if context.settings.sendsVerificationCodes {
            response.say("Mogę wysłać jednorazowy kod na \(shown), żeby potwierdzić, że to Twój kontakt. Wysłać kod?",
                         "I can send a one-time code to \(shown) to confirm it is yours. Shall I send it?")
        } else {
            response.say("Konsultant może sprawdzić Twoje zamówienia po potwierdzeniu tożsamości. Połączyć Cię z konsultantem?",
                         "An agent can look at your orders once they have confirmed who you are. Shall I put you through to an agent?")
        }
        response.offer(response.yesNo)
    }

    /// Why a customer offered a person instead of a code is handed over, for the agent.
    static let personInsteadOfCode = "Klient chce zobaczyć swoje zamówienia i podał kontakt, którego bot nie może potwierdzić kodem: sprawdź tożsamość, zanim cokolwiek pokażesz."

    /// The answer to "shall I send a code?" (or, without codes, "shall I put you through?").
    mutating func answerCodeOffer(for request: ServiceRequest, to contact: Identity, _ turn: Turn,
                                  in context: DialogueContext, _ response: inout Response) {
        if let named = Self.contacts(in: turn).first {
            claimsContacts(turn, &response)
            offerCode(for: request, to: named, turn, in: context, &response)
            return
        }
        if !context.settings.sendsVerificationCodes, Self.says(yes: true, turn) {
            state.phase = .idle
            escalate(.customerRequest, turn: turn, summary: Self.personInsteadOfCode, in: context, &response)
            return
        }
        if answersCodeQuestion(for: contact, turn, codesAvailable: context.settings.sendsVerificationCodes, yesSends: true,
                               &response) { return }
        state.phase = .idle
        begin(turn, in: context, &response)
    }

    /// A message while a code is awaited: the code, a request for another one, or something else.
    mutating func awaitCode(for request: ServiceRequest, from contact: Identity, _ turn: Turn,
                            in context: DialogueContext, _ response: inout Response) {
        if let code = Self.verificationCode(in: turn.text) {
            response.perform(.checkVerificationCode(code))
            return
        }
        if answersCodeQuestion(for: contact, turn, codesAvailable: true, yesSends: false, &response) { return }
        if turn.text.contains(where: \.isASCIIDigit), Self.intent(of: turn) == .outOfScope || Self.intent(of: turn) == .affirm {
            response.say("Kod ma 6 cyfr — sprawdź go, proszę, i wpisz jeszcze raz.", "The code has 6 digits; please check it and type it again.")
            return
        }
        state.phase = .idle
        begin(turn, in: context, &response)
    }

    /// "Send it (again)" (and a yes to an offer) sends a code when codes can be sent; a no drops
    /// the offer. True when the message was one of those.
    private mutating func answersCodeQuestion(for contact: Identity, _ turn: Turn, codesAvailable: Bool, yesSends: Bool,
                                              _ response: inout Response) -> Bool {
        if codesAvailable, Self.asksForCode(turn) || (yesSends && Self.says(yes: true, turn)) {
            response.perform(.sendVerificationCode(contact, language: state.language))
            return true
        }
        guard Self.says(yes: false, turn) else { return false }
        state.phase = .idle
        response.say("Dobrze. W czym jeszcze mogę pomóc?", "All right. Anything else I can help with?")
        return true
    }

    /// What the engine made of a code: sent, refused, right, wrong, locked or expired.
    mutating func verification(_ outcome: VerificationOutcome, in context: DialogueContext, _ response: inout Response) {
        let pending: (request: ServiceRequest, contact: Identity)
        switch state.phase {
        case .offeringCode(let request, let contact), .awaitingCode(let request, let contact): pending = (request, contact)
        default: return
        }
        switch outcome {
        case .sent:
            let shown = Self.shown(pending.contact)
            response.say(
                "Jeśli \(shown) jest zapisany w naszym sklepie, właśnie wysłaliśmy tam 6-cyfrowy kod (ważny 10 minut).",
                "If \(shown) is on record with our shop, we have just sent a 6-digit code there (valid for 10 minutes).")
            if response.isSpoken {
                response.say("Proszę podać kod, cyfra po cyfrze.", "Please say the code, digit by digit.")
            } else {
                response.say("Wpisz go tutaj.", "Please type it here.")
            }
            state.phase = .awaitingCode(pending.request, pending.contact)
        case .refused:
            stopVerifying("Na ten kontakt nie mogę teraz wysłać kolejnego kodu. Spróbuj za godzinę albo porozmawiaj z konsultantem.",
                          "I can't send another code to these details right now. Please try again in an hour, or talk to an agent.",
                          &response)
        case .verified:
            state.phase = .idle
            response.say("Dziękuję, kontakt potwierdzony.", "Thank you, your contact details are confirmed.")
            serve(pending.request, nil, in: context, &response)
        case .wrong(let triesLeft):
            response.say("Ten kod się nie zgadza. Pozostałe próby: \(triesLeft).",
                         "That code doesn't match. Tries left: \(triesLeft).")
        case .locked:
            stopVerifying("To była ostatnia próba: ten kontakt można potwierdzić ponownie za godzinę. Możesz też porozmawiać z konsultantem.",
                          "That was the last try: these details can be confirmed again in an hour. You can also talk to an agent.",
                          &response)
        case .expired:
            response.say("Ten kod już wygasł. Wysłać nowy?", "That code has expired. Shall I send a new one?")
            response.offer(response.yesNo)
            state.phase = .offeringCode(pending.request, pending.contact)
        }
    }

    /// No code now (refused, or locked): why, and a person offered instead.
    private mutating func stopVerifying(_ polish: Phrase, _ english: Phrase, _ response: inout Response) {
        state.phase = .idle
        response.say(polish, english)
        response.offer([response.personChip])
    }

    /// The six digits of a code in a short message ("123456", "123 456", "Kod weryfikacyjny: 123-456").
    public static func verificationCode(in text: String) -> String? {
        let digits = text.filter(\.isASCIIDigit)
        guard digits.count == 6, text.count <= 80 else { return nil }
        return String(digits)
    }

    /// "wyślij kod", "poproszę nowy kod", "send me another code", "resend", "nie dostałem kodu".
    static func asksForCode(_ turn: Turn) -> Bool {
        let words = turn.words
        let namesCode = Folding.hasWord(words, startingWith: ["kod", "code"])
        let wantsOne = Folding.hasWord(words, startingWith: [
            "wysl", "przysl", "nowy", "nowe", "kolejn", "jeszcze", "ponown", "inny", "send", "new", "another", "again",
        ])
        return (namesCode && wantsOne) || Folding.contains(words, anyOf: [
            "wyslij ponownie", "wyslij jeszcze raz", "nie dostalem", "nie dostalam", "nie przyszedl", "nie doszedl", "nic nie przyszlo",
            "resend", "send again", "send it again", "didn t get", "did not get", "didn t receive", "not received", "never got",
            "haven t received", "didn t arrive", "no code",
        ])
    }

    /// A contact as the customer typed it, to say where a code goes.
    private static func shown(_ contact: Identity) -> String {
        guard contact.channel == .phone, contact.externalID.hasPrefix("+48"), contact.externalID.count == 12 else {
            return contact.externalID
        }
        let digits = Array(contact.externalID.dropFirst(3))
        return "\(String(digits[0..<3])) \(String(digits[3..<6])) \(String(digits[6..<9]))"
    }
}

/// The text of the message that carries a one-time code to the customer's phone or inbox.
public enum VerificationCodeText {
    public static func message(code: String, language: Language) -> String {
        switch language {
        case .polish: "Twój kod weryfikacyjny: \(code). Jest ważny 10 minut. Nie podawaj go nikomu poza czatem sklepu."
        case .english: "Your verification code: \(code). It is valid for 10 minutes. Don't share it with anyone outside the shop's chat."
        }
    }
}
