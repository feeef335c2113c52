import Dialogue
import NLU
import Testing

/// How the scripted customer wants the order delivered.
enum Route: Sendable {
    case locker, courier, store
}

/// A customer who orders one pair of black Aero Run in size 43 and answers each question as
/// it comes, in Polish or in English.
struct OrderScript {
    var route: Route = .locker
    var language: Language = .polish

    private var english: Bool { language == .english }

    /// The answer to the open question (or the first message, with nothing open).
    func answer(_ slot: Slot?) -> Turn {
        switch slot {
        case nil:
            return english
                ? message("I want to order Aero Run", .orderProduct, [.product("aero-run", "Aero Run")], language: .english)
                : message("Chcę zamówić Aero Run", .orderProduct, [.product("aero-run", "Aero Run")])
        case .product?: return message("Aero Run", .outOfScope, [.product("aero-run", "Aero Run")], language: language)
        case .size?: return message("43", .outOfScope, [.size("43")], language: language)
        case .color?: return message(english ? "black" : "czarne", .outOfScope, [.color("black")], language: language)
        case .quantity?: return message(english ? "one pair" : "jedną parę", .outOfScope, [.quantity(1, english ? "one" : "jedną")], language: language)
        case .moreItems?: return message(english ? "no, that's all" : "nie, to wszystko", .deny, language: language)
        case .deliveryMethod?:
            switch route {
            case .locker: return message(english ? "parcel locker" : "paczkomat", .outOfScope, [.delivery("parcel_locker")], language: language)
            case .courier: return message(english ? "courier" : "kurierem", .outOfScope, [.delivery("courier")], language: language)
            case .store: return message(english ? "store pickup" : "odbiór w sklepie", .outOfScope, [.delivery("store_pickup")], language: language)
            }
        case .address?:
            let text = "ul. Kwiatowa 5, 50-123 Wrocław"
            return message(text, .outOfScope, [.postcode("50-123")], language: language)
        case .locker?: return message("WRO01M", .outOfScope, [.locker("WRO01M")], language: language)
        case .store?: return message("Wrocław", .outOfScope, language: language)
        case .name?: return message("Anna Kowalska", .outOfScope, language: language, confidence: 0.3)
        case .contact?: return message("600 123 456", .outOfScope, [.phone("+48600123456", "600 123 456")], language: language)
        case .payment?: return message("BLIK", .outOfScope, [.payment("blik", "BLIK")], language: language)
        case .confirmation?: return message(english ? "yes" : "tak", .affirm, language: language)
        }
    }

    /// The slot the route passes through for delivery details.
    var deliveryDetail: Slot {
        switch route {
        case .locker: .locker
        case .courier: .address
        case .store: .store
        }
    }
}

extension Chat {
    /// Answers the script's questions until `slot` is the open one.
    mutating func order(until slot: Slot, _ script: OrderScript = OrderScript(), sourceLocation: SourceLocation = #_sourceLocation) {
        if draft == nil {
            if slot == .product {
                // Naming a sold-out product leaves the product question open, with alternatives.
                say("Chcę zamówić Storm Run", .orderProduct, .product("storm-run", "Storm Run"))
            } else {
                say(script.answer(nil))
            }
        }
        var steps = 0
        while let pending = draft?.pending, pending != slot, steps < 20 {
            say(script.answer(pending))
            steps += 1
        }
        expectState(self, "ordering.\(slot.rawValue)", sourceLocation: sourceLocation)
    }
}
