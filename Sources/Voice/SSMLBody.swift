import ShopValues

/// The content of an SSML `<speak>` document, to be written inside a TwiML `<Say>` (which takes
/// SSML tags without the wrapper).
struct SSMLBody: Sendable, Equatable {
    /// The markup between `<speak …>` and `</speak>`.
    let markup: String

    /// Nil when `document` is not one `<speak>` element (after an optional XML declaration).
    init?(_ document: String) {
        var rest = document.trimmingWhitespace
        if rest.hasPrefix("<?xml"), let declarationEnd = rest.firstRange(of: "?>") {
            rest = rest[declarationEnd.upperBound...].trimmingWhitespace
        }
        guard rest.hasPrefix("<speak"), rest.hasSuffix("</speak>"), let tagEnd = rest.firstIndex(of: ">") else { return nil }
        let afterName = rest[rest.index(rest.startIndex, offsetBy: 6)]
        guard afterName == ">" || afterName.isWhitespace, rest[rest.index(before: tagEnd)] != "/" else { return nil }
        markup = String(rest[rest.index(after: tagEnd)...].dropLast("</speak>".count).trimmingWhitespace)
    }
}
