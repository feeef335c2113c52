import ShopValues

/// Polish numerals as the bot writes and says them: the case a counted noun takes after a
/// number ("1 para", "2 pary", "5 par", "22 pary", "12 par"), and numbers in words for the
/// speech synthesiser ("trzysta czterdzieści dziewięć złotych").
public enum PolishNumerals {
    /// The form of a noun counted by a number.
    public enum CountForm: Sendable, Equatable {
        /// Exactly one: "para", "złoty".
        case one
        /// Ending in 2–4, but not 12–14: "pary", "złote".
        case few
        /// Everything else, 0 and 5–21 included: "par", "złotych".
        case many
    }

    /// The grammatical gender of a counted noun, which decides "jeden/jedna/jedno" and "dwa/dwie".
    public enum Gender: Sendable {
        case masculine, feminine, neuter
    }

    /// The form a noun takes after `count` (negative counts as their magnitude).
    public static func form(for count: Int) -> CountForm {
        let n = count.magnitude
        if n == 1 { return .one }
        let lastTwo = n % 100
        if (2...4).contains(n % 10), !(12...14).contains(lastTwo) { return .few }
        return .many
    }

    /// `count` in words, for 0 through 999,999,999; digits beyond that.
    public static func words(_ count: Int, gender: Gender = .masculine) -> String {
        guard count >= 0 else { return "minus " + words(-count, gender: gender) }
        guard count < 1_000_000_000 else { return String(count) }
        if count == 0 { return "zero" }
        var parts: [String] = []
        let millions = count / 1_000_000
        let thousands = count / 1_000 % 1_000
        let rest = count % 1_000
        if millions > 0 { parts.append(scaled(millions, one: "milion", few: "miliony", many: "milionów")) }
        if thousands > 0 { parts.append(scaled(thousands, one: "tysiąc", few: "tysiące", many: "tysięcy")) }
        if rest > 0 { parts.append(belowThousand(rest, gender: gender)) }
        return parts.joined(separator: " ")
    }

    /// An amount as it should be spoken: "trzysta czterdzieści dziewięć złotych", "dwa złote
    /// pięćdziesiąt groszy", "dziewięćdziesiąt dziewięć groszy". Other currencies keep their code.
    public static func spoken(_ money: Money) -> String {
        let whole = Int(money.minorUnits.magnitude / 100)
        let fraction = Int(money.minorUnits.magnitude % 100)
        var parts: [String] = []
        if money.minorUnits < 0 { parts.append("minus") }
        if whole > 0 || fraction == 0 {
            let unit = money.currency == "PLN" ? CountedNoun.zloty.form(for: whole) : money.currency
            parts.append("\(words(whole, gender: .masculine)) \(unit)")
        }
        if fraction > 0 {
            let unit = money.currency == "PLN" ? CountedNoun.grosz.form(for: fraction) : "setnych"
            parts.append("\(words(fraction, gender: .masculine)) \(unit)")
        }
        return parts.joined(separator: " ")
    }

    /// Digits said one by one in groups of three ("412785" → "cztery jeden dwa, siedem osiem
    /// pięć"), as order and phone numbers are read aloud; other characters are dropped.
    public static func digitByDigit(_ text: String) -> String {
        let digits = text.compactMap(\.wholeNumberValue)
        return stride(from: 0, to: digits.count, by: 3).map { start in
            digits[start..<min(start + 3, digits.count)].map { units[$0] }.joined(separator: " ")
        }.joined(separator: ", ")
    }

    /// A postcode as it is said: "50-123" → "pięćdziesiąt, sto dwadzieścia trzy".
    public static func spoken(_ postcode: Postcode) -> String {
        let parts = postcode.value.split(separator: "-").map { String($0) }
        return parts.map { part in
            // A leading zero is said: "05" → "zero pięć".
            part.first == "0" ? part.compactMap(\.wholeNumberValue).map { units[$0] }.joined(separator: " ")
                : words(Int(part) ?? 0)
        }.joined(separator: ", ")
    }

    private static func scaled(_ count: Int, one: String, few: String, many: String) -> String {
        if count == 1 { return one }
        let noun = switch form(for: count) {
        case .one: one
        case .few: few
        case .many: many
        }
        return "\(belowThousand(count, gender: .masculine)) \(noun)"
    }

    private static func belowThousand(_ count: Int, gender: Gender) -> String {
        var parts: [String] = []
        if count >= 100 { parts.append(hundreds[count / 100]) }
        let lastTwo = count % 100
        if (10...19).contains(lastTwo) {
            parts.append(teens[lastTwo - 10])
        } else {
            if lastTwo >= 20 { parts.append(tens[lastTwo / 10]) }
            let unit = lastTwo % 10
            if unit > 0 { parts.append(unitWord(unit, gender: gender, alone: count == 1)) }
        }
        return parts.joined(separator: " ")
    }

    /// "jeden/jedna/jedno" only for a lone 1 ("dwadzieścia jeden par" keeps "jeden");
    /// "dwie" for feminine 2 wherever it stands ("dwadzieścia dwie pary").
    private static func unitWord(_ unit: Int, gender: Gender, alone: Bool) -> String {
        switch (unit, gender) {
        case (1, .feminine) where alone: "jedna"
        case (1, .neuter) where alone: "jedno"
        case (2, .feminine): "dwie"
        default: units[unit]
        }
    }

    private static let units = ["zero", "jeden", "dwa", "trzy", "cztery", "pięć", "sześć", "siedem", "osiem", "dziewięć"]
    private static let teens = [
        "dziesięć", "jedenaście", "dwanaście", "trzynaście", "czternaście", "piętnaście", "szesnaście", "siedemnaście",
        "osiemnaście", "dziewiętnaście",
    ]
    private static let tens = [
        "", "", "dwadzieścia", "trzydzieści", "czterdzieści", "pięćdziesiąt", "sześćdziesiąt", "siedemdziesiąt",
        "osiemdziesiąt", "dziewięćdziesiąt",
    ]
    private static let hundreds = [
        "", "sto", "dwieście", "trzysta", "czterysta", "pięćset", "sześćset", "siedemset", "osiemset", "dziewięćset",
    ]
}

/// A Polish noun in its three counted forms, with its gender: `CountedNoun.pair.phrase(2)` is
/// "2 pary", `.spokenPhrase(2)` is "dwie pary".
public struct CountedNoun: Sendable, Equatable {
    public let one: String
    public let few: String
    public let many: String
    public let gender: PolishNumerals.Gender

    public init(one: String, few: String, many: String, gender: PolishNumerals.Gender) {
        self.one = one
        self.few = few
        self.many = many
        self.gender = gender
    }

    /// The noun's form after `count`.
    public func form(for count: Int) -> String {
        switch PolishNumerals.form(for: count) {
        case .one: one
        case .few: few
        case .many: many
        }
    }

    /// "2 pary": digits, for chat.
    public func phrase(_ count: Int) -> String { "\(count) \(form(for: count))" }

    /// The phrase as the object of a verb ("mamy tylko 1 parę", "1 sztukę"): a feminine noun in
    /// -a takes -ę after one; every other form is the same.
    public func objectPhrase(_ count: Int) -> String {
        guard count == 1, gender == .feminine, one.hasSuffix("a") else { return phrase(count) }
        return "1 \(one.dropLast())ę"
    }

    /// "dwie pary": words, for the phone.
    public func spokenPhrase(_ count: Int) -> String {
        "\(PolishNumerals.words(count, gender: gender)) \(form(for: count))"
    }

    public static let pair = CountedNoun(one: "para", few: "pary", many: "par", gender: .feminine)
    public static let piece = CountedNoun(one: "sztuka", few: "sztuki", many: "sztuk", gender: .feminine)
    public static let zloty = CountedNoun(one: "złoty", few: "złote", many: "złotych", gender: .masculine)
    public static let grosz = CountedNoun(one: "grosz", few: "grosze", many: "groszy", gender: .masculine)
    public static let day = CountedNoun(one: "dzień", few: "dni", many: "dni", gender: .masculine)
    public static let workingDay = CountedNoun(one: "dzień roboczy", few: "dni robocze", many: "dni roboczych", gender: .masculine)
    public static let product = CountedNoun(one: "produkt", few: "produkty", many: "produktów", gender: .masculine)
    public static let order = CountedNoun(one: "zamówienie", few: "zamówienia", many: "zamówień", gender: .neuter)
}
