/// Why an `application/x-www-form-urlencoded` body or query string could not be read. Offsets
/// count bytes from the start of the body; values are never echoed, since they carry what callers
/// said and their phone numbers.
public enum TwilioFormError: Error, Equatable, CustomStringConvertible {
    /// The `%` at `offset` is not followed by two hexadecimal digits.
    case invalidPercentEscape(offset: Int)
    /// The name of the pair starting at `offset` does not decode to UTF-8.
    case invalidUTF8InName(offset: Int)
    /// The value of parameter `name`, starting at `offset`, does not decode to UTF-8.
    case invalidUTF8InValue(name: String, offset: Int)

    public var description: String {
        switch self {
        case .invalidPercentEscape(let offset):
            "The form has a '%' not followed by two hexadecimal digits at byte \(offset)"
        case .invalidUTF8InName(let offset):
            "The form has a parameter name that is not UTF-8 at byte \(offset)"
        case .invalidUTF8InValue(let name, let offset):
            "The form parameter \(name) is not UTF-8 (value at byte \(offset))"
        }
    }
}

/// Reads `application/x-www-form-urlencoded` text, as Twilio posts its webhooks: pairs joined by
/// `&`, name and value split at the first `=`, `+` for a space, `%XX` for a byte, the bytes UTF-8.
///
/// Strict where the URL standard is lenient: a stray `%` or bytes that are not UTF-8 are errors,
/// not text, because a body that does not decode cannot have been signed by the platform. A
/// repeated name keeps its first value; empty pairs (`a=1&&b=2`) are skipped; a pair without `=`
/// is a name with an empty value.
public enum TwilioForm {
    /// The parameters of a form body.
    public static func parameters(in body: some Collection<UInt8>) throws(TwilioFormError) -> [String: String] {
        try parameters(in: Array(body), from: 0)
    }

    /// The parameters of a URL query string such as `turn=3&lang=pl-PL`, with or without its `?`
    /// (error offsets count it).
    public static func parameters(inQuery query: some StringProtocol) throws(TwilioFormError) -> [String: String] {
        let bytes = Array(query.utf8)
        return try parameters(in: bytes, from: bytes.first == UInt8(ascii: "?") ? 1 : 0)
    }

    private static let ampersand = UInt8(ascii: "&")
    private static let equals = UInt8(ascii: "=")

    private static func parameters(in bytes: [UInt8], from first: Int) throws(TwilioFormError) -> [String: String] {
        var parameters: [String: String] = [:]
        var start = first
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: ampersand) ?? bytes.count
            if end > start {
                let (name, value) = try pair(bytes, from: start, to: end)
                if parameters[name] == nil { parameters[name] = value }
            }
            start = end + 1
        }
        return parameters
    }

    /// The decoded name and value of the pair `bytes[start..<end]`.
    private static func pair(_ bytes: [UInt8], from start: Int, to end: Int) throws(TwilioFormError) -> (String, String) {
        let separator = bytes[start..<end].firstIndex(of: equals)
        let nameEnd = separator ?? end
        guard let name = String(validating: try decoded(bytes, from: start, to: nameEnd), as: UTF8.self) else {
            throw .invalidUTF8InName(offset: start)
        }
        guard let separator else { return (name, "") }
        let valueStart = separator + 1
        guard let value = String(validating: try decoded(bytes, from: valueStart, to: end), as: UTF8.self) else {
            throw .invalidUTF8InValue(name: name, offset: valueStart)
        }
        return (name, value)
    }

    /// `bytes[start..<end]` with `+` as a space and `%XX` escapes replaced by their byte.
    private static func decoded(_ bytes: [UInt8], from start: Int, to end: Int) throws(TwilioFormError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(end - start)
        var index = start
        while index < end {
            switch bytes[index] {
            case UInt8(ascii: "+"):
                output.append(UInt8(ascii: " "))
                index += 1
            case UInt8(ascii: "%"):
                guard index + 2 < end, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) else {
                    throw .invalidPercentEscape(offset: index)
                }
                output.append(high << 4 | low)
                index += 3
            case let byte:
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
