import ShopValues

/// Digit strings read aloud, written as digits: what a speech-to-text service makes of a phone
/// number, a postcode, an order number or a NIP ("sześćset sto dwadzieścia trzy czterysta
/// pięćdziesiąt sześć") becomes what the entity extractor reads ("600 123 456").
///
/// A *run* is a stretch of number words and digit strings with nothing but spaces between them,
/// and at most one comma or dash between two of them. It is split into *groups* the way people
/// say digits:
/// - hundreds, tens and units form one group: "sto dwadzieścia trzy" 123, "czterdzieści
///   dziewięć" 49, "osiemnaście" 18, "sześćset" 600, "sześćset jeden" 601;
/// - a word that cannot continue the open group begins the next one: a hundreds word after
///   anything, tens or a teen after tens or a unit, a unit after a unit ("pięćdziesiąt sto
///   dwadzieścia trzy" 50 | 123, "cztery dziewięć jeden" 4 | 9 | 1);
/// - "zero" is a digit of its own, and so is "oh" after a number ("five oh one"); "double" and
///   "triple" repeat the digit after them; digits written as digits ("600") are a group of their
///   own;
/// - in English, "hundred" makes hundreds of the unit before it and takes tens and teens but not
///   a unit: "six hundred twelve" 612, "six hundred one two three" 600 | 1 | 2 | 3.
///
/// A run is rewritten only when it clearly is a code: it has a number word, at least two groups
/// and five digits or more, and it does not come right after a size word ("rozmiar", "size").
/// So "czterdzieści dwa", "dwie pary", "trzysta czterdzieści dziewięć złotych" and digits typed
/// as digits stay as they are. The digits are written as the extractor reads them:
/// - 9 → "600 123 456" (phone); 11 beginning with 48, or 13 beginning with 0048 →
///   "+48 600 123 456";
/// - 5 → "50-123" (postcode); 6 → "491837" (order number); 10 whose NIP checksum holds →
///   "5260250995";
/// - when the whole run has none of these forms but the run without its last group is a phone
///   number, a postcode or a NIP, that last group stays as it was said: it is a count or a size
///   said right after the number ("… pięćdziesiąt sześć dwie pary" → "600 123 456 dwie pary");
///   when that shorter run has no number word, the whole run stays as typed;
/// - otherwise, when every group was said in words, the digits joined, after a "+" when "plus"
///   or "+" came first; a run with digits written as digits in it stays as it was.
///
/// Everything else (the other words, their order, punctuation and spacing) is kept as written,
/// and a text with no code in it comes back unchanged. Words are compared folded, so "szescset",
/// "piec zero" and "Sześćset" read alike. One pass over the UTF-8 bytes, no regular expressions;
/// a text with nothing to rewrite costs no allocation.
public enum SpokenDigits {
    /// `text` with every run of number words that forms a digit string written in digits.
    public static func normalize(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            var rewriter = Rewriter(bytes)
            var tokens = SpokenTokens(bytes)
            while let token = tokens.next() { rewriter.read(token) }
            return rewriter.finish()
        } ?? text
    }

    /// `digits` as the extractor reads them, or nil when they have none of the forms of a code.
    static func written(_ digits: Substring, plus: Bool) -> String? {
        let count = digits.utf8.count
        if count == 11, digits.hasPrefix("48") { return "+48 " + inThrees(digits.dropFirst(2)) }
        if plus { return nil }
        switch count {
        case 13 where digits.hasPrefix("0048"): return "+48 " + inThrees(digits.dropFirst(4))
        case 9: return inThrees(digits)
        case 5: return "\(digits.prefix(2))-\(digits.dropFirst(2))"
        case 6: return String(digits)
        case 10 where NIP.checksumHolds(String(digits)): return String(digits)
        default: return nil
        }
    }

    /// Nine digits as a phone number is written: "600 123 456".
    private static func inThrees(_ digits: Substring) -> String {
        "\(digits.prefix(3)) \(digits.dropFirst(3).prefix(3)) \(digits.dropFirst(6))"
    }

    /// Copies the text as it reads it, replacing each run that is a code.
    private struct Rewriter {
        let bytes: UnsafeBufferPointer<UInt8>
        /// Empty until the first run is replaced.
        private var output: [UInt8] = []
        /// How many bytes of the text have been copied or replaced.
        private var copied = 0
        private var run: DigitRun?
        /// Where the token just read starts, when it is "plus" or "+".
        private var plus: Int?
        private var afterSizeWord = false
        /// Whether a street word came anywhere before.
        private var inAddress = false

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func read(_ token: SpokenToken) {
            defer {
                plus = token.announcesCountryCode ? token.range.lowerBound : nil
                afterSizeWord = token.kind == .spoken(.sizeWord)
                if token.kind == .spoken(.streetWord) { inAddress = true }
            }
            if run?.read(token, in: bytes) == true { return }
            if let ended = run { replace(ended) }
            run = DigitRun(startingWith: token, plusAt: plus, afterSizeWord: afterSizeWord, inAddress: inAddress, in: bytes)
        }

        /// The rewritten text, or nil when nothing was rewritten.
        mutating func finish() -> String? {
            if let run { replace(run) }
            guard !output.isEmpty else { return nil }
            output.append(contentsOf: bytes[copied...])
            return String(decoding: output, as: UTF8.self)
        }

        private mutating func replace(_ run: DigitRun) {
            var run = run
            guard let replacement = run.finish() else { return }
            // A few bytes more than the text, for a "+48 " or a dash.
            if output.isEmpty { output.reserveCapacity(bytes.count + 8) }
            output.append(contentsOf: bytes[copied..<run.start])
            output.append(contentsOf: replacement.text.utf8)
            copied = replacement.end
        }
    }
}
