import Dialogue
import NLU
import ShopValues

/// Speech from a reply's typed parts: each value said as its kind is said (an amount in words,
/// an order number in pairs, a postcode as two numbers, a locker code and a phone number
/// spelt out in groups, an e-mail address with "małpa" and "kropka"), the bot's own words as
/// written, and text the shop wrote read as `SpokenText` reads any text.
public enum SpokenReply {
    /// The parts in `language`: the plain fallback and the SSML document.
    public static func render(_ parts: [ReplyPart], language: Language) -> (text: String, ssml: String) {
        var writer = SpokenTextWriter()
        for (index, part) in parts.enumerated() {
            let next = parts.index(after: index) < parts.endIndex ? parts[index + 1] : nil
            write(part, before: next, language: language, into: &writer)
        }
        return writer.rendering
    }

    private static func write(_ part: ReplyPart, before next: ReplyPart?, language: Language, into writer: inout SpokenTextWriter) {
        switch part {
        case .words(let text):
            let beforeNumber = if case .orderNumber = next { true } else { false }
            SpokenText.write(spellingOutNumberSigns(text, beforeNumber: beforeNumber), language: language, findingValues: false,
                             into: &writer)
        case .quoted(let text):
            SpokenText.write(text, language: language, findingValues: true, into: &writer)
        case .money(let amount):
            let words = SpokenMoney.words(amount, language: language)
            writer.write(text: words, markup: XMLText.escaped(words))
        case .orderNumber(let number):
            write(SpokenItem.orderNumber(digits: number.digits, keyword: nil, end: 0), into: &writer)
        case .postcode(let code):
            let digits = code.filter(\.isASCIIDigit)
            guard digits.count == 5 else { return SpokenText.write(code, language: language, findingValues: true, into: &writer) }
            write(SpokenItem.postcode(area: String(digits.prefix(2)), office: String(digits.suffix(3)), end: 0), into: &writer)
        case .lockerCode(let code):
            write(SpokenItem.lockerCode(code.uppercased(), end: 0), into: &writer)
        case .phone(let number):
            let scan = CharacterScan(number)
            guard let item = SpokenItem.phoneNumber(in: scan, at: 0), item.end == scan.count else {
                return SpokenText.write(number, language: language, findingValues: true, into: &writer)
            }
            write(item, into: &writer)
        case .email(let address):
            writer.write(spoken(email: address, language: language))
        }
    }

    private static func write(_ item: SpokenItem, into writer: inout SpokenTextWriter) {
        writer.write(text: item.text, markup: item.markup)
    }

    /// "nr" said "numer" wherever the bot writes it ("Zwrot nr 12"), "no." said "number" before a
    /// number ("Return no. 12", "order no. " before an order number); "#" before an order
    /// number is not said.
    private static func spellingOutNumberSigns(_ text: String, beforeNumber: Bool) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for index in words.indices {
            let isLast = index == words.count - 1 || (index == words.count - 2 && words[index + 1].isEmpty)
            let followedByNumber = isLast ? beforeNumber : words[index + 1].first?.isASCIIDigit == true
            switch words[index] {
            case "nr", "nr.": words[index] = "numer"
            case "Nr", "Nr.": words[index] = "Numer"
            case "no." where followedByNumber: words[index] = "number"
            case "No." where followedByNumber: words[index] = "Number"
            case "#" where isLast && beforeNumber: words[index] = ""
            default: break
            }
        }
        return words.joined(separator: " ")
    }

    /// "anna małpa example kropka pl" / "anna at example dot pl".
    private static func spoken(email: String, language: Language) -> String {
        let (at, dot) = language == .polish ? (" małpa ", " kropka ") : (" at ", " dot ")
        return email.replacingOccurrences(of: "@", with: at).replacingOccurrences(of: ".", with: dot)
    }
}
