/// What a folded word can be to the entity recognisers, found with one look-up per token.
struct WordRole: OptionSet, Sendable {
    let rawValue: UInt8

    /// Announces a size: "rozmiar", "size".
    static let sizeKeyword = WordRole(rawValue: 1 << 0)
    /// Counts items after a number: "szt", "pary", "pairs".
    static let unit = WordRole(rawValue: 1 << 1)
    /// After a number, says it is not a count of items: time, money, percent, conjunctions.
    static let notCountable = WordRole(rawValue: 1 << 2)
    /// A clothing size: "xs" … "xxxl".
    static let clothingSize = WordRole(rawValue: 1 << 3)
    /// Comes before an order number: "zamowienie", "nr", "order".
    static let orderWord = WordRole(rawValue: 1 << 4)
    /// Comes before a phone number: "tel", "telefon", "phone".
    static let phoneWord = WordRole(rawValue: 1 << 5)

    static func of(_ word: String) -> WordRole { table[word] ?? [] }

    private static let table: [String: WordRole] = {
        var table: [String: WordRole] = [:]
        func add(_ role: WordRole, _ words: [String]) {
            for word in words { table[word, default: []].insert(role) }
        }
        add(.sizeKeyword, ["rozmiar", "rozmiaru", "rozmiarze", "rozmiarem", "rozm", "roz", "size", "sz"])
        add(.unit, ["szt", "sztuk", "sztuki", "sztuka", "sztuke", "par", "pary", "para", "pare", "parach", "x", "pcs",
                    "piece", "pieces", "pair", "pairs", "razy", "opakowania", "opakowan"])
        add(.notCountable, [
            "dni", "dzien", "dnia", "tydzien", "tygodnie", "tygodni", "godzin", "godziny", "godzina", "minut", "minuty",
            "miesiac", "miesiace", "miesiecy", "lat", "lata", "rok", "zl", "zlotych", "zlote", "zloty", "pln", "eur",
            "euro", "procent", "rano", "wieczorem", "days", "day", "weeks", "week", "hours", "hour", "minutes", "minute",
            "months", "month", "years", "year", "pm", "am", "percent", "usd", "dollars", "razy", "i", "and", "a", "albo",
            "lub", "or",
        ])
        add(.clothingSize, ["xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl", "2xl", "3xl", "4xl"])
        add(.orderWord, ["zamowienie", "zamowienia", "zamowieniu", "zamowieniem", "zamowien", "nr", "numer", "numerem",
                         "order", "number", "no", "paczka", "paczki", "przesylka", "przesylki"])
        add(.phoneWord, ["tel", "telefon", "telefonu", "telefonem", "numer", "nr", "phone", "mobile", "komorka", "kom",
                         "call", "sms"])
        return table
    }()
}
