import Foundation
import Testing
import TestSupport
import WebServer

/// Static files over a live server: types, lengths, caching, and nothing outside the root.
struct StaticFilesTests {
    private static let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        .appendingPathComponent("static")

    private static func server() throws -> TestServer {
        let files = StaticFiles(root: root, cacheControl: "public, max-age=60")
        return try TestServer { router in router.get("/static/{path...}", files.handler()) }
    }

    /// A file is served with the Content-Type of its extension and its exact length.
    @Test func fileHasTypeAndLength() async throws {
        let server = try Self.server()
        let (html, css) = try await blocking {
            (try server.client.get("/static/index.html"), try server.client.get("/static/css/site.css"))
        }
        await server.stop()
        let expected = try Data(contentsOf: Self.root.appendingPathComponent("index.html"))
        #expect(html.status == 200)
        #expect(html.headers["content-type"] == "text/html; charset=utf-8")
        #expect(html.headers["content-length"] == String(expected.count))
        #expect(Data(html.body) == expected)
        #expect(html.headers["cache-control"] == "public, max-age=60")
        #expect(css.headers["content-type"] == "text/css; charset=utf-8")
    }

    /// A client holding the current ETag gets 304 with no body.
    @Test func matchingETagGets304() async throws {
        let server = try Self.server()
        let (first, second) = try await blocking {
            let first = try server.client.get("/static/index.html")
            let tag = first.headers["etag"] ?? "none"
            return (first, try server.client.get("/static/index.html", headers: ["If-None-Match": tag]))
        }
        await server.stop()
        #expect(first.headers["etag"] != nil)
        #expect(second.status == 304)
        #expect(second.body.isEmpty)
    }

    /// Hidden files, directories, missing files and escapes from the root are all 404.
    @Test(arguments: ["/static/.hidden", "/static/css", "/static/missing.js", "/static/../Package.swift",
                      "/static/%2e%2e/%2e%2e/etc/passwd"])
    func outsideOrHiddenIsNotFound(_ path: String) async throws {
        let server = try Self.server()
        let response = try await blocking { try server.client.get(path) }
        await server.stop()
        #expect(response.status == 404)
    }
}
