import Commerce
import Foundation
import NLU
import ShopValues

/// What every flow may do: start afresh, not understand, offer the menu or a person, hand the
/// conversation to a person, offer more help, end a call.
extension Flow {
    /// The line for an escalation's summary that lists the attachments kept, if any.
    var attachmentsLine: String? {
        guard !state.complaintAttachments.isEmpty else { return nil }
        return "Załączniki: " + state.complaintAttachments.map(\.url).joined(separator: ", ")
    }

    /// The caller is done: a closing sentence, and the call ends after it.
    mutating func endCall() {
        state.phase = .idle
        response.say("Dziękuję za telefon, do usłyszenia.", "Thank you for calling, goodbye.")
        response.perform(.endConversation)
    }

    /// On the phone, a request just finished ends with a question a "no" answers, so the caller
    /// can end the call.
    mutating func offerMoreHelp() {
        guard response.isSpoken else { return }
        response.say("Czy mogę jeszcze w czymś pomóc?", "Is there anything else I can help with?")
        response.offer(response.yesNo)
    }

    /// Starts whatever the message asks for, with nothing pending.
    mutating func begin(_ turn: Turn) {
        let intent = TurnReading.intent(of: turn)
        if intent != .outOfScope { state.misunderstandings = 0 }
        let claimed = with(AccountFlow.self) { $0.claimsContacts(turn) }
        if claimed, intent == .outOfScope || turn.understanding.confidence < 0.7 {
            state.misunderstandings = 0
            response.say("Dziękuję, kontakt został zapisany. W czym mogę pomóc?", "Thank you, I've saved your contact details. How can I help?")
            return
        }
        let kindsNamed = !context.catalog.products(namedBy: turn.words).isEmpty
        // "czy macie świeczki zapachowe?": a question about what the shop sells, in its own words,
        // whatever topic the classifier guessed (delivery, say) for words it never saw.
        if [.deliveryInfo, .paymentInfo, .storeInfo].contains(intent), turn.understanding.entities(.product).isEmpty,
           turn.understanding.entities(.deliveryMethod).isEmpty, turn.understanding.entities(.paymentMethod).isEmpty,
           kindsNamed {
            if TurnReading.wantsToBuy(turn) {
                with(OrderingFlow.self) { $0.startOrder(turn) }
            } else {
                with(FAQFlow.self) { $0.describeProduct(turn) }
            }
            return
        }
        // "the bunny", "świece": a short answer naming one of the shop's kinds, after its range was
        // listed, is a choice of it, whatever the classifier makes of a word it never saw.
        if ![.orderProduct, .productInfo, .humanAgent].contains(intent), turn.words.count <= 3,
           context.catalog.namesOnlyAKind(turn.words) {
            with(OrderingFlow.self) { $0.startOrder(turn) }
            return
        }
        switch intent {
        // "dzień dobry, szukam swetra": the greeting is answered and so is the rest.
        case .greet where kindsNamed || TurnReading.asksWhatIsSold(turn):
            response.say("Dzień dobry!", "Hello!")
            with(FAQFlow.self) { $0.describeProduct(turn) }
        case .greet: with(FAQFlow.self) { $0.greet() }
        case .thanks where response.isSpoken:
            response.say("Proszę bardzo!", "You're welcome!")
            endCall()
        case .thanks: response.say("Proszę bardzo! Czy mogę pomóc w czymś jeszcze?", "You're welcome! Anything else I can help with?")
        case .goodbye where response.isSpoken: endCall()
        case .goodbye: response.say("Dziękuję za rozmowę, do usłyszenia!", "Thank you, goodbye!")
        case .deny where response.isSpoken: endCall()
        case .affirm, .deny: offerMenu(intro: response.words.pick("W czym mogę pomóc?", "How can I help?"))
        case .orderProduct: with(OrderingFlow.self) { $0.startOrder(turn) }
        case .productInfo: with(FAQFlow.self) { $0.describeProduct(turn) }
        case .orderStatus: with(OrderServiceFlow.self) { $0.serve(.status, turn) }
        case .cancelOrder: with(OrderServiceFlow.self) { $0.serve(.cancel, turn) }
        case .changeOrder: with(OrderServiceFlow.self) { $0.serve(.change, turn) }
        case .returnRequest: with(OrderServiceFlow.self) { $0.serve(.returns, turn) }
        case .complaint: with(OrderServiceFlow.self) { $0.serve(.complaint, turn) }
        case .invoice: with(OrderServiceFlow.self) { $0.serve(.invoice, turn) }
        case .deliveryInfo:
            with(FAQFlow.self) { $0.answerDelivery() }
            offerMoreHelp()
        case .paymentInfo:
            with(FAQFlow.self) { $0.answerPayment() }
            offerMoreHelp()
        case .storeInfo:
            with(FAQFlow.self) { $0.answerStores(turn) }
            offerMoreHelp()
        case .account: with(AccountFlow.self) { $0.answerAccount(turn) }
        case .humanAgent: escalate(.customerRequest, turn: turn)
        // "ile kosztuje szal?", "co macie?": questions about what the shop sells, in its words.
        case .outOfScope where TurnReading.asksWhatIsSold(turn)
            || (TurnReading.asksPrice(turn) && kindsNamed):
            with(FAQFlow.self) { $0.describeProduct(turn) }
        case .outOfScope where TurnReading.wantsToBuy(turn) && kindsNamed:
            with(OrderingFlow.self) { $0.startOrder(turn) }
        case .outOfScope: misunderstood(turn)
        }
    }

    /// A message the bot did not understand: ask again; after two in a row offer options;
    /// after the next, a person takes over.
    mutating func misunderstood(_ turn: Turn, reask: ((inout Self) -> Void)? = nil) {
        state.misunderstandings += 1
        let limit = context.settings.misunderstandingsBeforeOptions
        if state.misunderstandings > limit {
            response.say("Przepraszam, nadal nie rozumiem.", "Sorry, I still don't understand.")
            escalate(.repeatedMisunderstanding, turn: turn)
            return
        }
        response.say("Przepraszam, nie rozumiem.", "Sorry, I don't understand.")
        if state.misunderstandings == limit {
            if let reask {
                reask(&self)
                offerPerson()
            } else {
                state.phase = .offeredOptions
                offerMenu(intro: response.words.pick("Mogę pomóc w tych sprawach:", "I can help with these:"))
            }
            return
        }
        if let reask {
            reask(&self)
        } else {
            suggestPhrasings()
        }
    }

    /// A person, offered after the open question at the second misunderstanding in a row.
    mutating func offerPerson() {
        if response.isSpoken {
            response.say("Możesz też poprosić o konsultanta.", "You can also ask for an agent.")
        } else {
            response.say("Możesz też napisać „konsultant”, żeby porozmawiać z człowiekiem.",
                         "You can also write \"agent\" to talk to a person.")
        }
        response.offer(response.chips + [response.personChip])
    }

    /// Three things a customer might say, after a first misunderstanding with nothing pending.
    private mutating func suggestPhrasings() {
        if response.isSpoken {
            response.say("Powiedz, proszę, inaczej, na przykład: chcę coś zamówić, gdzie jest moje zamówienie albo zwrot.",
                         "Could you put it differently? For example: I want to order something, where is my order, or a return.")
        } else {
            response.say("Napisz, proszę, inaczej — np. „chcę coś zamówić”, „co macie?”, „gdzie jest moje zamówienie” albo „zwrot”.",
                         "Could you put it differently? For example \"I want to order something\", \"what do you have?\", \"where is my order\" or \"return\".")
        }
    }

    /// The menu of what the bot can do, as text and chips (on the phone, three of its topics are
    /// said; the chips hint the recogniser at all of them).
    mutating func offerMenu(intro: Phrase) {
        response.say(intro)
        if response.isSpoken {
            response.say("Złożenie zamówienia, status zamówienia albo rozmowa z konsultantem.",
                         "Placing an order, order status, or talking to an agent.")
        } else {
            response.say("Złożenie zamówienia, status zamówienia, zwrot, reklamacja albo rozmowa z konsultantem.",
                         "Placing an order, order status, a return, a complaint, or talking to an agent.")
        }
        response.offer(Self.menu(response.words))
    }

    /// The menu's topics as chips.
    static func menu(_ words: Phrasebook) -> [QuickReply] {
        [
            QuickReply(words.pick("Zamówienie", "Order"), .start(.order)),
            QuickReply(words.pick("Status zamówienia", "Order status"), .start(.status)),
            QuickReply(words.pick("Zwrot", "Return"), .start(.returns)),
            QuickReply(words.pick("Reklamacja", "Complaint"), .start(.complaint)),
            QuickReply(words.pick("Konsultant", "Agent"), .start(.person)),
        ]
    }

    /// Hands the conversation to a person.
    mutating func escalate(_ reason: EscalationReason, turn: Turn?, summary: String? = nil) {
        guard context.customer.mayEscalate else { return refuseEscalation() }
        let priority = EscalationPriority.of(reason: reason, text: turn?.text ?? "", customer: context.customer)
        switch reason {
        case .complaint:
            break
        case .customerRequest, .repeatedMisunderstanding, .voiceTransfer, .deliveryFailure, .paymentProblem:
            if response.isSpoken {
                response.say("Łączę z konsultantem, który zobaczy całą naszą rozmowę. Proszę chwilę poczekać.",
                             "I'm putting you through to an agent who will see our whole conversation. Please hold on a moment.")
            } else {
                response.say("Łączę z konsultantem — zobaczy całą naszą rozmowę. Napisz, proszę, w czym problem, a odpowie tutaj.",
                             "I'm connecting you with an agent who will see our whole conversation. Please describe the issue and they will answer here.")
            }
        }
        tellAvailability()
        let text = summary ?? turn.map { String($0.text.prefix(300)) } ?? ""
        response.perform(.escalate(reason, priority: priority, summary: [text, attachmentsLine].compactMap { $0 }.joined(separator: "\n")))
        state.phase = .withAgent
        state.misunderstandings = 0
        state.unclearTurns = 0
    }

    /// Over the limit of escalations: no new one, and the customer told where people answer.
    private mutating func refuseEscalation() {
        let contact = context.facts.contact
        response.say(
            "Prosisz o konsultanta kolejny raz w krótkim czasie — następne zgłoszenie przyjmę za kilka minut. "
                + "Obsługa klienta: \(quoted: contact.phone), \(contact.hoursPL).",
            "You have asked for an agent several times in a short while; I can pass on another request in a few minutes. "
                + "Customer service: \(quoted: contact.phone), \(contact.hoursEN).")
        response.perform(.escalationLimited)
    }

    /// Honest about the wait: outside the agents' hours, when none is online, or how long it
    /// should take (`AgentAvailability.expectedWaitMinutes`). Nothing is lost either way: the
    /// conversation waits in the queue.
    private mutating func tellAvailability() {
        guard let agents = context.agents else { return }
        let contact = context.facts.contact
        if !contact.agentsWork(at: context.now) {
            response.say(
                "Konsultanci pracują: \(contact.hoursPL). Teraz ich nie ma, ale sprawa czeka w kolejce i nic nie zginie: odpowiemy, gdy tylko zaczną pracę.",
                "Our agents work \(contact.hoursEN). None is in now, but your request waits in the queue and nothing is lost: we'll answer as soon as they start.")
        } else if let minutes = agents.expectedWaitMinutes {
            let ahead: Phrase = agents.waiting == 0
                ? response.words.pick("Nikt nie czeka przed Tobą.", "Nobody is waiting ahead of you.")
                : response.words.pick("Przed Tobą w kolejce: \(agents.waiting).", "Ahead of you in the queue: \(agents.waiting).")
            response.say(ahead + response.words.pick(" Szacowany czas oczekiwania: około \(minutes) min.",
                                                     " Expected wait: about \(minutes) min."))
        } else {
            response.say(
                "W tej chwili żaden konsultant nie jest dostępny. Sprawa czeka w kolejce i nic nie zginie: odpowiemy najszybciej, jak to możliwe.",
                "No agent is available right now. Your request waits in the queue and nothing is lost: we'll answer as soon as we can.")
        }
    }
}
