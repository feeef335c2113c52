/// Cuts a reply that is too long for one Messenger message into parts that each fit.
///
/// Messenger allows 2000 characters per text message without saying which characters it counts.
/// The splitter counts UTF-16 code units, the most any of the usual counts gives (an emoji such
/// as 👍 is 2 units, a family emoji 8; Polish letters with diacritics 1), so a part that fits here
/// fits there. It never cuts inside a `Character`.
///
/// A part ends, by preference, after a sentence (`.`, `!`, `?`, `…` followed by a space, or a line
/// break) in the second half of the allowed length; else at the last whitespace; else inside a
/// word. Whitespace at a cut is dropped, so the parts joined with a space read as the reply.
package enum MessageSplitter {
    /// Messenger's limit for one text message.
    static let maxLength = 2000

    /// The parts of `text`, in order; `[text]` when it fits.
    package static func split(_ text: String, limit: Int = maxLength) -> [String] {
        precondition(limit > 1, "a part must hold at least one character")
        var parts: [String] = []
        var rest = Substring(text)
        while rest.utf16.count > limit {
            let window = prefix(of: rest, fittingUTF16: limit)
            let end = cut(in: window, of: rest, limit: limit)
            let part = rest[..<end].trimmingTrailingWhitespace()
            if !part.isEmpty { parts.append(String(part)) }
            rest = rest[end...].drop(while: \.isWhitespace)
        }
        if !rest.isEmpty || parts.isEmpty { parts.append(String(rest)) }
        return parts
    }

    /// The longest prefix of `text` made of whole characters that is at most `limit` UTF-16 units
    /// long (at least one character, so progress is certain).
    package static func prefix(of text: Substring, fittingUTF16 limit: Int) -> Substring {
        var units = 0
        var end = text.startIndex
        for index in text.indices {
            units += text[index].utf16.count
            if units > limit { break }
            end = text.index(after: index)
        }
        if end == text.startIndex, !text.isEmpty { end = text.index(after: text.startIndex) }
        return text[..<end]
    }

    /// Where to end the part that `window` (the most of `rest` that fits) allows.
    private static func cut(in window: Substring, of rest: Substring, limit: Int) -> Substring.Index {
        if let sentenceEnd = lastSentenceEnd(in: window, of: rest), window[..<sentenceEnd].utf16.count >= limit / 2 {
            return sentenceEnd
        }
        if isWhitespace(at: window.endIndex, in: rest) { return window.endIndex }
        if let space = window.lastIndex(where: \.isWhitespace), space > window.startIndex {
            return space
        }
        return window.endIndex
    }

    /// The index just after the last sentence end in `window` that `rest` follows with whitespace.
    private static func lastSentenceEnd(in window: Substring, of rest: Substring) -> Substring.Index? {
        var index = window.endIndex
        while index > window.startIndex {
            let previous = window.index(before: index)
            let character = window[previous]
            if character.isNewline { return index }
            if sentenceEnders.contains(character), isWhitespace(at: index, in: rest) { return index }
            index = previous
        }
        return nil
    }

    private static func isWhitespace(at index: Substring.Index, in text: Substring) -> Bool {
        index < text.endIndex && text[index].isWhitespace
    }

    private static let sentenceEnders: Set<Character> = [".", "!", "?", "…"]
}

private extension Substring {
    func trimmingTrailingWhitespace() -> Substring {
        guard let last = lastIndex(where: { !$0.isWhitespace }) else { return self[startIndex..<startIndex] }
        return self[...last]
    }
}
