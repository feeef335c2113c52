/// Emoji and other pictographs, which a synthesiser either skips or reads out by name ("uśmiechnięta
/// buźka"): neither helps a caller.
enum Pictograph {
    /// Whether `character` is an emoji (any sequence: flags, skin tones, ZWJ families), a
    /// dingbat or another symbol with no spoken form. ASCII (`#`, `*`, digits), the degree sign
    /// and currency signs are not.
    static func contains(_ character: Character) -> Bool {
        guard let first = character.unicodeScalars.first, !first.isASCII else { return false }
        if character.unicodeScalars.contains(where: { $0.properties.isEmojiPresentation || $0.value == 0xFE0F }) {
            return true
        }
        if first.properties.isEmoji { return true }
        switch first.properties.generalCategory {
        case .otherSymbol: return first != "°"
        case .privateUse, .surrogate, .unassigned, .format: return true
        default: return false
        }
    }

    /// The digit, `#` or `*` of a keycap emoji ("1️⃣" → "1"); nil for anything else.
    static func keycapBase(of character: Character) -> Character? {
        let scalars = character.unicodeScalars
        guard let first = scalars.first, first.isASCII, scalars.contains(where: { $0.value == 0x20E3 }) else { return nil }
        return Character(first)
    }
}
