import Commerce
import Foundation
import NLU
import ShopValues

/// The phone: a message the recogniser did not catch is not acted on. The caller is asked to
/// repeat, then asked the open question again in a few words, then put through to a person.
struct UnclearSpeechFlow: Flow {
    var state: DialogueState
    let context: DialogueContext
    var response: Response

    /// Unclear messages in a row after which the caller is put through to a person.
    static let unclearTurnsBeforeTransfer = 3

    /// A spoken message that was not caught (silence, or too unsure a recognition): the state
    /// stays as it was; the caller is asked to repeat, the second time with the open question
    /// put again, and the third time is put through to a person.
    mutating func askToRepeat(_ turn: Turn) {
        state.unclearTurns += 1
        if state.unclearTurns >= Self.unclearTurnsBeforeTransfer {
            response.say("Przepraszam, nadal nie udało mi się tego usłyszeć.", "Sorry, I still couldn't catch that.")
            escalate(.voiceTransfer, turn: turn, summary: Self.unclearSummary(turn))
        } else if state.unclearTurns == 1 {
            response.say("Przepraszam, nie udało mi się tego usłyszeć. Proszę powtórzyć.",
                         "Sorry, I didn't catch that. Could you say it again, please?")
        } else {
            askAgainBriefly()
        }
    }

    /// What the agent taking a call over is told: the caller could not be understood, and the
    /// last words the recogniser thought it heard.
    private static func unclearSummary(_ turn: Turn) -> String {
        let heard = turn.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let summary = "Rozmowa telefoniczna: nie udało się zrozumieć, co mówi rozmówca (\(unclearTurnsBeforeTransfer) razy z rzędu)."
        return heard.isEmpty ? summary : summary + " Ostatnio rozpoznano: „\(heard.prefix(300))”."
    }

    /// The second unclear message in a row: what is being asked, again, put so that a word or
    /// two answers it.
    private mutating func askAgainBriefly() {
        response.say("Nadal nie słychać wyraźnie.", "I still can't hear you clearly.")
        switch state.phase {
        case .idle, .offeredOptions, .withAgent:
            response.say("Proszę powiedzieć krótko, w jakiej sprawie, na przykład: zamówienie, status zamówienia albo konsultant.",
                         "Please say briefly what it is about, for example: order, order status or agent.")
            response.offer(Self.menu(response.words))
        case .ordering(let draft):
            response.say("Proszę odpowiedzieć krótko, jednym lub dwoma słowami.", "Please answer briefly, in a word or two.")
            with(OrderingFlow.self) { $0.ask(draft.pending, draft) }
        case .awaitingOrder:
            response.say("Proszę podać sześciocyfrowy numer zamówienia, cyfra po cyfrze.",
                         "Please say the six-digit order number, digit by digit.")
        case .confirming(let confirmation):
            response.say(question(confirmation, response.words))
            response.say("Proszę odpowiedzieć: tak albo nie.", "Please answer yes or no.")
            response.offer(response.yesNo)
        case .describingComplaint:
            response.say("Proszę powiedzieć w kilku słowach, co się stało.", "Please say in a few words what happened.")
        case .collectingInvoice(_, let draft):
            response.say("Proszę odpowiedzieć krótko.", "Please answer briefly.")
            with(InvoiceFlow.self) { $0.askInvoice(draft) }
        case .changingOrder:
            response.say("Proszę podać nowy kod paczkomatu albo nowy adres dostawy.",
                         "Please give the new parcel locker code or the new delivery address.")
        case .offeringCode:
            response.say("Czy wysłać kod? Proszę odpowiedzieć: tak albo nie.", "Shall I send the code? Please answer yes or no.")
            response.offer(response.yesNo)
        case .awaitingCode:
            response.say("Proszę podać sześciocyfrowy kod, cyfra po cyfrze.", "Please say the six-digit code, digit by digit.")
        }
    }

    /// The yes-or-no question a confirmation waits for, in a few words.
    private func question(_ confirmation: Confirmation, _ words: Phrasebook) -> Phrase {
        switch confirmation {
        case .cancel(let number):
            return words.pick("Czy anulować zamówienie nr \(number)?", "Shall I cancel order no. \(number)?")
        case .returnItems(let number):
            return words.pick("Czy zgłosić zwrot zamówienia nr \(number)?", "Shall I open a return for order no. \(number)?")
        case .person:
            return words.pick("Czy połączyć z konsultantem?", "Shall I put you through to an agent?")
        case .order(let id, _, _):
            guard let product = context.catalog.product(id) else {
                return words.pick("Czy chcesz zamówić ten produkt?", "Would you like to order it?")
            }
            return words.pick("Czy chcesz zamówić \(words.shortName(product))?", "Would you like to order \(words.shortName(product))?")
        }
    }
}
