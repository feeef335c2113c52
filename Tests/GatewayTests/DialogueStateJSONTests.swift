import Commerce
import Dialogue
import Engine
import Foundation
import Gateway
import NLU
import Testing

/// The hand-written state JSON must stay what the synthesized Codable reads, in every phase.
@Suite struct DialogueStateJSONTests {
    static let number = OrderNumber("123455")!

    static var fullDraft: OrderDraft {
        var draft = OrderDraft()
        draft.lines = [DraftLine(productID: "aero-run", size: "42.5", color: "white", quantity: 2)]
        draft.lines[0].sku = "AERO-RUN-42.5-WHT"
        draft.current = DraftLine(productID: "wool-socks", size: "39-42")
        draft.cartComplete = true
        draft.deliveryMethod = "courier"
        draft.address = DraftAddress(street: "ul. \"Kwiatowa\" 5\nm. 2", postcode: "50-123", city: "Wrocław")
        draft.locker = "WRO01M"
        draft.store = "krk-florianska"
        draft.contactName = "Zażółć Gęślą"
        draft.phone = "+48600123456"
        draft.email = "jan@example.com"
        draft.payment = .cashOnDelivery
        draft.offeredProducts = ["aero-run", "tempo-max"]
        draft.queuedProducts = ["city-sneaker"]
        draft.pending = .confirmation
        return draft
    }

    static let phases: [DialogueState.Phase] = [
        .idle, .offeredOptions, .withAgent, .ordering(OrderDraft()), .ordering(fullDraft), .awaitingOrder(.returns),
        .confirming(.cancel(number)), .confirming(.returnItems(number)), .confirming(.person(reason: "Usunięcie konta \\ \"RODO\"")),
        .confirming(.order(productID: "aero-run")), .confirming(.order(productID: "aero-run", size: "42.5", color: "czarny")),
        .describingComplaint(number),
        .collectingInvoice(number, InvoiceDraft(nip: "5260250995", company: "ACME sp. z o.o.")), .changingOrder(number),
        .offeringCode(.status, Identity(.phone, "+48601234567")), .awaitingCode(.cancel, Identity(.email, "a\"b@example.pl")),
    ]

    /// Every phase written by hand reads back equal, through the synthesized Decodable.
    @Test(arguments: phases)
    func roundTrips(_ phase: DialogueState.Phase) throws {
        let state = DialogueState(
            phase: phase, language: .english, misunderstandings: 2, lastActivity: Date(timeIntervalSince1970: 1_795_000_000.123),
            unclearTurns: 1)
        let text = DialogueStateJSON.encode(state)
        #expect(try JSONDecoder().decode(DialogueState.self, from: Data(text.utf8)) == state)
        #expect(DialogueStateJSON.decode(text) == state)
    }

    /// A complaint's attachments are written by hand and read back; a state stored before
    /// complaints kept attachments reads as having none.
    @Test func complaintAttachmentsRoundTrip() throws {
        let attachments = [
            Attachment(kind: .image, url: "https://cdn.example.com/a.jpg?sig=\"x\"&n=1"),
            Attachment(kind: .file, url: "https://cdn.example.com/faktura.pdf"),
        ]
        let state = DialogueState(
            phase: .describingComplaint(Self.number), language: .polish, misunderstandings: 0,
            lastActivity: Date(timeIntervalSince1970: 1_795_000_000), complaintAttachments: attachments)
        let text = DialogueStateJSON.encode(state)
        #expect(try JSONDecoder().decode(DialogueState.self, from: Data(text.utf8)) == state)
        #expect(DialogueStateJSON.decode(text) == state)
        #expect(DialogueStateJSON.decode(String(decoding: try JSONEncoder().encode(state), as: UTF8.self)) == state)
        #expect(!DialogueStateJSON.encode(DialogueState()).contains("complaintAttachments"))
        let old = #"{"phase":{"describingComplaint":{"_0":{"digits":"123455"}}},"language":"pl","misunderstandings":1}"#
        #expect(DialogueStateJSON.decode(old) == DialogueState(phase: .describingComplaint(Self.number), misunderstandings: 1))
    }

    /// A call's unclear turns in a row are written by hand and read back; a state with none
    /// leaves them out, and one stored before calls counted them reads as none.
    @Test func unclearTurnsRoundTrip() throws {
        let state = DialogueState(
            phase: .ordering(Self.fullDraft), language: .polish, misunderstandings: 1,
            lastActivity: Date(timeIntervalSince1970: 1_795_000_000), unclearTurns: 2)
        let text = DialogueStateJSON.encode(state)
        #expect(text.contains(#""unclearTurns":2"#))
        #expect(try JSONDecoder().decode(DialogueState.self, from: Data(text.utf8)) == state)
        #expect(DialogueStateJSON.decode(text) == state)
        #expect(DialogueStateJSON.decode(String(decoding: try JSONEncoder().encode(state), as: UTF8.self)) == state)
        #expect(!DialogueStateJSON.encode(DialogueState(misunderstandings: 1)).contains("unclearTurns"))
        let old = #"{"phase":{"idle":{}},"language":"pl","misunderstandings":1}"#
        #expect(DialogueStateJSON.decode(old) == DialogueState(misunderstandings: 1, unclearTurns: 0))
    }

    /// States stored by JSONEncoder (earlier versions) still read, and so do empty and broken ones.
    @Test func readsEncoderOutputAndSurvivesGarbage() throws {
        let state = DialogueState(phase: .ordering(Self.fullDraft), language: .polish, misunderstandings: 1, lastActivity: nil)
        let stored = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
        #expect(DialogueStateJSON.decode(stored) == state)
        #expect(DialogueStateJSON.decode("") == DialogueState())
        #expect(DialogueStateJSON.decode("{}") == DialogueState())
        #expect(DialogueStateJSON.decode(#"{"phase":{"flying":{}}}"#) == DialogueState())
    }
}
