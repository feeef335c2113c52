import Foundation

/// Serves the files under one directory: the right Content-Type, an ETag, a Cache-Control policy,
/// and 304 when the client's copy is current. Nothing outside the directory is reachable, and
/// hidden files (`.name`) are never served.
public struct StaticFiles: Sendable {
    /// The directory files are served from.
    public let root: URL
    /// The Cache-Control value sent with every file.
    public let cacheControl: String

    public init(root: URL, cacheControl: String = "no-cache") {
        self.root = root.standardizedFileURL
        self.cacheControl = cacheControl
    }

    /// The response for the file at `relativePath` (a path below `root`, `/`-separated).
    public func response(for relativePath: String, headers: HTTPHeaders = [:]) throws(HTTPError) -> HTTPResponse {
        let components = relativePath.split(separator: "/", omittingEmptySubsequences: true)
        guard !components.isEmpty, !components.contains(where: { $0.hasPrefix(".") || $0.contains("\0") }) else {
            throw .notFound
        }
        let file = components.reduce(root) { $0.appendingPathComponent(String($1)) }.standardizedFileURL
        guard file.path.hasPrefix(root.path + "/"),
              let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
              attributes[.type] as? FileAttributeType == .typeRegular,
              let contents = FileManager.default.contents(atPath: file.path) else {
            throw .notFound
        }
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let tag = "\"\(String(contents.count, radix: 16))-\(String(Int64(modified * 1000), radix: 16))\""
        var responseHeaders: HTTPHeaders = ["etag": tag, "cache-control": cacheControl]
        if headers["if-none-match"] == tag {
            return HTTPResponse(status: .notModified, headers: responseHeaders)
        }
        responseHeaders.set("content-type", MediaType.forFile(named: file.lastPathComponent))
        return HTTPResponse(status: .ok, headers: responseHeaders, body: contents)
    }

    /// A handler for a route with a `{path...}` parameter, such as `/static/{path...}`.
    public func handler(parameter: String = "path") -> HTTPHandler {
        { request in try self.response(for: request.pathParameters[parameter] ?? "", headers: request.headers) }
    }
}
