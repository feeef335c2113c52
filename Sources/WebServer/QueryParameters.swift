/// The `name=value` pairs of a request's query string, already percent-decoded, in order.
public struct QueryParameters: Sendable, Equatable, Sequence {
    private let pairs: [(name: String, value: String)]

    /// Parameters from decoded `name=value` (or bare `name`) pieces, as libwebsockets delivers them.
    init(decodedPieces: [String]) {
        pairs = decodedPieces.compactMap { piece in
            guard !piece.isEmpty else { return nil }
            guard let equals = piece.firstIndex(of: "=") else { return (piece, "") }
            return (String(piece[..<equals]), String(piece[piece.index(after: equals)...]))
        }
    }

    /// No parameters.
    public init() { pairs = [] }

    /// The first value of `name`, or nil when absent.
    public subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    public var isEmpty: Bool { pairs.isEmpty }

    public func makeIterator() -> some IteratorProtocol<(name: String, value: String)> { pairs.makeIterator() }

    public static func == (lhs: QueryParameters, rhs: QueryParameters) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }
}
