/// Builds the plain and the SSML rendering of a reply side by side, tidying as it goes: runs of
/// whitespace become one space, no space before closing punctuation, a comma or colon next to
/// another mark gives way to it, nothing leading or trailing; a pause becomes a `<break>` in
/// the SSML.
struct SpokenTextWriter {
    /// The plain rendering so far.
    private(set) var plain = ""
    /// The SSML rendering so far, without the `<speak>` wrapper.
    private(set) var ssml = ""
    /// The last character written (markup aside); nil until something is.
    private(set) var last: Character?
    private var pendingSpace = false
    private var pendingPause = false

    /// The pause between sentences.
    static let pauseMarkup = #"<break time="300ms"/>"#

    /// Whitespace: at most one space before the next written character.
    mutating func space() {
        if last != nil { pendingSpace = true }
    }

    /// A sentence boundary: a space in the text, a `<break>` in the SSML.
    mutating func pause() {
        guard last != nil else { return }
        pendingSpace = true
        pendingPause = true
    }

    /// Ordinary text: whitespace collapsed, XML-escaped in the SSML.
    mutating func write(_ text: some StringProtocol) {
        for character in text { write(character) }
    }

    /// One character of ordinary text.
    mutating func write(_ character: Character) {
        switch Mark(character) {
        case .space:
            return space()
        case .pausing:
            guard !(last.map(Mark.init)?.isPunctuation ?? false) else { return }
            pendingSpace = false
        case .ending:
            if let last, Mark(last) == .pausing { retract(last) }
            pendingSpace = false
        case .closingBracket:
            pendingSpace = false
        case .other:
            flushSpace()
        }
        plain.append(character)
        XMLText.append(character, to: &ssml)
        last = character
    }

    /// A recognised item: `text` in the plain rendering, `markup` (already XML) in the SSML.
    mutating func write(text: String, markup: String) {
        guard let final = text.last else { return }
        flushSpace()
        plain += text
        ssml += markup
        last = final
    }

    /// Takes back the last character written when it is `character` (a colon or an opening
    /// bracket left by text that was dropped); whether it did.
    @discardableResult
    mutating func retract(_ character: Character) -> Bool {
        guard last == character, plain.last == character, ssml.last == character else { return false }
        plain.removeLast()
        ssml.removeLast()
        if plain.last == " ", ssml.last == " " {
            plain.removeLast()
            ssml.removeLast()
        }
        last = plain.last
        pendingSpace = last != nil
        return true
    }

    /// The finished renderings; the SSML as a whole `<speak>` document.
    var rendering: (text: String, ssml: String) {
        (plain, "<speak>\(ssml)</speak>")
    }

    private mutating func flushSpace() {
        guard last != nil else { return }
        if pendingPause {
            ssml += " " + Self.pauseMarkup
            pendingPause = false
        }
        if pendingSpace {
            plain += " "
            ssml += " "
            pendingSpace = false
        }
    }

    /// How a character takes part in spacing.
    private enum Mark: Equatable {
        case space
        /// `,` `;` `:`: written without a space before, dropped after another mark.
        case pausing
        /// `.` `!` `?` `…`: written without a space before, replacing a pausing mark before it.
        case ending
        /// `)`: written without a space before.
        case closingBracket
        case other

        init(_ character: Character) {
            if let ascii = character.asciiValue {
                switch ascii {
                case UInt8(ascii: " "), 0x09...0x0D: self = .space
                case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"): self = .pausing
                case UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"): self = .ending
                case UInt8(ascii: ")"): self = .closingBracket
                default: self = .other
                }
            } else if character == "…" {
                self = .ending
            } else {
                self = character.isWhitespace ? .space : .other
            }
        }

        var isPunctuation: Bool { self == .pausing || self == .ending }
    }
}
