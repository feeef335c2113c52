import Commerce
import Dialogue
import Foundation
import NLU
import ShopValues

/// The small catalog every dialogue test talks about, with known stock.
enum TestCatalog {
    static func variant(_ sku: String, _ product: String, _ size: String, _ color: String, _ price: Int64, _ stock: Int) -> Variant {
        Variant(sku: sku, productID: product, size: size, color: color, price: Money(minorUnits: price), stock: stock)
    }

    /// Aero Run: sizes 42 and 43 in black and blue (43 blue: only 3 pairs), size 44 sold out.
    static let aeroRun = Product(
        id: "aero-run", namePL: "Buty do biegania Aero Run", nameEN: "Aero Run running shoes", category: "running_shoes",
        aliases: ["aero run"], variants: [
            variant("AERO-42-BLK", "aero-run", "42", "black", 34_900, 10),
            variant("AERO-42-BLU", "aero-run", "42", "blue", 34_900, 2),
            variant("AERO-43-BLK", "aero-run", "43", "black", 34_900, 5),
            variant("AERO-43-BLU", "aero-run", "43", "blue", 34_900, 3),
            variant("AERO-44-BLK", "aero-run", "44", "black", 34_900, 0),
        ])

    /// Storm Run: running shoes sold out in every size.
    static let stormRun = Product(
        id: "storm-run", namePL: "Buty do biegania Storm Run", nameEN: "Storm Run running shoes", category: "running_shoes",
        aliases: ["storm run"], variants: [
            variant("STORM-42-BLK", "storm-run", "42", "black", 29_900, 0),
            variant("STORM-43-BLK", "storm-run", "43", "black", 29_900, 0),
        ])

    /// City: a jacket in M (4) and L (1), navy only.
    static let cityJacket = Product(
        id: "city-jacket", namePL: "Kurtka City", nameEN: "City jacket", category: "jackets",
        aliases: ["city"], variants: [
            variant("CITY-M-NVY", "city-jacket", "M", "navy", 49_900, 4),
            variant("CITY-L-NVY", "city-jacket", "L", "navy", 49_900, 1),
        ])

    /// Merino: one-size grey socks.
    static let merinoSocks = Product(
        id: "merino-socks", namePL: "Skarpety Merino", nameEN: "Merino socks", category: "socks",
        aliases: ["merino"], variants: [variant("MERINO-GRY", "merino-socks", "", "grey", 2_900, 50)])

    static let snapshot = CatalogSnapshot([aeroRun, stormRun, cityJacket, merinoSocks])
}

/// Something the understanding found in a message: its kind, normalised value, and the words it
/// stood for (offsets are worked out from those).
struct Mention: Sendable {
    let kind: Entity.Kind
    let value: String
    let surface: String?

    static func product(_ id: String, _ surface: String? = nil) -> Mention { Mention(kind: .product, value: id, surface: surface) }
    static func size(_ size: String) -> Mention { Mention(kind: .size, value: size, surface: size) }
    static func color(_ color: String, _ surface: String? = nil) -> Mention { Mention(kind: .color, value: color, surface: surface) }
    static func quantity(_ count: Int, _ surface: String? = nil) -> Mention { Mention(kind: .quantity, value: "\(count)", surface: surface) }
    static func delivery(_ method: String, _ surface: String? = nil) -> Mention { Mention(kind: .deliveryMethod, value: method, surface: surface) }
    static func payment(_ method: String, _ surface: String? = nil) -> Mention { Mention(kind: .paymentMethod, value: method, surface: surface) }
    static func locker(_ code: String) -> Mention { Mention(kind: .lockerCode, value: code, surface: code) }
    static func postcode(_ code: String) -> Mention { Mention(kind: .postcode, value: code, surface: code) }
    static func phone(_ e164: String, _ surface: String) -> Mention { Mention(kind: .phone, value: e164, surface: surface) }
    static func orderNumber(_ number: OrderNumber) -> Mention { Mention(kind: .orderNumber, value: number.digits, surface: number.digits) }
    static func nip(_ digits: String) -> Mention { Mention(kind: .nip, value: digits, surface: digits) }

    /// The entity, placed where its words stand in `text` (at 0 when they do not appear).
    func entity(in text: String) -> Entity {
        let scalars = Array(text.unicodeScalars)
        let needle = Array((surface ?? value).unicodeScalars)
        var start = 0
        if !needle.isEmpty, needle.count <= scalars.count,
           let found = (0...(scalars.count - needle.count)).first(where: { Array(scalars[$0..<($0 + needle.count)]) == needle }) {
            start = found
        }
        return Entity(kind: kind, value: value, start: start, end: start + needle.count)
    }
}

/// A customer message understood as the test says, with no classifier involved; a spoken one
/// carries how sure the speech recogniser was.
func message(
    _ text: String, _ intent: Intent = .outOfScope, _ mentions: [Mention] = [], language: Language = .polish,
    confidence: Double = 0.9, languageConfidence: Double = 1, secrets: Set<SensitiveText.Kind> = [],
    attachments: [Attachment] = [], recognitionConfidence: Double? = nil
) -> Turn {
    let understanding = Understanding(
        text: text, intent: intent, confidence: confidence, language: language,
        entities: mentions.map { $0.entity(in: text) }, alternatives: [], languageConfidence: languageConfidence)
    return Turn(
        text: text, understanding: understanding, secrets: secrets, attachments: attachments,
        recognitionConfidence: recognitionConfidence)
}

/// Photos or files sent with no text, as a channel passes them on.
func sending(_ attachments: Attachment...) -> Turn {
    let understanding = Understanding(text: "", intent: .outOfScope, confidence: 0, language: .polish, entities: [], alternatives: [])
    return Turn(text: "", understanding: understanding, attachments: attachments)
}

/// A photo at a test address.
func photo(_ name: String = "1") -> Attachment { Attachment(kind: .image, url: "https://cdn.example.com/\(name).jpg") }

/// A tapped quick reply, or a Messenger postback: `title` is the text the channel shows.
func tap(_ payload: QuickReply.Payload, _ title: String = "", language: Language = .polish) -> Turn {
    let understanding = Understanding(text: title, intent: .outOfScope, confidence: 0, language: language, entities: [], alternatives: [])
    return Turn(text: title, understanding: understanding, payload: payload)
}

/// The fixed moment every test conversation happens at.
let testNow = Date(timeIntervalSince1970: 1_795_000_000)

/// One conversation with the dialogue: its state, and the context each step sees.
struct Chat {
    var dialogue: Dialogue
    var customer: CustomerSnapshot
    var now: Date
    var settings = DialogueSettings()
    var catalog = TestCatalog.snapshot
    /// Where the customer talks from: on `.voice` the replies are heard, not read.
    var channel: DialogueChannel
    let facts = ShopFacts.demo()
    /// Who can take over, as the agents' console says; nil: unknown.
    var agents: AgentAvailability?

    init(
        customer: CustomerSnapshot = CustomerSnapshot(id: 1), now: Date = testNow, state: DialogueState = DialogueState(),
        channel: DialogueChannel = .web
    ) {
        self.dialogue = Dialogue(state: state)
        self.customer = customer
        self.now = now
        self.channel = channel
    }

    var context: DialogueContext {
        DialogueContext(
            catalog: catalog, facts: facts, customer: customer, now: now, channel: channel, settings: settings, agents: agents)
    }

    var state: DialogueState { dialogue.state }

    /// The draft of the order being taken, if one is.
    var draft: OrderDraft? {
        if case .ordering(let draft) = dialogue.state.phase { return draft }
        return nil
    }

    @discardableResult
    mutating func send(_ event: DialogueEvent) -> [DialogueAction] {
        dialogue.handle(event, in: context)
    }

    @discardableResult
    mutating func say(_ turn: Turn) -> [DialogueAction] { send(.message(turn)) }

    @discardableResult
    mutating func say(
        _ text: String, _ intent: Intent = .outOfScope, _ mentions: Mention..., language: Language = .polish,
        confidence: Double = 0.9
    ) -> [DialogueAction] {
        say(message(text, intent, mentions, language: language, confidence: confidence))
    }

    mutating func wait(minutes: Double) { now = now.addingTimeInterval(minutes * 60) }
}
