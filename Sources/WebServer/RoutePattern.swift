/// A path pattern such as `/api/orders/{id}` or `/static/{path...}`.
///
/// `{name}` matches one non-empty segment; `{name...}` (last only) matches the rest of the path,
/// one segment or more.
public struct RoutePattern: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case parameter(String)
        case remainder(String)
    }

    let segments: [Segment]
    /// The pattern as written.
    public let description: String

    public init(_ pattern: String) {
        precondition(pattern.hasPrefix("/"), "a route pattern starts with /: \(pattern)")
        description = pattern
        segments = Self.split(pattern).map { piece in
            guard piece.hasPrefix("{"), piece.hasSuffix("}") else { return .literal(String(piece)) }
            let name = piece.dropFirst().dropLast()
            if name.hasSuffix("...") { return .remainder(String(name.dropLast(3))) }
            return .parameter(String(name))
        }
        precondition(
            !segments.dropLast().contains { if case .remainder = $0 { true } else { false } },
            "{name...} must be the last segment of \(pattern)")
    }

    /// The parameter values when `path` matches, else nil.
    func match(_ pathSegments: [Substring]) -> [String: String]? {
        var parameters: [String: String] = [:]
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .literal(let text):
                guard index < pathSegments.count, pathSegments[index] == text else { return nil }
            case .parameter(let name):
                guard index < pathSegments.count else { return nil }
                parameters[name] = String(pathSegments[index])
            case .remainder(let name):
                guard index < pathSegments.count else { return nil }
                parameters[name] = pathSegments[index...].joined(separator: "/")
                return parameters
            }
        }
        return pathSegments.count == segments.count ? parameters : nil
    }

    /// The path this pattern matches when it has no parameters (`/healthz`), else nil.
    var literalPath: String? {
        var path = ""
        for segment in segments {
            guard case .literal(let text) = segment else { return nil }
            path += "/" + text
        }
        return path.isEmpty ? "/" : path
    }

    /// `path` without a trailing slash (but `/` stays `/`), as literal routes are keyed.
    static func withoutTrailingSlash(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// The non-empty `/`-separated segments of a path.
    static func split(_ path: some StringProtocol) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true).map { Substring($0) }
    }
}
