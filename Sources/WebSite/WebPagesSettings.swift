import Foundation

/// How the chat page and the agent console are served.
public struct WebPagesSettings: Sendable, Equatable {
    /// Origins (`https://shop.example`) whose pages may show the chat page in a frame, besides
    /// the gateway's own; the agent console is never framed.
    public var chatFrameAncestors: [String]
    /// A folder to serve the pages from, read at every request, instead of the copy built into
    /// orderbot (a shop's own look, or working on the pages without rebuilding). Nil: built in.
    public var siteDirectory: String?

    public init(chatFrameAncestors: [String] = [], siteDirectory: String? = nil) {
        self.chatFrameAncestors = chatFrameAncestors
        self.siteDirectory = siteDirectory
    }

    /// Reads a space- or comma-separated list of origins, each `http(s)://host[:port]` with
    /// nothing after it.
    public static func frameAncestors(from list: String) throws(WebPagesSettingsError) -> [String] {
        let entries = list.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        return try entries.map { entry throws(WebPagesSettingsError) -> String in
            guard let components = URLComponents(string: entry), let scheme = components.scheme?.lowercased(),
                  ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty,
                  components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil,
                  components.user == nil, !entry.contains("*")
            else { throw .notAnOrigin(entry) }
            return "\(scheme)://\(host.lowercased())" + (components.port.map { ":\($0)" } ?? "")
        }
    }
}

/// A web pages setting that cannot be used.
public enum WebPagesSettingsError: Error, Equatable, CustomStringConvertible {
    /// A frame ancestor that is not an `http(s)://host[:port]` origin.
    case notAnOrigin(String)

    public var description: String {
        switch self {
        case .notAnOrigin(let entry): "\"\(entry)\" is not an origin like https://shop.example or https://shop.example:8443"
        }
    }
}
