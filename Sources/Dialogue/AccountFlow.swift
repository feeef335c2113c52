import Commerce
import Foundation
import NLU
import ShopValues

/// The customer's account and contacts. Account questions (password, deletion, sign-up) are
/// answered or handed to a person. A typed phone number or e-mail is a claim: it is kept on the
/// customer's own record and opens nothing. To see orders placed from another channel, the
/// customer proves the contact with a one-time code (or talks to a person). Every answer is the
/// same whether or not the contact belongs to anyone, so a stranger learns nothing from it.
/// Phases: `offeringCode`, `awaitingCode`.
struct AccountFlow: Flow {
    var state: DialogueState
    let context: DialogueContext
    var response: Response

    mutating func answerAccount(_ turn: Turn) {
        let text = turn.text
        if Folding.hasWord(text, startingWith: ["usun", "skasow", "delete", "remove", "zamkn", "close"]) {
            response.say("Usunięcie konta i danych osobowych wykonuje konsultant. Czy połączyć z konsultantem?",
                         "Deleting an account and personal data is done by an agent. Shall I connect you?")
            response.offer(response.yesNo)
            state.phase = .confirming(.person(reason: "Usunięcie konta / danych (RODO)"))
        } else if Folding.hasWord(text, startingWith: ["hasl", "haslo", "password", "zalog", "login", "logow", "log"]) {
            response.say("Hasło ustawisz na nowo na stronie logowania: „Nie pamiętasz hasła?” — link przyjdzie na e-mail konta. Nie podawaj tu hasła.",
                         "You can reset your password on the login page (\"Forgot password?\"); a link goes to the account's e-mail. Don't share your password here.")
            offerMoreHelp()
        } else if Folding.hasWord(text, startingWith: ["rejestr", "zaloz", "register", "sign", "utworz", "create"]) {
            response.say("Konto założysz na stronie sklepu przyciskiem „Zarejestruj się”. Zamówić można też bez konta — tutaj, w rozmowie.",
                         "You can create an account on the shop's website (\"Sign up\"). You can also order without an account, right here.")
            offerMoreHelp()
        } else if Folding.hasWord(text, startingWith: ["newsletter", "wypis", "unsubscrib"]) {
            response.say("Z newslettera wypiszesz się linkiem na dole każdej wiadomości z newslettera.",
                         "You can unsubscribe with the link at the bottom of every newsletter e-mail.")
            offerMoreHelp()
        } else {
            if response.isSpoken {
                response.say("W sprawach konta pomoże konsultant. Czy połączyć?", "An agent can help with account matters. Shall I put you through?")
            } else {
                response.say("W sprawach konta (logowanie, hasło, rejestracja, dane) pomoże konsultant. Czy połączyć?",
                             "An agent can help with account matters (login, password, registration, data). Shall I connect you?")
            }
            response.offer(response.yesNo)
            state.phase = .confirming(.person(reason: "Sprawa konta: \(text.prefix(200))"))
        }
    }

    /// Records every contact the message names as the customer's claim; true if there was one.
    @discardableResult
    mutating func claimsContacts(_ turn: Turn) -> Bool {
        let contacts = TurnReading.contacts(in: turn)
        for contact in contacts { response.perform(.claimContact(contact)) }
        return !contacts.isEmpty
    }

    /// A contact named to find orders: a code offered to it (sent at once when the message asks
    /// for one), or a person when codes cannot be sent.
    mutating func offerCode(for request: ServiceRequest, to contact: Identity, _ turn: Turn? = nil) {
        let shown = Self.shown(contact)
        response.say("Ze względów bezpieczeństwa nie pokazuję zamówień na podstawie samego numeru telefonu ani adresu e-mail.",
                     "For your security I don't show orders on the strength of a phone number or e-mail address alone.")
        state.phase = .offeringCode(request, contact)
        if context.settings.sendsVerificationCodes, let turn, TurnReading.asksForCode(turn) {
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
    mutating func answerCodeOffer(for request: ServiceRequest, to contact: Identity, _ turn: Turn) {
        if let named = TurnReading.contacts(in: turn).first {
            claimsContacts(turn)
            offerCode(for: request, to: named, turn)
            return
        }
        if !context.settings.sendsVerificationCodes, TurnReading.says(yes: true, turn) {
            state.phase = .idle
            escalate(.customerRequest, turn: turn, summary: Self.personInsteadOfCode)
            return
        }
        if answersCodeQuestion(for: contact, turn, codesAvailable: context.settings.sendsVerificationCodes, yesSends: true) { return }
        state.phase = .idle
        begin(turn)
    }

    /// A message while a code is awaited: the code, a request for another one, or something else.
    mutating func awaitCode(for request: ServiceRequest, from contact: Identity, _ turn: Turn) {
        if let code = TurnReading.verificationCode(in: turn.text) {
            response.perform(.checkVerificationCode(code))
            return
        }
        if answersCodeQuestion(for: contact, turn, codesAvailable: true, yesSends: false) { return }
        if turn.text.contains(where: \.isASCIIDigit), TurnReading.intent(of: turn) == .outOfScope || TurnReading.intent(of: turn) == .affirm {
            response.say("Kod ma 6 cyfr — sprawdź go, proszę, i wpisz jeszcze raz.", "The code has 6 digits; please check it and type it again.")
            return
        }
        state.phase = .idle
        begin(turn)
    }

    /// "Send it (again)" (and a yes to an offer) sends a code when codes can be sent; a no drops
    /// the offer. True when the message was one of those.
    private mutating func answersCodeQuestion(for contact: Identity, _ turn: Turn, codesAvailable: Bool, yesSends: Bool) -> Bool {
        if codesAvailable, TurnReading.asksForCode(turn) || (yesSends && TurnReading.says(yes: true, turn)) {
            response.perform(.sendVerificationCode(contact, language: state.language))
            return true
        }
        guard TurnReading.says(yes: false, turn) else { return false }
        state.phase = .idle
        response.say("Dobrze. W czym jeszcze mogę pomóc?", "All right. Anything else I can help with?")
        return true
    }

    /// What the engine made of a code: sent, refused, right, wrong, locked or expired.
    mutating func verification(_ outcome: VerificationOutcome) {
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
                          "I can't send another code to these details right now. Please try again in an hour, or talk to an agent.")
        case .verified:
            state.phase = .idle
            response.say("Dziękuję, kontakt potwierdzony.", "Thank you, your contact details are confirmed.")
            with(OrderServiceFlow.self) { $0.serve(pending.request, nil) }
        case .wrong(let triesLeft):
            response.say("Ten kod się nie zgadza. Pozostałe próby: \(triesLeft).",
                         "That code doesn't match. Tries left: \(triesLeft).")
        case .locked:
            stopVerifying("To była ostatnia próba: ten kontakt można potwierdzić ponownie za godzinę. Możesz też porozmawiać z konsultantem.",
                          "That was the last try: these details can be confirmed again in an hour. You can also talk to an agent.")
        case .expired:
            response.say("Ten kod już wygasł. Wysłać nowy?", "That code has expired. Shall I send a new one?")
            response.offer(response.yesNo)
            state.phase = .offeringCode(pending.request, pending.contact)
        }
    }

    /// No code now (refused, or locked): why, and a person offered instead.
    private mutating func stopVerifying(_ polish: Phrase, _ english: Phrase) {
        state.phase = .idle
        response.say(polish, english)
        response.offer([response.personChip])
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
