import Commerce
import Foundation
import NLU

/// The conversation as a pure state machine: one event in, the new state and the actions out.
///
/// Nothing here touches the database, the clock or the network: the engine fetches the
/// snapshots of `DialogueContext`, performs the actions and feeds their outcomes back as events.
public struct Dialogue: Sendable {
    public internal(set) var state: DialogueState

    public init(state: DialogueState = DialogueState()) {
        self.state = state
    }

    /// Handles one event; returns what to say and do, in order.
    public mutating func handle(_ event: DialogueEvent, in context: DialogueContext) -> [DialogueAction] {
        if case .message(let turn) = event, context.channel.isSpoken,
           turn.isUnclear(below: context.settings.lowRecognitionConfidence) {
            return askToRepeat(turn, in: context)
        }
        if case .message(let turn) = event { adoptLanguage(of: turn, in: context) }
        var response = newResponse(in: context)
        switch event {
        case .message(let turn): receive(turn, in: context, &response)
        case .orderPlaced(let order): orderPlaced(order, &response)
        case .orderCancelled(let order): orderCancelled(order, &response)
        case .returnOpened(let returnCase, let order): returnOpened(returnCase, order: order, in: context, &response)
        case .deliveryChanged(let order): deliveryChanged(order, in: context, &response)
        case .invoiceRequested(let order): invoiceRequested(order, &response)
        case .refused(let error): refused(error, in: context, &response)
        case .verification(let outcome): verification(outcome, in: context, &response)
        }
        if !state.phase.gathersComplaint, !mayStartComplaint(after: event) { state.complaintAttachments = [] }
        return response.actions
    }

    /// An empty reply in the conversation's language, for the context's channel.
    func newResponse(in context: DialogueContext) -> Response {
        Response(words: Phrasebook(language: state.language, facts: context.facts), channel: context.channel)
    }

    /// Attachments sent alone with nothing pending wait one more message: a complaint started
    /// next takes them.
    private func mayStartComplaint(after event: DialogueEvent) -> Bool {
        guard case .message(let turn) = event else { return false }
        return turn.isAttachmentOnly && state.phase == .idle
    }

    /// An agent handed the conversation back: the bot starts afresh (its state before the
    /// handoff is stale by now).
    public mutating func returnFromAgent() {
        state.phase = .idle
        state.misunderstandings = 0
        state.unclearTurns = 0
        state.complaintAttachments = []
    }

    private mutating func adoptLanguage(of turn: Turn, in context: DialogueContext) {
        let understanding = turn.understanding
        let words = turn.words.filter { $0.contains(where: \.isLetter) }.count
        if state.lastActivity == nil {
            if let hint = context.languageHint {
                state.language = hint
            } else if words >= 1, understanding.intent != .outOfScope || words >= 2 {
                state.language = understanding.language
            }
        } else if words >= 4, understanding.intent != .outOfScope, understanding.confidence >= 0.8,
                  understanding.entities.isEmpty {
            // Only a clear sentence switches language: names, addresses and short answers
            // ("ok", "Jan Kowalski", "ul. Kwiatowa 5") say little about it.
            state.language = understanding.language
        }
    }

    private mutating func receive(_ turn: Turn, in context: DialogueContext, _ response: inout Response) {
        if case .ordering = state.phase, let last = state.lastActivity,
           context.now.timeIntervalSince(last) > context.settings.staleOrderAfter {
            state.phase = .idle
            response.say("Poprzednie, niedokończone zamówienie wygasło.", "The earlier unfinished order has expired.")
        }
        state.lastActivity = context.now
        state.unclearTurns = 0
        keepAttachments(of: turn)
        if !turn.secrets.isEmpty {
            warnAboutSecrets(in: context, &response)
            return
        }
        if wantsPerson(turn) {
            escalate(.customerRequest, turn: turn, in: context, &response)
            return
        }
        if answerAttachments(of: turn, in: context, &response) { return }
        if Self.tapsMenu(turn), !state.phase.isOrdering {
            // A persistent-menu button or Get Started leaves what was pending (an order keeps it
            // as a digression).
            state.phase = .idle
        }
        switch state.phase {
        case .idle, .withAgent, .offeredOptions:
            state.phase = .idle
            begin(turn, in: context, &response)
        case .ordering(let draft):
            continueOrder(draft, with: turn, in: context, &response)
        case .awaitingOrder(let request):
            awaitOrder(for: request, turn, in: context, &response)
        case .confirming(let confirmation):
            confirm(confirmation, turn, in: context, &response)
        case .offeringCode(let request, let contact):
            answerCodeOffer(for: request, to: contact, turn, in: context, &response)
        case .awaitingCode(let request, let contact):
            awaitCode(for: request, from: contact, turn, in: context, &response)
        case .describingComplaint(let number):
            describeComplaint(number, turn, in: context, &response)
        case .collectingInvoice(let number, let draft):
            collectInvoice(number, draft, turn, in: context, &response)
        case .changingOrder(let number):
            changeOrder(number, turn, in: context, &response)
        }
    }

    /// Starts whatever the message asks for, with nothing pending.
    mutating func begin(_ turn: Turn, in context: DialogueContext, _ response: inout Response) {
        let intent = Self.intent(of: turn)
        if intent != .outOfScope { state.misunderstandings = 0 }
        if claimsContacts(turn, &response), intent == .outOfScope || turn.understanding.confidence < 0.7 {
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
            if Self.wantsToBuy(turn) { startOrder(turn, in: context, &response) } else { describeProduct(turn, in: context, &response) }
            return
        }
        // "the bunny", "świece": a short answer naming one of the shop's kinds, after its range was
        // listed, is a choice of it, whatever the classifier makes of a word it never saw.
        if ![.orderProduct, .productInfo, .humanAgent].contains(intent), turn.words.count <= 3,
           context.catalog.namesOnlyAKind(turn.words) {
            startOrder(turn, in: context, &response)
            return
        }
        switch intent {
        // "dzień dobry, szukam swetra": the greeting is answered and so is the rest.
        case .greet where kindsNamed || Self.asksWhatIsSold(turn):
            response.say("Dzień dobry!", "Hello!")
            describeProduct(turn, in: context, &response)
        case .greet: greet(in: context, &response)
        case .thanks where response.isSpoken:
            response.say("Proszę bardzo!", "You're welcome!")
            endCall(&response)
        case .thanks: response.say("Proszę bardzo! Czy mogę pomóc w czymś jeszcze?", "You're welcome! Anything else I can help with?")
        case .goodbye where response.isSpoken: endCall(&response)
        case .goodbye: response.say("Dziękuję za rozmowę, do usłyszenia!", "Thank you, goodbye!")
        case .deny where response.isSpoken: endCall(&response)
        case .affirm, .deny: offerMenu(intro: response.words.pick("W czym mogę pomóc?", "How can I help?"), &response)
        case .orderProduct: startOrder(turn, in: context, &response)
        case .productInfo: describeProduct(turn, in: context, &response)
        case .orderStatus: serve(.status, turn, in: context, &response)
        case .cancelOrder: serve(.cancel, turn, in: context, &response)
        case .changeOrder: serve(.change, turn, in: context, &response)
        case .returnRequest: serve(.returns, turn, in: context, &response)
        case .complaint: serve(.complaint, turn, in: context, &response)
        case .invoice: serve(.invoice, turn, in: context, &response)
        case .deliveryInfo:
            answerDelivery(in: context, &response)
            offerMoreHelp(&response)
        case .paymentInfo:
            answerPayment(in: context, &response)
            offerMoreHelp(&response)
        case .storeInfo:
            answerStores(turn, in: context, &response)
            offerMoreHelp(&response)
        case .account: answerAccount(turn, in: context, &response)
        case .humanAgent: escalate(.customerRequest, turn: turn, in: context, &response)
        // "ile kosztuje szal?", "co macie?": questions about what the shop sells, in its words.
        case .outOfScope where Self.asksWhatIsSold(turn)
            || (Self.asksPrice(turn) && kindsNamed):
            describeProduct(turn, in: context, &response)
        case .outOfScope where Self.wantsToBuy(turn) && kindsNamed:
            startOrder(turn, in: context, &response)
        case .outOfScope: misunderstood(turn, in: context, &response)
        }
    }

    /// The intent a turn is taken for: a tapped chip's topic, a product named with no clear
    /// intent (an order), else the classifier's.
    static func intent(of turn: Turn) -> Intent {
        switch turn.payload {
        case .start(let topic)?: return Intent(rawValue: topic.rawValue) ?? .outOfScope
        case .getStarted?: return .greet
        case .yes?: return .affirm
        case .no?: return .deny
        case .product?: return .orderProduct
        case .order?: return .orderStatus
        case .size?, .color?, .quantity?, .delivery?, .store?, .payment?, nil: break
        }
        let understanding = turn.understanding
        if !understanding.entities(.product).isEmpty {
            // "ile kosztuje dyfuzor cytrus?" asks the price; it does not start an order.
            if asksPrice(turn), !wantsToBuy(turn) { return .productInfo }
            // "chcę świecę wanilia, wyślijcie do paczkomatu GDA05N": a product wanted, with how to
            // send it, is an order, whatever the delivery words make the classifier think.
            if wantsToBuy(turn), understanding.entities(.orderNumber).isEmpty, !speaksOfAnOrder(turn),
               [.changeOrder, .orderStatus, .deliveryInfo, .paymentInfo, .storeInfo, .productInfo].contains(understanding.intent) {
                return .orderProduct
            }
            if [.outOfScope, .affirm].contains(understanding.intent) || namesOnlyProducts(turn) { return .orderProduct }
            // "hello, do you have Aero Run?" is about the product more than a greeting.
            if understanding.intent == .greet {
                return Folding.hasWord(turn.words, startingWith: ["zamow", "kupi", "kupuj", "wezm", "poprosz", "order", "buy", "purchase"])
                    ? .orderProduct : .productInfo
            }
        }
        return understanding.intent
    }

    /// A message that is a product's name and little else ("skarpety leśne", "Motylek 104"):
    /// whatever the classifier makes of a name it never saw, the customer wants it.
    static func namesOnlyProducts(_ turn: Turn) -> Bool {
        let understanding = turn.understanding
        let covered = understanding.entities.filter { [.product, .size, .color, .quantity].contains($0.kind) }
            .reduce(0) { $0 + ($1.end - $1.start) }
        return !understanding.entities(.product).isEmpty && Double(covered) >= 0.6 * Double(turn.text.unicodeScalars.count)
            && !asksPrice(turn) && !speaksOfAnOrder(turn)
    }

    /// "chcę", "poproszę", "wezmę", "I want to buy": the customer means to buy.
    static func wantsToBuy(_ turn: Turn) -> Bool {
        Folding.hasWord(turn.words, startingWith: ["kupi", "kupuj", "wezm", "poprosz", "chce", "chcial", "zamowic", "zamawia",
                                                   "zamowie", "potrzebuj", "buy", "purchase", "want", "need"])
            || Folding.contains(turn.words, anyOf: ["i d like", "i would like", "id like", "can i get", "i ll take", "i ll have"])
    }

    /// "ile kosztuje", "jaka cena", "how much": a question about the price.
    static func asksPrice(_ turn: Turn) -> Bool {
        Folding.hasWord(turn.words, startingWith: ["kosztu", "cena", "cene", "ceny", "cenie", "price", "cost"])
            || Folding.contains(turn.words, anyOf: ["how much", "po ile"])
    }

    /// Words of an order placed before: changing, cancelling, returning or complaining about it.
    static func speaksOfAnOrder(_ turn: Turn) -> Bool {
        Folding.hasWord(turn.words, startingWith: ["zmien", "zamien", "anul", "zwrot", "zwroc", "reklam", "zamowieni", "change",
                                                   "swap", "cancel", "return", "refund", "complain", "status", "gdzie"])
    }

    /// A tap on the menu: a topic to start, or Messenger's Get Started.
    static func tapsMenu(_ turn: Turn) -> Bool {
        switch turn.payload {
        case .start?, .getStarted?: true
        case .yes?, .no?, .product?, .size?, .color?, .quantity?, .delivery?, .store?, .payment?, .order?, nil: false
        }
    }

    private func wantsPerson(_ turn: Turn) -> Bool {
        if case .start(.person)? = turn.payload { return true }
        return turn.payload == nil && turn.understanding.intent == .humanAgent && turn.understanding.confidence >= 0.5
    }

    /// A message the bot did not understand: ask again; after two in a row offer options;
    /// after the next, a person takes over.
    mutating func misunderstood(_ turn: Turn, in context: DialogueContext, reask: ((inout Response) -> Void)? = nil,
                                _ response: inout Response) {
        state.misunderstandings += 1
        let limit = context.settings.misunderstandingsBeforeOptions
        if state.misunderstandings > limit {
            response.say("Przepraszam, nadal nie rozumiem.", "Sorry, I still don't understand.")
            escalate(.repeatedMisunderstanding, turn: turn, in: context, &response)
            return
        }
        response.say("Przepraszam, nie rozumiem.", "Sorry, I don't understand.")
        if state.misunderstandings == limit {
            if let reask {
                reask(&response)
                offerPerson(&response)
            } else {
                state.phase = .offeredOptions
                offerMenu(intro: response.words.pick("Mogę pomóc w tych sprawach:", "I can help with these:"), &response)
            }
            return
        }
        if let reask {
            reask(&response)
        } else {
            suggestPhrasings(&response)
        }
    }

    /// A person, offered after the open question at the second misunderstanding in a row.
    func offerPerson(_ response: inout Response) {
        if response.isSpoken {
            response.say("Możesz też poprosić o konsultanta.", "You can also ask for an agent.")
        } else {
            response.say("Możesz też napisać „konsultant”, żeby porozmawiać z człowiekiem.",
                         "You can also write \"agent\" to talk to a person.")
        }
        response.offer(response.chips + [response.personChip])
    }

    /// Three things a customer might say, after a first misunderstanding with nothing pending.
    private func suggestPhrasings(_ response: inout Response) {
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
    func offerMenu(intro: Phrase, _ response: inout Response) {
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
    mutating func escalate(_ reason: EscalationReason, turn: Turn?, summary: String? = nil, in context: DialogueContext,
                           _ response: inout Response) {
        let priority = EscalationPriority.of(reason: reason, text: turn?.text ?? "", customer: context.customer)
        switch reason {
        case .complaint:
            break
        case .customerRequest, .repeatedMisunderstanding, .voiceTransfer, .deliveryFailure:
            if response.isSpoken {
                response.say("Łączę z konsultantem, który zobaczy całą naszą rozmowę. Proszę chwilę poczekać.",
                             "I'm putting you through to an agent who will see our whole conversation. Please hold on a moment.")
            } else {
                response.say("Łączę z konsultantem — zobaczy całą naszą rozmowę. Napisz, proszę, w czym problem, a odpowie tutaj.",
                             "I'm connecting you with an agent who will see our whole conversation. Please describe the issue and they will answer here.")
            }
        }
        tellAvailability(in: context, &response)
        let text = summary ?? turn.map { String($0.text.prefix(300)) } ?? ""
        response.perform(.escalate(reason, priority: priority, summary: [text, attachmentsLine].compactMap { $0 }.joined(separator: "\n")))
        state.phase = .withAgent
        state.misunderstandings = 0
        state.unclearTurns = 0
    }

    /// Honest about the wait: outside the agents' hours, when none is online, or how long it
    /// should take (`AgentAvailability.expectedWaitMinutes`). Nothing is lost either way: the
    /// conversation waits in the queue.
    private func tellAvailability(in context: DialogueContext, _ response: inout Response) {
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

    private mutating func warnAboutSecrets(in context: DialogueContext, _ response: inout Response) {
        response.say(
            "Proszę nie podawać w rozmowie numerów kart, kodów CVV i BLIK ani haseł — ta wiadomość została ukryta. Płatność odbywa się przez bezpieczny link do płatności albo przy odbiorze.",
            "Please don't share card numbers, CVV or BLIK codes, or passwords in the chat; I've hidden that message. Payment happens through a secure payment link or on delivery.")
        if case .ordering(let draft) = state.phase { ask(draft.pending, draft, in: context, &response) }
    }
}
