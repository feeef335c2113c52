import Foundation
import Commerce
import NLU
import ShopValues

/// Reads plain answers to the bot's questions where no entity was found: a choice from a list,
/// a bare size or number, an address around its postcode, a name.
enum SlotReading {
    static let ordinals: [String: Int] = [
        "pierwszy": 1, "pierwsza": 1, "pierwsze": 1, "pierwszą": 1, "pierwszy.": 1, "first": 1, "1": 1,
        "drugi": 2, "druga": 2, "drugie": 2, "drugą": 2, "second": 2, "2": 2,
        "trzeci": 3, "trzecia": 3, "trzecie": 3, "trzecią": 3, "third": 3, "3": 3,
        "czwarty": 4, "czwarta": 4, "czwarte": 4, "czwartą": 4, "fourth": 4, "4": 4,
        "piąty": 5, "piąta": 5, "piąte": 5, "piątą": 5, "fifth": 5, "5": 5,
        "ostatni": -1, "ostatnia": -1, "ostatnie": -1, "last": -1,
    ]

    /// An item of `options` picked by its position ("drugie", "2") or named in the text.
    static func choice(in text: String, among options: [String], ordinalsOnly: Bool = false) -> String? {
        guard !options.isEmpty else { return nil }
        let words = text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
        let spelled = ordinalsOnly ? words.filter { Int($0) == nil } : words
        if words.count <= 3, let position = spelled.compactMap({ ordinals[$0] ?? ordinals[Folding.fold($0)] }).first {
            let index = position < 0 ? options.count - 1 : position - 1
            return options.indices.contains(index) ? options[index] : nil
        }
        guard !ordinalsOnly else { return nil }
        let folded = Folding.fold(text)
        return options.first { folded.contains($0.replacingOccurrences(of: "-", with: " ")) || folded.contains($0) }
    }

    /// A size of `sizes` written on its own: "42", "42,5", "m", "XL".
    static func size(in text: String, among sizes: Set<String>) -> String? {
        for word in text.split(whereSeparator: { $0 == " " || $0 == "?" || $0 == "!" }) {
            let candidate = String(word.filter { $0.isLetter || $0.isNumber || $0 == "." || $0 == "," || $0 == "-" }
                .map { $0 == "," ? "." : $0 }).uppercased()
            if sizes.contains(candidate) { return candidate }
        }
        return nil
    }

    static let numberWords: [String: Int] = [
        "jeden": 1, "jedna": 1, "jedną": 1, "jedno": 1, "jedna para": 1, "one": 1, "a pair": 1,
        "dwa": 2, "dwie": 2, "dwoje": 2, "two": 2, "trzy": 3, "three": 3, "cztery": 4, "four": 4,
        "pięć": 5, "piec": 5, "five": 5, "sześć": 6, "szesc": 6, "six": 6, "siedem": 7, "seven": 7,
        "osiem": 8, "eight": 8, "dziewięć": 9, "dziewiec": 9, "nine": 9, "dziesięć": 10, "dziesiec": 10, "ten": 10,
    ]

    /// A whole number written in digits or as a word ("2", "dwie", "three").
    static func number(in text: String) -> Int? {
        let words = text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
        guard words.count <= 4 else { return nil }
        for word in words {
            if let value = Int(word) { return value }
            if let value = numberWords[word] { return value }
        }
        return nil
    }

    /// "ul. Kwiatowa 5, 50-123 Wrocław": the street before the postcode, the city after it.
    static func address(_ text: String, postcodeAt entity: Entity) -> DraftAddress? {
        let scalars = Array(text.unicodeScalars)
        guard entity.start >= 0, entity.end <= scalars.count, Postcode(entity.value) != nil else { return nil }
        let separators = CharacterSet.whitespaces.union(CharacterSet(charactersIn: ",;"))
        let before = String(String.UnicodeScalarView(scalars[..<entity.start])).trimmingCharacters(in: separators)
        let after = String(String.UnicodeScalarView(scalars[entity.end...])).trimmingCharacters(in: separators.union(.punctuationCharacters))
        var street = before
        for prefix in ["adres:", "adres", "address:", "address", "na adres", "to"] where Folding.fold(street).hasPrefix(prefix + " ") {
            street = String(street.dropFirst(prefix.count + 1)).trimmingCharacters(in: separators)
        }
        // Said on the phone: "Kwiatowa 5 kod pocztowy 50-123 Wrocław".
        for suffix in ["kod pocztowy", "kod", "postcode"] where Folding.fold(street).hasSuffix(" " + suffix) {
            street = String(street.dropLast(suffix.count + 1)).trimmingCharacters(in: separators)
        }
        guard street.contains(where: \.isLetter), street.contains(where: \.isNumber), after.contains(where: \.isLetter),
              street.count <= 120, after.count <= 60
        else { return nil }
        return DraftAddress(street: street, postcode: entity.value, city: after)
    }

    /// Text that reads like an address (a word and a number) but lacks a postcode.
    static func looksLikeAddress(_ text: String) -> Bool {
        text.contains(where: \.isLetter) && text.contains(where: \.isNumber) && text.count >= 6
    }

    /// "ulica Lipowa", "al. Jana Pawła", "osiedle Tysiąclecia": a street said, digits or not (a
    /// caller's house number comes as a word).
    static func namesAStreet(_ text: String) -> Bool {
        let words = Folding.words(text)
        return Folding.hasWord(words, startingWith: ["ulic", "alej", "osiedl", "plac"]) || words.contains("ul") || words.contains("al")
    }

    /// A question rather than an answer: a question mark, or a question word first.
    static func isQuestion(_ text: String) -> Bool {
        if text.contains("?") { return true }
        guard let first = Folding.words(text).first else { return false }
        return ["gdzie", "jakie", "jaki", "jaka", "kiedy", "czy", "ile", "jak", "where", "what", "when", "which", "how", "do", "is",
                "are"].contains(first)
    }

    /// A parcel locker code said on its own.
    static func lockerCode(in text: String) -> LockerCode? {
        let compact = text.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        guard !compact.contains(" ") else { return nil }
        return LockerCode(compact)
    }

    /// A short run of letters and digits: meant as a code or number, even if malformed.
    static func looksLikeCode(_ text: String) -> Bool {
        let compact = text.filter { !$0.isWhitespace }
        return compact.count >= 3 && compact.count <= 20 && compact.contains(where: \.isNumber)
    }

    /// A pickup store named by city or store name, or picked by position.
    static func store(in text: String, among stores: [ShopFacts.Store]) -> ShopFacts.Store? {
        if let id = choice(in: text, among: stores.map(\.id)) { return stores.first { $0.id == id } }
        return store(named: text, among: stores)
    }

    /// The store whose name (its city, its street) the text mentions; never by position.
    static func store(named text: String, among stores: [ShopFacts.Store]) -> ShopFacts.Store? {
        let words = Set(Folding.words(text))
        return stores.first { store in
            Folding.words(store.name).contains { name in words.contains { $0.count >= 4 && name.hasPrefix(String($0.prefix(5))) } }
        }
    }

    /// Words that answer something else: "tak poproszę" is not a name.
    static let notNames: Set<String> = [
        "tak", "nie", "ok", "okej", "prosze", "dziekuje", "dzieki", "dobrze", "jasne", "czesc", "dzien", "dobry", "hej",
        "halo", "witam", "konsultant", "konsultanta", "czlowiek", "anuluj", "pomoc", "yes", "no", "please", "thanks",
        "thank", "you", "hello", "hi", "hey", "sure", "agent", "human", "cancel", "help", "what", "why", "how", "jak", "co",
        "gdzie", "kiedy", "dlaczego", "where", "when", "zamowienie", "order",
    ]

    /// A person's name: two to four words of letters, without "nazywam się" and the like.
    static func name(in text: String) -> String? {
        var words = text.split { $0 == " " || $0 == "," || $0 == "." }.map(String.init)
        let fillers: Set<String> = ["nazywam", "się", "sie", "jestem", "to", "imię", "imie", "i", "nazwisko", "my", "name", "is",
                                    "i'm", "im", "na", "zamówienie", "zamowienie", "proszę", "prosze", "dla", "it's"]
        while let first = words.first, fillers.contains(first.lowercased()) { words.removeFirst() }
        guard (1...4).contains(words.count), words.allSatisfy({ $0.allSatisfy { $0.isLetter || $0 == "-" || $0 == "'" } }),
              words.joined().count >= 3, !words.contains(where: { notNames.contains(Folding.fold($0)) })
        else { return nil }
        return words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }
}
