import Commerce
import Foundation
import NLU
import ShopValues

/// A yes or no to what the bot offered (`confirming`): cancel an order, open a return, talk to a
/// person, order the product just described.
struct ConfirmationFlow: Flow {
    var state: DialogueState
    let context: DialogueContext
    var response: Response

    mutating func confirm(_ confirmation: Confirmation, _ turn: Turn) {
        if TurnReading.says(yes: true, turn) {
            state.phase = .idle
            state.misunderstandings = 0
            switch confirmation {
            case .cancel(let number): response.perform(.cancelOrder(number))
            case .returnItems(let number): response.perform(.openReturn(number, reason: "zwrot bez podania przyczyny (rozmowa)"))
            case .person(let reason):
                escalate(.customerRequest, turn: turn, summary: reason)
            case .order(let product, let size, let color):
                // "yes, one" and "tak, dwie": whatever else the answer says is applied too.
                let line = DraftLine(productID: product, size: size, color: color)
                let applied = TurnReading.continuesWith(product, turn) ? turn : nil
                with(OrderingFlow.self) { $0.startOrder(with: line, applying: applied) }
            }
            return
        }
        if TurnReading.says(yes: false, turn) {
            state.phase = .idle
            switch confirmation {
            case .cancel: response.say("Dobrze, zamówienie nie zostało anulowane.", "All right, the order stays as it is.")
            case .returnItems: response.say("Dobrze, bez zwrotu.", "All right, no return.")
            case .person, .order: break
            }
            response.say("W czym jeszcze mogę pomóc?", "Anything else I can help with?")
            return
        }
        // "a jest bordowy L?" after a product was described: the same product, that variant.
        if case .order(let product, _, _) = confirmation, SlotReading.isQuestion(turn.text),
           turn.understanding.entities(.product).allSatisfy({ $0.value == product }),
           !turn.understanding.entities(.size).isEmpty || !turn.understanding.entities(.color).isEmpty {
            state.phase = .idle
            with(FAQFlow.self) { $0.describeProduct(turn, about: product) }
            return
        }
        // "to poproszę ten większy, 250 ml" after a product was described: an order of it.
        if case .order(let product, let size, let color) = confirmation, TurnReading.continuesWith(product, turn) {
            let line = DraftLine(productID: product, size: size, color: color)
            with(OrderingFlow.self) { $0.startOrder(with: line, applying: turn) }
            return
        }
        state.phase = .idle
        begin(turn)
    }
}
