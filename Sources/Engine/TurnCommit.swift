import Commerce
import Dialogue
import Foundation
import NLU
import Storage
import Wire

/// One turn inside its transaction: the customer and conversation, the stored message, the
/// dialogue step, its actions performed, the replies stored (and queued for push channels),
/// and the new state saved against the version that was read.
struct TurnCommit {
    let engine: ConversationEngine
    let prepared: PreparedTurn
    let db: Database

    var customerID: Int64 = 0
    private var escalation: Escalation?
    private var placedOrder: Order?
    private var endsConversation = false
    private var linked: [LinkOutcome] = []
    private var claimed: [Identity] = []
    private var notificationsQueued = false
    private var touchedProducts = Set<String>()

    init(engine: ConversationEngine, prepared: PreparedTurn, db: Database) {
        self.engine = engine
        self.prepared = prepared
        self.db = db
    }

    private var message: InboundMessage { prepared.message }
    private var facts: ShopFacts { engine.configuration.facts }

    mutating func run() throws -> TurnOutcome {
        let now = engine.now()
        let clock: Now = { now }
        let understood = prepared.turn.understanding
        customerID = try resolveCustomer()
        let conversation = try Conversations(now: clock).open(
            customer: customerID, channel: message.storedChannel, externalID: message.thread,
            language: understood.language.rawValue, in: db)
        customerID = conversation.customerID
        let state = conversation.mode == .bot
            ? engine.states.state(of: conversation.id, at: conversation.stateVersion) ?? DialogueStateJSON.decode(conversation.state)
            : nil
        // A one-time code typed back is masked like a card number: in no transcript, console,
        // export or stored webhook event.
        let typedCode = state?.phase.awaitsCode == true ? Dialogue.verificationCode(in: prepared.turn.text) : nil
        let stored = try Conversations(now: clock).append(
            .fromCustomer(typedCode == nil ? prepared.storedText : Self.masked(prepared.storedText),
                          intent: understood.intent.rawValue, confidence: understood.confidence, externalID: message.eventID),
            to: conversation.id, in: db)
        if let typedCode, let inbox = message.inboxID {
            try Inbox().redact([prepared.turn.text.trimmingCharacters(in: .whitespacesAndNewlines), typedCode], in: inbox, in: db)
        }
        guard let state else {
            return outcome(
                conversation, stored, replies: [], mode: .human, state: "with_agent",
                language: Language(rawValue: conversation.language) ?? understood.language)
        }
        var dialogue = Dialogue(state: state)
        if case .withAgent = dialogue.state.phase { dialogue.returnFromAgent() }
        var context = try makeContext(now: now, withOrders: Self.needsOrders(dialogue.state, prepared.turn))
        var events: [DialogueEvent] = [.message(prepared.turn)]
        var replies: [Reply] = []
        while !events.isEmpty {
            let event = events.removeFirst()
            for action in dialogue.handle(event, in: context) {
                if case .reply(let reply) = action {
                    replies.append(reply)
                } else if let followUp = try perform(action, conversation: conversation.id, clock: clock) {
                    if followUp == .verification(.verified) { context = try makeContext(now: now, withOrders: true) }
                    events.append(followUp)
                }
            }
        }
        try store(replies, in: conversation, clock: clock)
        let version = try Conversations(now: clock).saveState(
            DialogueStateJSON.encode(dialogue.state), of: conversation.id, expectedVersion: conversation.stateVersion,
            reached: placedOrder != nil ? .placed : dialogue.state.funnelStep, in: db)
        engine.states.remember(dialogue.state, of: conversation.id, at: version)
        let mode: ConversationMode = escalation.map { $0.status == .resolved ? .bot : .human } ?? .bot
        return outcome(
            conversation, stored, replies: replies, mode: mode, state: dialogue.state.summary, language: dialogue.state.language)
    }

    /// `text` with every digit masked.
    static func masked(_ text: String) -> String {
        String(text.map { $0.isASCIIDigit ? "•" : $0 })
    }

    private func resolveCustomer() throws -> Int64 {
        switch message.sender {
        case .identity(let identity):
            return try Customers(now: engine.now).resolve(identity, language: prepared.turn.understanding.language.rawValue, in: db)
        case .customer(let id):
            guard let customer = try Customers().find(id, in: db) else { throw CommerceError.unknownCustomer(id) }
            return customer.id
        }
    }

    /// Whether the step may look at the customer's orders and escalations. In the middle of an
    /// order it does not (unless the customer is about to be handed to a person), and reading a
    /// customer's whole order history on every turn of an order would be most of the turn's cost.
    static func needsOrders(_ state: DialogueState, _ turn: Turn) -> Bool {
        guard case .ordering = state.phase else { return true }
        return turn.understanding.intent == .humanAgent || state.misunderstandings >= 1 || !turn.secrets.isEmpty
    }

    func makeContext(now: Date, withOrders: Bool) throws -> DialogueContext {
        let record = try Customers().find(customerID, withIdentities: false, in: db)
        let orders = withOrders ? try recentAndNamedOrders() : []
        let earlier = withOrders
            ? try Escalations().count(ofCustomer: customerID, in: db)
            : 0
        // A code to a contact typed earlier is offered only to a customer without orders who asks
        // about orders: most turns need not read those contacts.
        let unproved = withOrders && orders.isEmpty && Dialogue.asksAboutOrders(prepared.turn)
            ? try Customers().unprovedContacts(of: customerID, in: db) : []
        let customer = CustomerSnapshot(
            id: customerID, name: record?.name, phone: record?.phone, email: record?.email, orders: orders,
            earlierEscalations: earlier, unprovedContacts: unproved,
            mayEscalate: try mayEscalate())
        return DialogueContext(
            catalog: engine.catalogSnapshot, facts: facts, customer: customer, now: now, channel: message.channel.dialogue,
            languageHint: message.language, settings: engine.configuration.dialogue, agents: engine.agentAvailability)
    }

    /// Whether the escalation limit lets the customer be handed to a person now: it holds back
    /// customers who proved no contact (anyone can open a Messenger account or a web session),
    /// not those who did. The limit is looked at first: most turns need not read the identities.
    private func mayEscalate() throws -> Bool {
        guard let limit = engine.configuration.escalationLimit,
              !limit.check(String(customerID), counting: false).isAllowed
        else { return true }
        return try Customers().hasVerifiedIdentity(customerID, in: db)
    }

    /// Whether the customer may place another order now (the order limit, for customers who
    /// proved no contact); takes one from their allowance.
    private func mayPlaceOrder() throws -> Bool {
        guard let limit = engine.configuration.orderLimit, try !Customers().hasVerifiedIdentity(customerID, in: db) else { return true }
        return limit.take(String(customerID)).isAllowed
    }

    /// How many of a customer's latest orders the dialogue sees without being told a number.
    static let recentOrders = 20

    /// The customer's latest orders, newest first, and any older one of theirs the message names
    /// by number (so a number from long ago is still theirs, not "not found").
    private func recentAndNamedOrders() throws -> [Order] {
        let reader = Orders(facts: facts)
        var orders = try reader.orders(ofCustomer: customerID, limit: Self.recentOrders, in: db)
        guard orders.count == Self.recentOrders else { return orders }
        var named = prepared.turn.understanding.entities(.orderNumber).map(\.value)
        if case .order(let digits)? = prepared.turn.payload { named.append(digits) }
        for number in named.compactMap({ OrderNumber($0) }) where !orders.contains(where: { $0.number == number }) {
            if let order = try reader.find(number, in: db), order.customerID == customerID { orders.append(order) }
        }
        return orders
    }

    /// Performs one action; returns the event that reports its outcome to the dialogue, if any.
    private mutating func perform(_ action: DialogueAction, conversation: Int64, clock: @escaping Now) throws -> DialogueEvent? {
        let orders = Orders(facts: facts, now: clock, numbers: engine.configuration.orderNumbers)
        do {
            switch action {
            case .reply:
                return nil
            case .placeOrder(let draft):
                guard try mayPlaceOrder() else { throw CommerceError.tooManyOrders }
                let request = OrderRequest(
                    customerID: customerID, conversationID: conversation, lines: draft.lines, delivery: draft.delivery,
                    payment: draft.payment, contact: draft.contact)
                let order = try db.inTransaction { try orders.place(request, in: db) }
                placedOrder = order
                touchedProducts.formUnion(order.lines.map(\.productID))
                try sendPaymentLinkIfSpoken(order, clock: clock)
                return .orderPlaced(order)
            case .cancelOrder(let number):
                try requireOwn(number)
                let order = try db.inTransaction { try orders.cancel(number, note: "cancelled by the customer in a conversation", in: db) }
                touchedProducts.formUnion(order.lines.map(\.productID))
                return .orderCancelled(order)
            case .openReturn(let number, let reason):
                let order = try requireOwn(number)
                let lines = Dictionary(order.lines.map { ($0.sku, $0.quantity) }, uniquingKeysWith: +)
                    .map { OrderRequestLine(sku: $0.key, quantity: $0.value) }.sorted { $0.sku < $1.sku }
                let opened = try db.inTransaction { try orders.openReturn(number, lines: lines, reason: reason, in: db) }
                return .returnOpened(opened, order: number)
            case .changeDelivery(let number, let delivery):
                try requireOwn(number)
                return .deliveryChanged(try db.inTransaction { try orders.changeDelivery(number, to: delivery, in: db) })
            case .requestInvoice(let number, let details):
                try requireOwn(number)
                return .invoiceRequested(try db.inTransaction { try orders.requestInvoice(number, details: details, in: db) })
            case .escalate(let reason, let priority, let summary):
                _ = engine.configuration.escalationLimit?.take(String(customerID))
                escalation = try Escalations(now: clock).open(
                    conversation: conversation, reason: reason, priority: priority, summary: summary, in: db)
                return nil
            case .claimContact(let contact):
                try Customers(now: clock).claim(contact, by: customerID, in: db)
                claimed.append(contact)
                return nil
            case .sendVerificationCode(let contact, let language):
                return .verification(try sendCode(to: contact, language: language, conversation: conversation, clock: clock))
            case .checkVerificationCode(let code):
                return .verification(try check(code, conversation: conversation, clock: clock))
            case .rememberName(let name):
                try Customers(now: clock).update(customerID, name: name, in: db)
                return nil
            case .complaintFiled(let number):
                try requireOwn(number)
                try OrderEvents(now: clock).record(.complaintOpened, orderNumber: number, in: db)
                return nil
            case .escalationLimited:
                engine.configuration.escalationLimit?.countRefusal()
                return nil
            case .endConversation:
                endsConversation = true
                return nil
            }
        } catch let refusal as CommerceError {
            return .refused(refusal)
        }
    }

    /// Issues a code for `contact`; it is sent only when the contact belongs to another record and
    /// a notifier is configured, but the dialogue hears `.sent` either way.
    private mutating func sendCode(to contact: Identity, language: Language, conversation: Int64, clock: @escaping Now) throws
        -> VerificationOutcome {
        let entitled = try Customers().records(provedBy: contact, other: customerID, in: db)
        let delivers = engine.configuration.dialogue.sendsVerificationCodes && !entitled.isEmpty
        switch try VerificationCodes(now: clock).issue(for: contact, conversation: conversation, delivered: delivers, in: db) {
        case .refused:
            return .refused
        case .issued(let code, let expiresAt):
            guard delivers else { return .sent }
            try Notifications(now: clock).enqueue(
                .verificationCode, to: contact, language: language.rawValue,
                text: VerificationCodeText.message(code: code, language: language), code: code, giveUpAt: expiresAt, in: db)
            notificationsQueued = true
            return .sent
        }
    }

    /// Checks a typed code; a right one merges the customer with every record the contact proves
    /// and makes the contact a verified key of the record.
    private mutating func check(_ code: String, conversation: Int64, clock: @escaping Now) throws -> VerificationOutcome {
        switch try VerificationCodes(now: clock).check(code, conversation: conversation, in: db) {
        case .wrong(let triesLeft): return .wrong(triesLeft: triesLeft)
        case .locked: return .locked
        case .expired: return .expired
        case .verified(let contact):
            let customers = Customers(now: clock)
            for other in try customers.records(provedBy: contact, other: customerID, in: db) {
                let merged = try customers.merge(customerID, other, because: .identity(contact, actor: "verification"), in: db)
                linked.append(merged)
                customerID = merged.customerID
            }
            let outcome = try customers.link(contact, to: customerID, trust: .verified, actor: "verification", in: db)
            linked.append(outcome)
            customerID = outcome.customerID
            return .verified
        }
    }

    /// A caller cannot click a link: an order paid online on the phone gets its payment link
    /// through the notifier, to the order's contact.
    private mutating func sendPaymentLinkIfSpoken(_ order: Order, clock: @escaping Now) throws {
        let settings = engine.configuration.dialogue
        guard message.channel.dialogue.isSpoken, order.isPaidOnline, settings.sendsVerificationCodes,
              let template = settings.paymentLink,
              let contact = order.contact.phone.map({ Identity(.phone, $0.e164) }) ?? order.contact.email.map({ Identity(.email, $0.value) })
        else { return }
        let notice = NoticeText.paymentLink(of: order, link: template.link(for: order))
        let language = prepared.turn.understanding.language.rawValue
        try Notifications(now: clock).enqueue(
            .orderUpdate, to: contact, language: language, text: notice.text(in: language),
            giveUpAt: clock().addingTimeInterval(86_400), in: db)
        notificationsQueued = true
    }

    /// The order, when it is this customer's; otherwise it does not exist as far as they know.
    @discardableResult
    private func requireOwn(_ number: OrderNumber) throws -> Order {
        guard let order = try Orders(facts: facts).find(number, in: db), order.customerID == customerID else {
            throw CommerceError.unknownOrder(number.digits)
        }
        return order
    }

    func store(_ replies: [Reply], in conversation: Conversation, clock: @escaping Now) throws {
        for reply in replies {
            // Every caller saves the state next, which sets the conversation's `updated_at`.
            _ = try Conversations(now: clock).appendInTurn(.reply(reply.text, from: .bot), to: conversation, in: db)
            if message.pushesReplies {
                try Outbox(now: clock).enqueue(
                    conversation: conversation.id, channel: conversation.channel, recipient: message.thread, author: .bot,
                    text: reply.text, quickRepliesJSON: Self.quickRepliesJSON(reply.quickReplies), in: db)
            }
        }
    }

    func outcome(
        _ conversation: Conversation, _ stored: Message, replies: [Reply], mode: ConversationMode, state: String,
        language: Language
    ) -> TurnOutcome {
        TurnOutcome(
            conversationID: conversation.id, customerID: customerID, messageID: stored.id,
            understanding: prepared.turn.understanding, replies: replies, language: language, mode: mode, state: state,
            escalation: escalation,
            placedOrder: placedOrder, linked: linked, claimed: claimed, notificationsQueued: notificationsQueued,
            endsConversation: endsConversation, changedStock: touchedProducts)
    }

    // MARK: - Quick replies as stored text

    /// `[{"title":…,"payload":…}]`, as the outbox stores them for the channels.
    static func quickRepliesJSON(_ quickReplies: [QuickReply]) -> String {
        "[" + quickReplies.map { "{\"title\":" + JSONText.quoted($0.title) + ",\"payload\":" + JSONText.quoted($0.payload.rawValue) + "}" }
            .joined(separator: ",") + "]"
    }
}
