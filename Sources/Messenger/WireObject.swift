import Wire

/// A JSON object of a webhook body being read into its wire type: a member absent or null is nil,
/// a member of the wrong type is an error naming where it is ("entry[0].messaging[0].timestamp").
struct WireObject {
    private let members: [String: JSONValue]
    private let path: String

    init(_ value: JSONValue, at path: String = "") throws(MessengerPayloadError) {
        guard case .object(let members) = value else { throw .malformed("wrong type at \(path.isEmpty ? "the top" : path)") }
        self.members = members
        self.path = path
    }

    private func member(_ key: String) -> JSONValue? {
        switch members[key] {
        case nil, .null?: nil
        case let value?: value
        }
    }

    /// Where the member `key` is in the body ("entry[0].messaging[0].timestamp").
    private func path(of key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    private func wrongType(_ key: String) -> MessengerPayloadError {
        .malformed("wrong type at \(path(of: key))")
    }

    func string(_ key: String) throws(MessengerPayloadError) -> String? {
        guard let value = member(key) else { return nil }
        guard case .string(let text) = value else { throw wrongType(key) }
        return text
    }

    func bool(_ key: String) throws(MessengerPayloadError) -> Bool? {
        guard let value = member(key) else { return nil }
        guard case .bool(let flag) = value else { throw wrongType(key) }
        return flag
    }

    func int64(_ key: String) throws(MessengerPayloadError) -> Int64? {
        guard let value = member(key) else { return nil }
        guard case .number(let number) = value, let whole = Self.whole(number) else { throw wrongType(key) }
        return whole
    }

    /// An id sent as a number in some places and as a string in others, as text.
    func lenientID(_ key: String) throws(MessengerPayloadError) -> String? {
        switch member(key) {
        case nil: return nil
        case .string(let text)?: return text
        case .number(let number)?: if let whole = Self.whole(number) { return String(whole) }
        default: break
        }
        throw wrongType(key)
    }

    func strings(_ key: String) throws(MessengerPayloadError) -> [String]? {
        guard let value = member(key) else { return nil }
        guard case .array(let elements) = value else { throw wrongType(key) }
        var strings: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element else { throw wrongType("\(key)[\(index)]") }
            strings.append(text)
        }
        return strings
    }

    func object<Value>(
        _ key: String, _ make: (WireObject) throws(MessengerPayloadError) -> Value
    ) throws(MessengerPayloadError) -> Value? {
        guard let value = member(key) else { return nil }
        return try make(WireObject(value, at: path(of: key)))
    }

    func objects<Value>(
        _ key: String, _ make: (WireObject) throws(MessengerPayloadError) -> Value
    ) throws(MessengerPayloadError) -> [Value]? {
        guard let value = member(key) else { return nil }
        guard case .array(let elements) = value else { throw wrongType(key) }
        var values: [Value] = []
        values.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            values.append(try make(WireObject(element, at: "\(path(of: key))[\(index)]")))
        }
        return values
    }

    /// A JSON number that is a whole Int64 (exactly: beyond 2^53 a double is not).
    private static func whole(_ number: Double) -> Int64? {
        guard number == number.rounded(), abs(number) <= 9_007_199_254_740_992 else { return nil }
        return Int64(number)
    }
}
