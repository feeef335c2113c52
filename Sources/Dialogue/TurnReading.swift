import Commerce
import Foundation
import NLU
import ShopValues

/// How the dialogue reads a message beyond its intent: yes or no, buying or asking the price, a
/// menu tap, a contact, a code, a wish to drop an order.
enum TurnReading {
    /// "co macie?", "co sprzedajecie?", "what do you sell?": the shop's range.
    static func asksWhatIsSold(_ turn: Turn) -> Bool {
        Folding.contains(turn.words, anyOf: ["co macie", "co sprzedajecie", "co oferujecie", "co jest w ofercie", "jaka oferta",
                                             "co mozna kupic", "co polecacie", "what do you have", "what do you sell",
                                             "what can i buy", "what do you offer"])
    }

    /// "anuluj", "rezygnuję", "never mind": the customer drops the order being taken.
    static func abandonsOrder(_ turn: Turn) -> Bool {
        Folding.contains(turn.words, anyOf: [
            "anuluj", "anuluje", "rezygnuje", "rezygnuj", "nie chce juz", "jednak nie chce", "zrezygnuje",
            "cancel", "cancel it", "never mind", "nevermind", "forget it",
        ]) && turn.understanding.entities.isEmpty
    }

    /// A yes or a no, tapped or said.
    static func says(yes: Bool, _ turn: Turn) -> Bool {
        if let payload = turn.payload { return payload == (yes ? .yes : .no) }
        // "mój numer to 601 234 567" is an answer with a contact in it, not a yes.
        if !contacts(in: turn).isEmpty { return false }
        if turn.understanding.intent == (yes ? .affirm : .deny) { return true }
        return yes && ["👍", "👌", "ok", "OK", "Ok"].contains(turn.text.trimmingWhitespace)
    }

    static func sixDigits(in text: String) -> String? {
        let runs = text.split { !$0.isASCIIDigit }
        return runs.count == 1 && runs[0].count == 6 ? String(runs[0]) : nil
    }

    /// Whether a message says what is wrong, beyond "chcę złożyć reklamację do zamówienia 123455".
    static func describesProblem(_ text: String) -> Bool {
        let generic = ["reklamac", "complain", "chcial", "chce", "chcę", "zloz", "zglos", "zamowien", "order", "dzien", "dobry",
                       "witam", "hello", "would", "like", "want", "make", "file", "prosze", "please", "moje", "mojego", "about",
                       "with", "dotycz", "sprawie", "have", "mam", "problem"]
        let words = Folding.words(text).filter { word in
            word.count > 2 && !word.allSatisfy(\.isNumber) && !generic.contains { word.hasPrefix($0) }
        }
        return words.count >= 3
    }

    /// Whether a message after a product's description goes on with it: it wants to buy, or
    /// names a size, colour or quantity, and names no other product.
    static func continuesWith(_ product: String, _ turn: Turn) -> Bool {
        let understanding = turn.understanding
        guard understanding.entities(.product).allSatisfy({ $0.value == product }) else { return false }
        // "a jest w rozmiarze L?" asks again; it does not order.
        return wantsToBuy(turn) || !SlotReading.isQuestion(turn.text)
            && (!understanding.entities(.size).isEmpty || !understanding.entities(.color).isEmpty || !understanding.entities(.quantity).isEmpty)
    }

    /// Whether the message starts a request about the customer's orders, the only step that may
    /// offer a code to a contact typed earlier (so the engine reads those contacts for it alone).
    public static func asksAboutOrders(_ turn: Turn) -> Bool {
        [.orderStatus, .cancelOrder, .changeOrder, .returnRequest, .complaint, .invoice].contains(intent(of: turn))
    }

    /// The phone numbers and e-mail addresses a message names.
    static func contacts(in turn: Turn) -> [Identity] {
        let phones = turn.understanding.entities(.phone).compactMap { PhoneNumber($0.value) }.map { Identity(.phone, $0.e164) }
        let emails = turn.understanding.entities(.email).compactMap { EmailAddress($0.value) }.map { Identity(.email, $0.value) }
        return phones + emails
    }

    /// The six digits of a code in a short message ("123456", "123 456", "Kod weryfikacyjny: 123-456").
    public static func verificationCode(in text: String) -> String? {
        let digits = text.filter(\.isASCIIDigit)
        guard digits.count == 6, text.count <= 80 else { return nil }
        return String(digits)
    }

    /// "wyślij kod", "poproszę nowy kod", "send me another code", "resend", "nie dostałem kodu".
    static func asksForCode(_ turn: Turn) -> Bool {
        let words = turn.words
        let namesCode = Folding.hasWord(words, startingWith: ["kod", "code"])
        let wantsOne = Folding.hasWord(words, startingWith: [
            "wysl", "przysl", "nowy", "nowe", "kolejn", "jeszcze", "ponown", "inny", "send", "new", "another", "again",
        ])
        return (namesCode && wantsOne) || Folding.contains(words, anyOf: [
            "wyslij ponownie", "wyslij jeszcze raz", "nie dostalem", "nie dostalam", "nie przyszedl", "nie doszedl", "nic nie przyszlo",
            "resend", "send again", "send it again", "didn t get", "did not get", "didn t receive", "not received", "never got",
            "haven t received", "didn t arrive", "no code",
        ])
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

    static func wantsPerson(_ turn: Turn) -> Bool {
        if case .start(.person)? = turn.payload { return true }
        return turn.payload == nil && turn.understanding.intent == .humanAgent && turn.understanding.confidence >= 0.5
    }
}
