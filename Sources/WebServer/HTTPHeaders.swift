/// Header fields in order, looked up case-insensitively. Names are stored in lowercase.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    private var fields: [(name: String, value: String)] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { add(name, value) }
    }

    /// The first value of the header `name`, or nil.
    public subscript(name: String) -> String? {
        let key = name.asciiLowercased
        return fields.first { $0.name == key }?.value
    }

    /// Every value of the header `name`, in order.
    public func values(_ name: String) -> [String] {
        let key = name.asciiLowercased
        return fields.filter { $0.name == key }.map(\.value)
    }

    /// Adds a field, keeping any existing ones with the same name.
    public mutating func add(_ name: String, _ value: String) {
        fields.append((name.asciiLowercased, value))
    }

    /// Replaces every field named `name` with one holding `value`.
    public mutating func set(_ name: String, _ value: String) {
        let key = name.asciiLowercased
        fields.removeAll { $0.name == key }
        fields.append((key, value))
    }

    /// Removes every field named `name`.
    public mutating func remove(_ name: String) {
        let key = name.asciiLowercased
        fields.removeAll { $0.name == key }
    }

    /// Whether a field named `name` is present.
    public func contains(_ name: String) -> Bool { self[name] != nil }

    public func makeIterator() -> some IteratorProtocol<(name: String, value: String)> { fields.makeIterator() }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }
}

extension String {
    /// The string with ASCII letters lowercased; itself, without a copy, when it has none upper.
    var asciiLowercased: String {
        utf8.contains { $0 >= 0x41 && $0 <= 0x5a } ? lowercased() : self
    }
}
