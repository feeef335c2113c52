/// Which web pages may open the server's WebSockets (`Origin` of the upgrade request): a page
/// served by this server itself (its origin's host is the request's `Host`), any origin listed,
/// and clients that are not browsers (they send no `Origin`; a browser always does, so a page of
/// another site can never pass for one). Stops other sites' pages from using a visitor's browser
/// to talk to the chat or the console.
public struct OriginPolicy: Sendable, Equatable {
    /// Origins allowed besides the server's own, as browsers write them: `https://shop.example`.
    public let allowed: Set<String>

    public init(allowed: [String] = []) {
        self.allowed = Set(allowed.map(Self.normalised))
    }

    /// Only the server's own pages.
    public static let sameOrigin = OriginPolicy()

    /// Reads `ORDERBOT_ALLOWED_ORIGINS`: origins separated by commas or spaces, each
    /// `http(s)://host[:port]` with nothing after; nil and the offending entry otherwise.
    public static func parse(_ list: String) -> Result<OriginPolicy, OriginListError> {
        var origins: [String] = []
        for entry in list.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) {
            guard isOrigin(entry) else { return .failure(OriginListError(entry: entry)) }
            origins.append(entry)
        }
        return .success(OriginPolicy(allowed: origins))
    }

    /// Whether an upgrade with these `Origin` and `Host` headers may open a socket.
    public func allows(origin: String?, host: String?) -> Bool {
        guard let origin else { return true }
        let written = Self.normalised(origin)
        if allowed.contains(written) { return true }
        guard let host, !host.isEmpty else { return false }
        let lowerHost = host.lowercased()
        return written == "http://" + lowerHost || written == "https://" + lowerHost
    }

    private static func normalised(_ origin: String) -> String {
        var text = origin.lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// `scheme://host[:port]`, a slash at the end forgiven (browsers never send one).
    private static func isOrigin(_ entry: String) -> Bool {
        let lower = normalised(entry)
        guard let rest = ["https://", "http://"].first(where: lower.hasPrefix).map({ lower.dropFirst($0.count) }) else { return false }
        return !rest.isEmpty && !rest.contains("/") && !rest.contains("?") && !rest.contains("#") && !rest.contains("@")
    }
}

/// An `ORDERBOT_ALLOWED_ORIGINS` entry that is not an origin.
public struct OriginListError: Error, Equatable, CustomStringConvertible {
    public let entry: String
    public var description: String {
        "\"\(entry)\" is not an origin: write scheme://host[:port], e.g. https://shop.example"
    }
}
