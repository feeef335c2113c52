import Foundation
import Gateway
import Storage
import Telemetry
import TestSupport
import Testing
import WebServer
import WebSite

/// The chat page, the agent console and their files, over HTTP from a live gateway on port 0:
/// types, caching, the security policy, relative URLs only, conditional requests, and pages
/// served from a folder.
struct WebPagesTests {
    private static func start(_ directory: TemporaryDirectory, pages: WebPagesSettings = WebPagesSettings()) throws -> RunningGateway {
        let configuration = GatewayConfiguration(
            server: ServerConfiguration(port: 0), database: DatabaseConfiguration(path: directory.path("pages.sqlite")),
            webPages: pages)
        let gateway = try Gateway(
            configuration: configuration, logger: Logger(level: .error, sink: MemoryLogSink()),
            understanding: EngineFixture.understanding)
        return try RunningGateway(gateway)
    }

    private static func stop(_ gateway: RunningGateway) async {
        await gateway.stop()
    }

    private static func text(_ response: RawHTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    /// The URLs a page names in `src="…"` and `href="…"`.
    static func linkedURLs(in html: String) -> [String] {
        html.matches(of: /(?:src|href)="([^"]*)"/).map { String($0.output.1) }
    }

    /// The modules a script imports or re-exports (`import … from "./x.js"`, `import "./x.js"`,
    /// `export … from "./x.js"`): statements at the start of a line, so a string such as
    /// `get("from")` in the code is not taken for one.
    static func importedModules(in script: String) -> [String] {
        script.matches(of: /^\s*(?:import|export)\b[^"';]*?(?:from|import)\s*["']([^"']+)["']/.anchorsMatchLineEndings())
            .map { String($0.output.1) }
    }

    /// `reference` resolved against the URL path `base`, as a browser does.
    static func resolve(_ reference: String, against base: String) -> String {
        URL(string: reference, relativeTo: URL(string: "http://gateway" + base))!.absoluteURL.path
    }

    @Test("GET /, GET /agent and GET /admin: HTML revalidated on every load, with a policy allowing only the gateway's own origin")
    func pagesAndTheirHeaders() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory)
        let client = HTTPTestClient(port: gateway.port)
        try await blocking {
            for (path, ancestors) in [
                ("/", "frame-ancestors 'self'"), ("/agent", "frame-ancestors 'none'"), ("/admin", "frame-ancestors 'none'"),
            ] {
                let page = try client.get(path)
                #expect(page.status == 200, "\(path)")
                #expect(page.headers["content-type"] == "text/html; charset=utf-8")
                #expect(page.headers["cache-control"] == "no-cache")
                #expect(page.headers["x-content-type-options"] == "nosniff")
                let policy = try #require(page.headers["content-security-policy"])
                for directive in ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
                                  "base-uri 'none'", "form-action 'none'", ancestors] {
                    #expect(policy.contains(directive), "\(path): \(directive) in \(policy)")
                }
                #expect(!policy.contains("unsafe") && !policy.contains("http"), "no inline code, no other origin: \(policy)")
                let html = Self.text(page)
                #expect(html.contains("<html lang="))
                #expect(!html.contains("{{static}}"), "the template is filled in")
            }
            #expect(try client.get("/agent").headers["x-frame-options"] == "DENY")
            #expect(try client.get("/admin").headers["x-frame-options"] == "DENY")
            #expect(try client.get("/").headers["x-frame-options"] == nil, "a shop may embed the chat page (with the setting)")
        }
        await Self.stop(gateway)
    }

    @Test("every file the pages name, and every module those import, is served with its type and cached for good; all URLs are relative")
    func everyLinkedFileIsServed() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory)
        let client = HTTPTestClient(port: gateway.port)
        try await blocking {
            var seen: Set<String> = []
            var pending: [(reference: String, base: String)] = []
            for page in ["/", "/agent", "/admin"] {
                let html = Self.text(try client.get(page))
                let links = Self.linkedURLs(in: html)
                #expect(links.contains { $0.hasSuffix(".js") } && links.contains { $0.hasSuffix(".css") }, "\(page): \(links)")
                pending += links.map { ($0, page) }
            }
            while let (reference, base) = pending.popLast() {
                #expect(!reference.hasPrefix("/") && !reference.contains("://"),
                        "\(reference) in \(base) is relative, so a path prefix in front of the gateway keeps working")
                // "?lang=en" and "#main" are the page itself, not a file.
                guard !reference.hasPrefix("?"), !reference.hasPrefix("#") else { continue }
                let path = Self.resolve(reference, against: base)
                guard seen.insert(path).inserted else { continue }
                let file = try client.get(path)
                #expect(file.status == 200, "\(path) (from \(base))")
                #expect(file.headers["content-type"] == MediaType.forFile(named: path), "\(path)")
                #expect(file.headers["cache-control"] == "public, max-age=31536000, immutable", "\(path)")
                #expect(file.headers["etag"] != nil)
                if path.hasSuffix(".js") {
                    pending += Self.importedModules(in: Self.text(file)).map { ($0, path) }
                }
            }
            #expect(seen.contains { $0.hasSuffix("/socket.js") }, "the modules' own imports were followed: \(seen)")
            #expect(seen.contains { $0.hasSuffix("/admin-charts.js") } && seen.contains { $0.hasSuffix("/agent-i18n.js") },
                    "the dashboard's modules and the console's words it reuses: \(seen)")
        }
        await Self.stop(gateway)
    }

    @Test("the shipped pages hold no inline script, style or event handler, which the policy would block")
    func pagesFitThePolicy() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory)
        let client = HTTPTestClient(port: gateway.port)
        try await blocking {
            for page in ["/", "/agent", "/admin"] {
                let html = Self.text(try client.get(page))
                let scripts = html.matches(of: /<script\b([^>]*)>/).map { String($0.output.1) }
                #expect(!scripts.isEmpty && scripts.allSatisfy { $0.contains("src=") }, "\(page): \(scripts)")
                #expect(html.firstMatch(of: /<style\b/) == nil, "\(page)")
                #expect(html.firstMatch(of: /\sstyle\s*=/) == nil, "\(page)")
                #expect(html.firstMatch(of: /\son[a-z]+\s*=/) == nil, "\(page)")
            }
        }
        await Self.stop(gateway)
    }

    @Test("a browser's current copy gets 304 without a body; HEAD gets the headers only")
    func conditionalRequests() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory)
        let client = HTTPTestClient(port: gateway.port)
        try await blocking {
            let page = try client.get("/")
            let tag = try #require(page.headers["etag"])
            let again = try client.get("/", headers: ["If-None-Match": tag])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            #expect(again.headers["etag"] == tag)
            #expect(try client.get("/", headers: ["If-None-Match": "\"other\", W/\(tag)"]).status == 304)
            #expect(try client.get("/", headers: ["If-None-Match": "\"other\""]).status == 200)
            let agentTag = try #require(try client.get("/agent").headers["etag"])
            #expect(agentTag != tag)

            let connection = try RawConnection(port: gateway.port)
            try connection.send(HTTPTestClient.encode("HEAD", "/agent"))
            let head = try connection.readResponse(hasBody: false)
            #expect(head.status == 200)
            #expect(head.headers["content-length"].flatMap(Int.init) == (try client.get("/agent")).body.count)
        }
        await Self.stop(gateway)
    }

    @Test("files outside the site, pages under /static, hidden names and unknown files are 404; an old version gets today's file uncached")
    func staticRoutesRefuseWhatIsNotAFile() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory)
        let client = HTTPTestClient(port: gateway.port)
        try await blocking {
            let html = Self.text(try client.get("/"))
            let script = try #require(Self.linkedURLs(in: html).first { $0.hasSuffix(".js") })
            let folder = String(script[..<script.lastIndex(of: "/")!])
            #expect(try client.get("/\(folder)/socket.js").status == 200)
            for path in ["/\(folder)/index.html", "/\(folder)/agent.html", "/\(folder)/nothing.js", "/\(folder)/.hidden",
                         "/\(folder)/../../Package.swift", "/\(folder)/%2e%2e/Package.swift", "/static/socket.js"] {
                let response = try client.get(path)
                #expect(response.status == 404, "\(path): \(response.status)")
            }
            let old = try client.get("/static/0123456789ab/socket.js")
            #expect(old.status == 200)
            #expect(old.headers["cache-control"] == "no-cache", "a page from before an upgrade still works, and nothing stale is cached")
            #expect(try client.request("POST", "/", body: Array("x".utf8)).status == 405)
        }
        await Self.stop(gateway)
    }

    @Test("/agent/ and /admin/ send the browser to ../agent and ../admin, so the pages' relative URLs (and a path prefix) stay right")
    func trailingSlashRedirects() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory)
        let client = HTTPTestClient(port: gateway.port)
        try await blocking {
            for name in ["agent", "admin"] {
                let response = try client.get("/\(name)/")
                #expect(response.status == 308)
                #expect(response.headers["location"] == "../\(name)")
                #expect(Self.resolve("../\(name)", against: "/shop/bot/\(name)/") == "/shop/bot/\(name)")
            }
        }
        await Self.stop(gateway)
    }

    @Test("origins allowed to frame the chat page are added to its policy, never to the console's")
    func frameAncestors() async throws {
        let directory = TemporaryDirectory()
        let ancestors = try WebPagesSettings.frameAncestors(from: "https://Shop.example, https://www.shop.example:8443/")
        #expect(ancestors == ["https://shop.example", "https://www.shop.example:8443"])
        let gateway = try Self.start(directory, pages: WebPagesSettings(chatFrameAncestors: ancestors))
        let client = HTTPTestClient(port: gateway.port)
        try await blocking {
            let chat = try #require(try client.get("/").headers["content-security-policy"])
            #expect(chat.hasSuffix("frame-ancestors 'self' https://shop.example https://www.shop.example:8443"), "\(chat)")
            let console = try #require(try client.get("/agent").headers["content-security-policy"])
            #expect(console.hasSuffix("frame-ancestors 'none'"))
        }
        await Self.stop(gateway)
    }

    @Test("a frame ancestor must be a plain http(s) origin", arguments: [
        "shop.example", "ftp://shop.example", "https://shop.example/path", "https://*.shop.example", "https://",
        "https://shop.example?x=1", "'unsafe-inline'", "https://user@shop.example",
    ])
    func frameAncestorIsAnOrigin(_ entry: String) {
        #expect(throws: WebPagesSettingsError.notAnOrigin(entry)) {
            try WebPagesSettings.frameAncestors(from: "https://ok.example \(entry)")
        }
    }

    @Test("pages served from a folder: read at every request, templates filled, nothing cached, nothing outside it")
    func siteFromAFolder() async throws {
        let directory = TemporaryDirectory()
        let site = directory.url.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        try #"<html lang="pl"><link rel="stylesheet" href="{{static}}/look.css"></html>"#
            .write(to: site.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        try "body { color: black }".write(to: site.appendingPathComponent("look.css"), atomically: true, encoding: .utf8)
        try "secret".write(to: directory.url.appendingPathComponent("outside.txt"), atomically: true, encoding: .utf8)
        let gateway = try Self.start(directory, pages: WebPagesSettings(siteDirectory: site.path))
        let client = HTTPTestClient(port: gateway.port)
        try await blocking {
            let page = try client.get("/")
            #expect(Self.text(page) == #"<html lang="pl"><link rel="stylesheet" href="static/local/look.css"></html>"#)
            #expect(page.headers["content-security-policy"] != nil)
            let style = try client.get("/static/local/look.css")
            #expect(style.status == 200 && style.headers["content-type"] == "text/css; charset=utf-8")
            #expect(style.headers["cache-control"] == "no-cache", "a folder's files change at any time")

            try "body { color: navy }".write(to: site.appendingPathComponent("look.css"), atomically: true, encoding: .utf8)
            #expect(Self.text(try client.get("/static/local/look.css")) == "body { color: navy }")
            #expect(try client.get("/static/local/look.css", headers: ["If-None-Match": style.headers["etag"] ?? ""]).status == 200)

            #expect(try client.get("/agent").status == 404, "a folder without agent.html has no console")
            for path in ["/static/local/../outside.txt", "/static/local/%2e%2e/outside.txt", "/static/local/nothing.css"] {
                #expect(try client.get(path).status == 404, "\(path)")
            }
        }
        await Self.stop(gateway)
    }
}
