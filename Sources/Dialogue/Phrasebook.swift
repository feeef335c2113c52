import Commerce
import Foundation
import NLU
import ShopValues

/// How the bot names things in each language: products with their size and colour,
/// counts, statuses, delivery and payment methods.
struct Phrasebook: Sendable {
    let language: Language
    let facts: ShopFacts

    var isPolish: Bool { language == .polish }

    /// The text or phrase of the reply's language.
    func pick<Text>(_ polish: Text, _ english: Text) -> Text { isPolish ? polish : english }

    func name(_ product: Product) -> String {
        isPolish ? product.namePL : product.nameEN
    }

    /// The short name customers say: "Aero Run" of "Buty do biegania Aero Run"; the whole name
    /// in the reply's language when the names share no brand ("Świeca sojowa Lawenda").
    func shortName(_ product: Product) -> String {
        Self.brand(of: product) ?? name(product)
    }

    /// The longest tail of the Polish name that begins the English one: "Aero Run" of "Buty do
    /// biegania Aero Run" and "Aero Run running shoes".
    static func brand(of product: Product) -> String? {
        let polish = product.namePL.split(separator: " ")
        for start in polish.indices {
            let tail = polish[start...].joined(separator: " ")
            if product.nameEN.hasPrefix(tail) { return tail }
        }
        return nil
    }

    /// What kind of thing a product is, in the reply's language: its name without the brand,
    /// lowercased ("buty do biegania", "running shoes", "sukienka tiulowa").
    func kind(_ product: Product) -> String {
        let name = self.name(product)
        guard let brand = Self.brand(of: product) else {
            // No brand shared by the names: the name without its last word ("dyfuzor zapachowy").
            let words = name.split(separator: " ")
            return (words.count > 1 ? words.dropLast().joined(separator: " ") : name).lowercased()
        }
        let kind = name.replacingOccurrences(of: brand, with: "").trimmingCharacters(in: .whitespaces)
        return (kind.isEmpty ? name : kind).lowercased()
    }

    /// "rozmiar 43" / "size 43"; nothing for one-size products.
    func size(_ size: String) -> String? {
        guard !size.isEmpty else { return nil }
        return pick("rozmiar \(size.replacingOccurrences(of: ".", with: ","))", "size \(size)")
    }

    /// A catalog colour in the reply's language (a shop's word the colour list does not know,
    /// as the shop wrote it).
    func color(_ color: String) -> String {
        ColourNames.embedded.name(color, in: language)
    }

    /// "2 pary" / "2 pairs" for footwear and socks, "2 sztuki" / "2 pcs" otherwise.
    func count(_ quantity: Int, of product: Product?) -> String {
        let paired = OrderTaking.isPaired(product)
        if isPolish { return (paired ? CountedNoun.pair : CountedNoun.piece).phrase(quantity) }
        if paired { return quantity == 1 ? "1 pair" : "\(quantity) pairs" }
        return quantity == 1 ? "1 item" : "\(quantity) items"
    }

    /// A count as the object of a verb: "mamy tylko 1 parę" / "we only have 1 pair".
    func countAsObject(_ quantity: Int, of product: Product?) -> String {
        guard isPolish else { return count(quantity, of: product) }
        return (OrderTaking.isPaired(product) ? CountedNoun.pair : CountedNoun.piece).objectPhrase(quantity)
    }

    /// "Aero Run, rozmiar 43, czarny, 2 pary".
    func line(_ product: Product, size: String?, color: String?, quantity: Int?) -> String {
        var parts = [shortName(product)]
        if let size, let text = self.size(size) { parts.append(text) }
        if let color, !color.isEmpty { parts.append(self.color(color)) }
        if let quantity { parts.append(count(quantity, of: product)) }
        return parts.joined(separator: ", ")
    }

    func deliveryName(_ method: String) -> String {
        guard let option = facts.deliveryOption(method) else { return method }
        return isPolish ? option.namePL : option.nameEN
    }

    func payment(_ method: PaymentMethod) -> String {
        switch method {
        case .blik: "BLIK"
        case .card: pick("karta", "card")
        case .bankTransfer: pick("przelew", "bank transfer")
        case .cashOnDelivery: pick("za pobraniem", "cash on delivery")
        case .deferred: pick("płatność odroczona", "pay later")
        }
    }

    func status(_ order: Order) -> String {
        let date = order.history.last.map { day($0.at) } ?? ""
        switch order.status {
        case .new:
            return order.payment == .cashOnDelivery || order.payment == .deferred
                ? pick("przyjęte, przygotowujemy je do wysyłki", "received; we are preparing it for shipping")
                : pick("przyjęte, czeka na płatność", "received, waiting for payment")
        case .paid: return pick("opłacone, przygotowujemy je do wysyłki", "paid; we are preparing it for shipping")
        case .packed: return pick("spakowane, czeka na kuriera", "packed and waiting for the carrier")
        case .shipped: return pick("wysłane \(date)", "shipped on \(date)")
        case .delivered: return pick("doręczone \(date)", "delivered on \(date)")
        case .cancelled: return pick("anulowane \(date)", "cancelled on \(date)")
        case .returned: return pick("zwrócone do sklepu \(date)", "returned to the shop on \(date)")
        }
    }

    /// "23.11.2026" / "23 Nov 2026".
    func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Warsaw") ?? .gmt
        let parts = calendar.dateComponents([.day, .month, .year], from: date)
        let day = parts.day ?? 1, month = parts.month ?? 1, year = parts.year ?? 1970
        if isPolish { return String(format: "%02d.%02d.%04d", day, month, year) }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(day) \(months[month - 1]) \(year)"
    }

    /// "A, B lub C" / "A, B or C".
    func list(_ items: [String], or: Bool = true) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        let last = items[items.count - 1]
        let joiner = or ? pick(" lub ", " or ") : pick(" i ", " and ")
        return items.dropLast().joined(separator: ", ") + joiner + last
    }

    /// Phrases listed as `list(_:or:)` lists words.
    func list(_ items: [Phrase], or: Bool = true) -> Phrase {
        guard items.count > 1, let last = items.last else { return items.first ?? .empty }
        let joiner: Phrase = or ? pick(" lub ", " or ") : pick(" i ", " and ")
        return items.dropLast().joined(separator: ", ") + joiner + last
    }

    /// An order number as the customer sees it, with its first line: "nr 123455 (Aero Run, 2 pary)".
    func orderLabel(_ order: Order) -> Phrase {
        let first = order.lines.first.map { line in
            let name = isPolish ? line.namePL : line.nameEN
            return name + (order.lines.count > 1 ? pick(" i inne", " and more") : "")
        } ?? ""
        let number: Phrase = pick("nr \(order.number)", "no. \(order.number)")
        return first.isEmpty ? number : "\(number) (\(first))"
    }
}
