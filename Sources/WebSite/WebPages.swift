import Foundation
import WebServer

/// `GET /` (the customer chat page), `GET /agent` (the agents' console), `GET /admin` (the shop
/// owner's dashboard) and their files under `GET /static/<version>/<name>`.
///
/// Every URL in the pages is relative, so they work unchanged behind a path prefix. Pages are
/// revalidated on every load (`no-cache` with an ETag); the files they name carry the version in
/// their URL and are cached for a year. A page is sent with a Content-Security-Policy that lets
/// it load scripts, styles and sockets from the gateway's own origin only.
package struct WebPages: Sendable {
    let files: SiteFiles
    let settings: WebPagesSettings

    package init(settings: WebPagesSettings) {
        self.settings = settings
        files = settings.siteDirectory.map { .directory(URL(fileURLWithPath: $0, isDirectory: true)) } ?? .builtIn()
    }

    /// The pages and what frames them.
    enum Page: String, Sendable {
        case chat = "index.html"
        case agentConsole = "agent.html"
        case adminDashboard = "admin.html"

        /// Pages for staff, with a token: never framed by another site.
        var isStaffOnly: Bool {
            switch self {
            case .chat: false
            case .agentConsole, .adminDashboard: true
            }
        }
    }

    package func install(in router: inout Router) {
        route(in: &router, "/") { request throws(HTTPError) in try page(.chat, request) }
        staffPage(in: &router, "agent", .agentConsole)
        staffPage(in: &router, "admin", .adminDashboard)
        route(in: &router, "/static/{version}/{path...}") { request throws(HTTPError) in try asset(request) }
    }

    /// `/<name>` serves a staff page; `/<name>/` would resolve the page's relative URLs below
    /// `/<name>/`, so it sends the browser to the form without the slash, relative so a path
    /// prefix is kept.
    private func staffPage(in router: inout Router, _ name: String, _ staffPage: Page) {
        route(in: &router, "/\(name)") { request throws(HTTPError) in
            if request.path.hasSuffix("/") {
                return HTTPResponse(status: .permanentRedirect, headers: ["location": "../\(name)"])
            }
            return try page(staffPage, request)
        }
    }

    /// Built-in files are answered on the I/O thread (a dictionary look-up); a folder's are read
    /// on the cooperative pool.
    private func route(in router: inout Router, _ pattern: String, _ handler: @escaping InlineHTTPHandler) {
        if files.readsDisk {
            router.get(pattern) { request in try handler(request) }
        } else {
            router.addInline(.get, pattern, handler)
        }
    }

    func page(_ page: Page, _ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        guard let file = files.file(page.rawValue) else { throw .notFound }
        var headers = Self.securityHeaders
        headers.set("content-security-policy", contentSecurityPolicy(for: page))
        if page.isStaffOnly { headers.set("x-frame-options", "DENY") }
        return Self.response(file, cacheControl: "no-cache", headers: headers, request)
    }

    func asset(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        let path = request.pathParameters["path"] ?? ""
        guard !path.hasSuffix(".html"), let file = files.file(path) else { throw .notFound }
        // A page from before an upgrade may ask for the old version: it gets today's file, not
        // cached, rather than a broken page.
        let current = request.pathParameters["version"] == files.version && files.version != SiteFiles.directoryVersion
        return Self.response(
            file, cacheControl: current ? "public, max-age=31536000, immutable" : "no-cache", headers: Self.securityHeaders, request)
    }

    /// `default-src 'none'` and then only what the pages use, from the gateway's own origin.
    func contentSecurityPolicy(for page: Page) -> String {
        let ancestors = switch page {
        case .chat: (["'self'"] + settings.chatFrameAncestors).joined(separator: " ")
        case .agentConsole, .adminDashboard: "'none'"
        }
        return "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors \(ancestors)"
    }

    private static let securityHeaders: HTTPHeaders = [
        "x-content-type-options": "nosniff", "referrer-policy": "no-referrer",
    ]

    /// The file, or 304 when the browser's copy (`If-None-Match`) is this one.
    private static func response(_ file: SiteFile, cacheControl: String, headers: HTTPHeaders, _ request: HTTPRequest) -> HTTPResponse {
        var headers = headers
        headers.set("etag", file.entityTag)
        headers.set("cache-control", cacheControl)
        if matches(request.headers["if-none-match"], file.entityTag) {
            return HTTPResponse(status: .notModified, headers: headers)
        }
        headers.set("content-type", file.contentType)
        return HTTPResponse(status: .ok, headers: headers, body: file.body)
    }

    /// `If-None-Match`: `*`, or a list of tags, weak ones compared by their opaque part.
    package static func matches(_ ifNoneMatch: String?, _ tag: String) -> Bool {
        guard let ifNoneMatch else { return false }
        return ifNoneMatch.split(separator: ",").contains { candidate in
            let trimmed = candidate.trimmingCharacters(in: .whitespaces)
            return trimmed == "*" || trimmed == tag || trimmed == "W/" + tag
        }
    }
}
