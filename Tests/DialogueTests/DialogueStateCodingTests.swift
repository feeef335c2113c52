import Commerce
import Dialogue
import Foundation
import NLU
import Testing

/// The state is stored between turns as JSON: every phase comes back exactly as it went in.
@Suite struct DialogueStateCodingTests {
    static let number = OrderNumber("123455") ?? unusedOrderNumber(except: [])

    static let phases: [DialogueState.Phase] = [
        .idle, .awaitingOrder(.returns), .confirming(.cancel(number)), .confirming(.returnItems(number)),
        .confirming(.person(reason: "Usunięcie konta")), .confirming(.order(productID: "aero-run")),
        .describingComplaint(number), .collectingInvoice(number, InvoiceDraft(nip: "5260250995", company: "Biegacz")),
        .changingOrder(number), .offeredOptions, .withAgent,
    ]

    /// Drafts from a real conversation at every question, on each delivery route.
    static let drafts: [DialogueState] = Slot.allCases.flatMap { slot -> [DialogueState] in
        let routes: [Route] = slot == .address ? [.courier] : slot == .store ? [.store] : [.locker]
        return routes.map { route in
            var chat = Chat()
            chat.order(until: slot, OrderScript(route: route))
            return chat.state
        }
    }

    /// Each non-ordering phase survives the trip, with language, counts and time.
    @Test(arguments: phases)
    func phaseRoundTrips(_ phase: DialogueState.Phase) throws {
        let state = DialogueState(phase: phase, language: .english, misunderstandings: 1, lastActivity: testNow, unclearTurns: 2)
        #expect(try roundTrip(state) == state)
    }

    /// An order draft at every question survives the trip.
    @Test(arguments: drafts)
    func draftRoundTrips(_ state: DialogueState) throws {
        #expect(try roundTrip(state) == state)
    }

    /// A conversation restored from JSON carries on where it was.
    @Test func restoredConversationCarriesOn() throws {
        var chat = Chat()
        chat.order(until: .color)
        var restored = Chat(state: try roundTrip(chat.state))
        restored.say("czarne", .outOfScope, .color("black", "czarne"))
        expectState(restored, "ordering.quantity")
    }

    /// A complaint's attachments survive the trip; a state stored without them reads as none.
    @Test func complaintAttachmentsRoundTrip() throws {
        let state = DialogueState(
            phase: .awaitingOrder(.complaint), lastActivity: testNow,
            complaintAttachments: [Attachment(kind: .image, url: "https://cdn.example.com/1.jpg")])
        #expect(try roundTrip(state) == state)
        let old = #"{"phase":{"awaitingOrder":{"_0":"complaint"}},"language":"en","misunderstandings":0}"#
        let decoded = try JSONDecoder().decode(DialogueState.self, from: Data(old.utf8))
        #expect(decoded == DialogueState(phase: .awaitingOrder(.complaint), language: .english))
        #expect(decoded.unclearTurns == 0)
    }

    private func roundTrip(_ state: DialogueState) throws -> DialogueState {
        try JSONDecoder().decode(DialogueState.self, from: JSONEncoder().encode(state))
    }
}
