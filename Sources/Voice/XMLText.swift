/// Text made safe for XML (TwiML, SSML): `&`, `<`, `>` and `"` escaped, so the same text serves
/// as element content and as a double-quoted attribute value; control characters that XML 1.0
/// forbids are dropped.
enum XMLText {
    /// `text` as XML character data.
    static func escaped(_ text: some StringProtocol) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text { append(character, to: &output) }
        return output
    }

    /// Appends `character` to `output` as XML character data.
    static func append(_ character: Character, to output: inout String) {
        switch character.asciiValue {
        case UInt8(ascii: "&"): output += "&amp;"
        case UInt8(ascii: "<"): output += "&lt;"
        case UInt8(ascii: ">"): output += "&gt;"
        case UInt8(ascii: "\""): output += "&quot;"
        case .some(UInt8(ascii: " ")...UInt8(ascii: "~")): output.append(character)
        default:
            if character.unicodeScalars.allSatisfy(isAllowed) {
                output.append(character)
            } else {
                output.unicodeScalars.append(contentsOf: character.unicodeScalars.filter(isAllowed))
            }
        }
    }

    /// ` name="value"` for each pair, values escaped, in the given order.
    static func attributes(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map { " \($0.name)=\"\(escaped($0.value))\"" }.joined()
    }

    /// Whether XML 1.0 allows the scalar in a document.
    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: true
        case 0x00..<0x20, 0xFFFE, 0xFFFF: false
        default: true
        }
    }
}
