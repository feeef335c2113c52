import Commerce
import Dialogue
import Foundation
import NLU
import ShopValues
import Voice

/// A golden conversation, parsed from a file of `Transcripts/` (docs/TRANSCRIPTS.md): setup,
/// the clock, which customer talks on which channel, what they write or tap, and what the bot
/// must say and do after each of their messages.
public struct Transcript: Sendable, Equatable {
    /// The file it was read from, as given to the parser (failures name it).
    public let file: String
    /// The steps in file order.
    public let steps: [Step]
    /// The catalog CSV the conversation runs on (a path relative to the transcript's folder);
    /// nil for the demo catalog.
    public let catalog: String?

    public init(file: String, steps: [Step], catalog: String? = nil) {
        self.file = file
        self.steps = steps
        self.catalog = catalog
    }

    /// One step with the line it was written on.
    public struct Step: Sendable, Equatable {
        public let line: Int
        public let action: Action

        public init(line: Int, _ action: Action) {
            self.line = line
            self.action = action
        }
    }

    /// What a step does.
    public enum Action: Sendable, Equatable {
        /// Sets or advances the clock everything after it runs at.
        case clock(ClockChange)
        /// Who writes from here on: a channel, an identity and the thread of their conversation.
        case conversation(Speaker)
        /// Puts the world in a state before the conversation: customers, orders, stock.
        case given(Given)
        /// A customer message and what must hold after the bot has handled it.
        case turn(CustomerMessage, checks: [Check])
        /// The shop's systems report an order's new status (as `POST /api/orders/{n}/status`
        /// does), and what the customer must have been told of it.
        case shop(ShopUpdate, checks: [Check])
    }
}

/// How a `clock` line moves the clock.
public enum ClockChange: Sendable, Equatable {
    /// `clock 2026-03-02 10:00`: this moment (UTC).
    case set(Date)
    /// `clock +31m`: this many seconds later.
    case advance(TimeInterval)
}

/// `conversation messenger as messenger:psid-1`: the channel and identity of the messages that
/// follow.
public struct Speaker: Sendable, Equatable {
    public let channel: DialogueChannel
    public let identity: Identity
    /// The conversation's id on the channel (by default the identity's own id).
    public let thread: String
    /// The language the channel announces, if any.
    public let language: Language?

    public init(channel: DialogueChannel, identity: Identity, thread: String, language: Language?) {
        self.channel = channel
        self.identity = identity
        self.thread = thread
        self.language = language
    }
}

/// A `given` line: the world before (or between) conversations, set up through the commerce
/// domain directly.
public enum Given: Sendable, Equatable {
    /// A customer with these identities (the first creates them, the rest are linked) and a name.
    case customer([Identity], name: String?)
    /// An order placed for the customer of `identity` at the current clock; its number is kept in
    /// `variable`.
    case order(variable: String, for: Identity, GivenOrder)
    /// The order in `variable` moved to `status` at the current clock (through the statuses in
    /// between, when it has to).
    case status(variable: String, OrderStatus)
    /// The stock of a variant set to a number.
    case stock(sku: String, Int)
}

/// A `shop order {name} STATUS; carrier …; tracking …; url …` line: the ERP's status update.
public struct ShopUpdate: Sendable, Equatable {
    public let variable: String
    public let status: OrderStatus
    public let tracking: Tracking?

    public init(variable: String, status: OrderStatus, tracking: Tracking?) {
        self.variable = variable
        self.status = status
        self.tracking = tracking
    }
}

/// What a `given order` line orders and how.
public struct GivenOrder: Sendable, Equatable {
    public let lines: [OrderRequestLine]
    public let delivery: Delivery
    public let payment: PaymentMethod
    /// The contact on the order; nil takes the customer's name and phone or e-mail.
    public let contact: Contact?

    public init(lines: [OrderRequestLine], delivery: Delivery, payment: PaymentMethod, contact: Contact?) {
        self.lines = lines
        self.delivery = delivery
        self.payment = payment
        self.contact = contact
    }
}

/// What the customer sends in a turn.
public enum CustomerMessage: Sendable, Equatable {
    /// `> text`: typed (or said) text; `{name}` stands for a captured value.
    case text(String)
    /// `tap Tak` / `tap SIZE:42`: a quick reply tapped, by its title or its payload.
    case tap(String)
    /// `hear 0.55 gdzie jest mój zamek || 0.50 gdzie jest moje zamówienie`: a phone caller's
    /// utterance as the recogniser heard it, hypotheses best first (`-` for no confidence);
    /// `silence` is an utterance with none.
    case heard([SpeechAlternative])
    /// `again`: the speech platform sends the previous turn of the call once more (same seq).
    case again
    /// `twilio 0.91 text`: the utterance as Twilio's speech callback (form-encoded, TwiML back).
    case twilio(SpeechAlternative)
}

/// One expectation after a turn, with its line and its text as written.
public struct Check: Sendable, Equatable {
    public let line: Int
    /// The line as written, shown when the check fails.
    public let source: String
    public let expectation: Expectation

    public init(line: Int, source: String, expectation: Expectation) {
        self.line = line
        self.source = source
        self.expectation = expectation
    }
}

/// What must hold after a turn. Texts may hold `{name}` placeholders.
public enum Expectation: Sendable, Equatable {
    /// `< text`: some reply of the turn contains the text.
    case says(String)
    /// `< /pattern/`: the replies (joined by new lines) match the regular expression.
    case matches(String)
    /// `<! text`: no reply of the turn contains the text.
    case doesNotSay(String)
    /// `chip Tak` / `chip YES`: a quick reply with this title or payload is offered.
    case chip(String)
    /// `silent`: the bot said nothing.
    case silent
    /// `intent order_product`: what the customer's message was understood as.
    case intent(Intent)
    /// `state ordering.size`: where the dialogue stands after the turn.
    case state(String)
    /// `mode human`: who answers the conversation after the turn.
    case mode(ConversationMode)
    /// `order placed [total 698,00 zł] [as {order}]`: the turn placed an order.
    case orderPlaced(total: Money?, capture: String?)
    /// `no order`: the turn placed none.
    case noOrder
    /// `stock SKU -1`: the turn changed the variant's stock by this much.
    case stockChanged(sku: String, by: Int)
    /// `escalation [REASON] [priority >= N]`: the turn opened (or found open) an escalation.
    case escalation(EscalationReason?, minimumPriority: Int?)
    /// `no escalation`: the turn opened none.
    case noEscalation
    /// `linked phone:+48…`: the turn linked the identity to the customer.
    case linked(Identity)
    /// `claimed phone:+48…`: the turn kept the contact the customer typed as their claim (a key
    /// to nothing).
    case claimed(Identity)
    /// `customer other than email:…`: the turn's customer is not the one that identity leads to.
    case otherCustomer(than: Identity)
    /// `customer same as messenger:psid-1`: the turn's customer is the one with that identity.
    case sameCustomer(as: Identity)
    /// `said text`: what the phone says (the speakable text of the voice reply) contains it.
    case said(String)
    /// `ssml text`: the voice reply's SSML contains it.
    case ssml(String)
    /// `hint text`: the voice reply listens with this recogniser hint.
    case hint(String)
    /// `action listen` | `action transfer support-pl` | `action hangup`: how the voice reply ends.
    case voiceAction(VoiceEnding)
    /// `twiml text`: the TwiML document of a Twilio turn contains it.
    case twiml(String)
    /// `same reply`: the voice reply is the one the previous turn of the call got.
    case sameReply
}

/// How a voice reply ends, as an `action` check names it.
public enum VoiceEnding: Sendable, Equatable {
    case listen
    case transfer(queue: String?)
    case hangup
}
