import NLU

/// Turns written text into what a speech synthesiser says well, as plain text and as an SSML
/// `<speak>` document. The bot's replies come as typed parts (`SpokenReply`); this reads text
/// someone else wrote (the shop's facts) and the words between the values:
///
/// - amounts in words ("349,00 zł" → "trzysta czterdzieści dziewięć złotych", "PLN 349.00" →
///   "349 zlotys");
/// - order numbers after "nr", "numer", "no.", "number", "order" in pairs ("49 18 37"), SSML
///   `say-as digits`;
/// - postcodes as Poles say them ("50, 123"); Polish phone numbers in groups ("600 123 456"),
///   SSML `say-as telephone`; parcel-locker codes spelt out, SSML `say-as characters`;
/// - emoji and other pictographs, links (and the colon that introduced them), and markdown
///   (`*`, `_`, backticks, list markers) dropped;
/// - "×" said as "po"/"at", "=" as ", razem"/", total", a dash between words as a comma, a
///   dash between numbers as "do"/"to";
/// - a `<break>` between sentences and lines in the SSML.
///
/// One pass over the characters, no regular expressions: it runs on every voice reply.
public enum SpokenText {
    /// `text` made speakable in `language`: the plain fallback and the SSML document.
    public static func render(_ text: String, language: Language) -> (text: String, ssml: String) {
        var writer = SpokenTextWriter()
        write(text, language: language, findingValues: true, into: &writer)
        return writer.rendering
    }

    /// Writes `text` speakably; with `findingValues`, amounts, numbers and codes written in it
    /// are found and said as such (text someone else wrote), else it is words (the bot's own,
    /// whose values come as typed parts).
    static func write(_ text: String, language: Language, findingValues: Bool, into writer: inout SpokenTextWriter) {
        let scan = CharacterScan(text)
        var index = 0
        while index < scan.count {
            index = step(scan, at: index, language: language, findingValues: findingValues, into: &writer)
        }
    }

    /// Writes what starts at `index`; where the next step starts.
    private static func step(
        _ scan: CharacterScan, at index: Int, language: Language, findingValues: Bool, into writer: inout SpokenTextWriter
    ) -> Int {
        if scan.startsWord(at: index) {
            if findingValues, let item = SpokenItem.recognised(in: scan, at: index, language: language) {
                writer.write(text: item.text, markup: item.markup)
                return item.end
            }
            if let end = linkEnd(in: scan, at: index) {
                return dropLink(endingAt: end, in: scan, from: &writer)
            }
        }
        let character = scan.characters[index]
        if character.isNewline {
            endLine(&writer)
        } else if let ascii = character.asciiValue {
            step(ascii: ascii, scan, at: index, language: language, into: &writer)
        } else {
            step(other: character, scan, at: index, language: language, into: &writer)
        }
        return index + 1
    }

    private static func step(
        ascii: UInt8, _ scan: CharacterScan, at index: Int, language: Language, into writer: inout SpokenTextWriter
    ) {
        switch ascii {
        case UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "["), UInt8(ascii: "]"):
            break
        case UInt8(ascii: "#") where scan.startsLine(at: index):
            break
        case UInt8(ascii: "-"):
            if isListMarker(in: scan, at: index) { break }
            dash(in: scan, at: index, language: language, into: &writer)
        case UInt8(ascii: "x"), UInt8(ascii: "X"):
            writer.write(isMultiplication(in: scan, at: index) ? words(language).times : String(Character(Unicode.Scalar(ascii))))
        case UInt8(ascii: "="):
            writer.write(",")
            writer.space()
            writer.write(words(language).total)
            writer.space()
        case UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"):
            writer.write(Character(Unicode.Scalar(ascii)))
            if endsSentence(in: scan, at: index) { writer.pause() }
        default:
            writer.write(Character(Unicode.Scalar(ascii)))
        }
    }

    private static func step(
        other character: Character, _ scan: CharacterScan, at index: Int, language: Language, into writer: inout SpokenTextWriter
    ) {
        switch character {
        case "×":
            writer.space()
            writer.write(words(language).times)
            writer.space()
        case "—", "–", "•", "·", "▪", "‣", "→":
            if isListMarker(in: scan, at: index) { return }
            dash(in: scan, at: index, language: language, into: &writer)
        case "…":
            writer.write(character)
            if endsSentence(in: scan, at: index) { writer.pause() }
        default:
            write(character, into: &writer)
        }
    }

    /// A dash or bullet that starts a line item ("- Aero Run"), not a minus ("-20").
    private static func isListMarker(in scan: CharacterScan, at index: Int) -> Bool {
        scan.startsLine(at: index) && !scan.isDigit(index + 1)
    }

    /// Writes a character that is not ASCII: a pictograph is dropped, a keycap ("1️⃣") says its digit.
    private static func write(_ character: Character, into writer: inout SpokenTextWriter) {
        if let base = Pictograph.keycapBase(of: character) {
            writer.write(base)
        } else if Pictograph.contains(character) {
            writer.space()
        } else {
            writer.write(character)
        }
    }

    // MARK: Links

    /// Where a link starting at `index` ("https://…", "http://…", "www.…") ends: at whitespace,
    /// without trailing punctuation.
    private static func linkEnd(in scan: CharacterScan, at index: Int) -> Int? {
        guard let first = scan[index], "hHwW".contains(first),
              linkStarts.contains(where: { scan.has($0, at: index, ignoringCase: true) }) else { return nil }
        var end = index
        while let character = scan[end], !character.isWhitespace { end += 1 }
        while end > index, let last = scan[end - 1], linkTrailers.contains(last) { end -= 1 }
        return end
    }

    private static let linkStarts = ["https://", "http://", "www."]
    private static let linkTrailers: Set<Character> = [".", ",", ";", ":", "!", "?", ")", "]", "}", "'", "\"", "”", "»"]

    /// Drops a link and what only introduced it: a colon ("link: …") or the brackets around it;
    /// where the next step starts.
    private static func dropLink(endingAt end: Int, in scan: CharacterScan, from writer: inout SpokenTextWriter) -> Int {
        writer.retract(":")
        writer.space()
        if scan[end] == ")", writer.retract("(") {
            writer.space()
            return end + 1
        }
        return end
    }

    // MARK: Punctuation

    private static func endLine(_ writer: inout SpokenTextWriter) {
        if let last = writer.last, !".!?…,;:".contains(last) { writer.write(".") }
        writer.pause()
    }

    /// A dash between words is a comma; between numbers ("10–14", "10-14") it is a range; a
    /// hyphen inside a word or a longer number ("e-mail", "2024-05-12") stays.
    private static func dash(in scan: CharacterScan, at index: Int, language: Language, into writer: inout SpokenTextWriter) {
        let character = scan.characters[index]
        if isRange(in: scan, at: index) {
            writer.space()
            writer.write(words(language).to)
            writer.space()
        } else if character == "-", !(scan[index - 1]?.isWhitespace ?? true) || !(scan[index + 1]?.isWhitespace ?? true) {
            writer.write(character)
        } else {
            writer.write(",")
            writer.space()
        }
    }

    /// Whether the dash at `index` joins two numbers; a hyphen only short ones that nothing
    /// else joins on ("10-14", not "2024-05-12").
    private static func isRange(in scan: CharacterScan, at index: Int) -> Bool {
        guard scan.isDigit(index - 1), scan.isDigit(index + 1) else { return false }
        guard scan[index] == "-" else { return true }
        var start = index - 1
        while scan.isDigit(start - 1) { start -= 1 }
        let after = scan.digitRun(from: index + 1)
        return index - start <= 3 && after <= 3 && scan[start - 1] != "-" && scan[index + 1 + after] != "-"
    }

    /// "2 x 349": a lone x between a number and another.
    private static func isMultiplication(in scan: CharacterScan, at index: Int) -> Bool {
        scan[index - 1] == " " && scan.isDigit(index - 2) && scan[index + 1] == " " && scan.isDigit(index + 2)
    }

    /// Whether the mark at `index` ends a sentence: whitespace follows, then a capital, a digit
    /// or an opening quote, and it is not the dot of an abbreviation ("np.", "ul.", "e.g.").
    private static func endsSentence(in scan: CharacterScan, at index: Int) -> Bool {
        guard let after = scan[index + 1], after.isWhitespace else { return false }
        guard let next = scan[scan.skippingSpaces(from: index + 1)] else { return false }
        guard next.isUppercase || next.isNumber || "„\"“«(".contains(next) || next.isNewline else { return false }
        guard scan[index] == "." else { return true }
        var start = index
        while let before = scan[start - 1], before.isLetter || before == "." { start -= 1 }
        return !abbreviations.contains(scan.text(start..<index).lowercased())
    }

    private static let abbreviations: Set<String> = [
        "np", "ul", "al", "pl", "tel", "ok", "godz", "tj", "tzn", "wg", "m.in", "dr", "mr", "mrs", "ms", "st", "e.g", "i.e", "vs",
    ]

    // MARK: Words

    private struct Words {
        let times: String
        let total: String
        let to: String
    }

    private static func words(_ language: Language) -> Words {
        switch language {
        case .polish: Words(times: "po", total: "razem", to: "do")
        case .english: Words(times: "at", total: "total", to: "to")
        }
    }
}
