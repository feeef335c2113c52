import Commerce
import ShopValues

/// How lists are said on the phone, where a caller keeps no more than three options in mind:
/// a range, the nearest few, or three examples "and more".
extension Phrasebook {
    /// The most options one spoken sentence names.
    static let spokenOptions = 3

    /// A size as written in the language: "42,5" in Polish, "42.5" in English.
    func shownSize(_ size: String) -> String {
        isPolish ? size.replacingOccurrences(of: ".", with: ",") : size
    }

    /// Sizes for a caller: up to three by name ("42 lub 43"), else the three nearest to
    /// `wanted` ("44, 45, 46 i inne"), else the range ("od 38 do 46").
    func spokenSizes(_ sizes: [String], near wanted: String? = nil) -> String {
        guard sizes.count > Self.spokenOptions, let first = sizes.first, let last = sizes.last else {
            return list(sizes.map(shownSize))
        }
        if let wanted, let nearest = Self.nearest(sizes, to: wanted) {
            return nearest.map(shownSize).joined(separator: ", ") + pick(" i inne", " and more")
        }
        return pick("od \(shownSize(first)) do \(shownSize(last))", "from \(shownSize(first)) to \(shownSize(last))")
    }

    /// Up to three items as a list ("A, B lub C"), or the first three "and more" ("A, B, C i inne").
    func examples(_ items: [String], or: Bool = true) -> String {
        guard items.count > Self.spokenOptions else { return list(items, or: or) }
        return items.prefix(Self.spokenOptions).joined(separator: ", ") + pick(" i inne", " and more")
    }

    /// Phrases as `examples(_:or:)` gives words.
    func examples(_ items: [Phrase], or: Bool = true) -> Phrase {
        guard items.count > Self.spokenOptions else { return list(items, or: or) }
        return items.prefix(Self.spokenOptions).joined(separator: ", ") + pick(" i inne", " and more")
    }

    /// The payment methods in the order a caller hears them: the first three are named, cash on
    /// delivery (the one with a fee to mention) among them when the shop takes it.
    static func spokenOrder(_ methods: [PaymentMethod]) -> [PaymentMethod] {
        guard methods.count > spokenOptions, methods.contains(.cashOnDelivery) else { return methods }
        let others = methods.filter { $0 != .cashOnDelivery }
        return others.prefix(spokenOptions - 1) + [.cashOnDelivery] + others.dropFirst(spokenOptions - 1)
    }

    /// A payment method as offered on the phone: "za pobraniem z dopłatą 5,00 zł", no symbols.
    func spokenPayment(_ method: PaymentMethod) -> Phrase {
        guard method == .cashOnDelivery else { return Phrase(payment(method)) }
        let fee = facts.cashOnDeliveryCharge
        return "\(payment(method))" + pick(" z dopłatą \(fee)", " for \(fee) extra")
    }

    /// Working days as said: "1–2" is "od 1 do 2 dni roboczych".
    func spokenWorkingDays(_ days: String) -> String {
        let ends = days.split { $0 == "–" || $0 == "-" }.map { $0.trimmingWhitespace }
        guard ends.count == 2 else { return pick("\(days) dni robocze", "\(days) working days") }
        return pick("od \(ends[0]) do \(ends[1]) dni roboczych", "\(ends[0]) to \(ends[1]) working days")
    }

    /// Opening days as said: "mon-fri" is "od poniedziałku do piątku", "sat" is "w sobotę".
    func spokenDays(_ range: String) -> String {
        let days = range.split(separator: "-").map(String.init)
        if days.count == 2, let from = Self.weekdays[days[0]], let to = Self.weekdays[days[1]] {
            return pick("od \(from.genitive) do \(to.genitive)", "\(from.english) to \(to.english)")
        }
        guard let day = Self.weekdays[range] else { return range }
        return pick("w \(day.accusative)", "on \(day.english)")
    }

    private static let weekdays: [String: (genitive: String, accusative: String, english: String)] = [
        "mon": ("poniedziałku", "poniedziałek", "Monday"), "tue": ("wtorku", "wtorek", "Tuesday"),
        "wed": ("środy", "środę", "Wednesday"), "thu": ("czwartku", "czwartek", "Thursday"),
        "fri": ("piątku", "piątek", "Friday"), "sat": ("soboty", "sobotę", "Saturday"), "sun": ("niedzieli", "niedzielę", "Sunday"),
    ]

    /// Countries as said after "do" / "to": "Czech", "Słowacji" / "Czechia", "Slovakia"; an
    /// unknown code stays a code.
    func spokenCountry(_ code: String) -> String {
        guard let names = Self.countries[code] else { return code }
        return pick(names.polish, names.english)
    }

    private static let countries: [String: (polish: String, english: String)] = [
        "CZ": ("Czech", "Czechia"), "SK": ("Słowacji", "Slovakia"), "DE": ("Niemiec", "Germany"), "LT": ("Litwy", "Lithuania"),
        "LV": ("Łotwy", "Latvia"), "EE": ("Estonii", "Estonia"), "AT": ("Austrii", "Austria"), "HU": ("Węgier", "Hungary"),
        "UA": ("Ukrainy", "Ukraine"), "FR": ("Francji", "France"), "NL": ("Holandii", "the Netherlands"),
        "BE": ("Belgii", "Belgium"), "IT": ("Włoch", "Italy"), "ES": ("Hiszpanii", "Spain"), "DK": ("Danii", "Denmark"),
        "SE": ("Szwecji", "Sweden"), "IE": ("Irlandii", "Ireland"), "GB": ("Wielkiej Brytanii", "the United Kingdom"),
    ]

    /// The three of `sizes` nearest to `wanted`, smallest first; nil when sizes do not compare
    /// (a size that is neither a number nor XS–XXL).
    private static func nearest(_ sizes: [String], to wanted: String) -> [String]? {
        guard let target = OrderTaking.rank(ofSize: wanted) else { return nil }
        let ranked = sizes.compactMap { size in OrderTaking.rank(ofSize: size).map { (size: size, rank: $0) } }
        guard ranked.count == sizes.count else { return nil }
        return ranked.sorted { (abs($0.rank - target), $0.rank) < (abs($1.rank - target), $1.rank) }
            .prefix(spokenOptions).sorted { $0.rank < $1.rank }.map(\.size)
    }
}
