import Foundation
import Testing
@testable import WebServer

/// Routing straight through `Router`, no socket: patterns, parameters, 404/405, HEAD, errors.
struct RouterTests {
    private func router() -> Router {
        var router = Router()
        router.get("/api/orders/{id}") { request in .text("order \(request.pathParameters["id"] ?? "?")") }
        router.delete("/api/orders/{id}") { _ in .status(.noContent) }
        router.get("/static/{path...}") { request in .text(request.pathParameters["path"] ?? "") }
        router.get("/fail") { _ in throw HTTPError(.conflict, code: "taken", message: "Already taken.") }
        router.get("/crash") { _ in throw CocoaError(.fileNoSuchFile) }
        return router
    }

    /// A `{name}` segment captures exactly one segment of the path.
    @Test func pathParameterIsCaptured() async {
        let response = await router().respond(to: HTTPRequest(method: .get, path: "/api/orders/42"))
        #expect(response.status == .ok)
        #expect(String(decoding: response.body, as: UTF8.self) == "order 42")
    }

    /// A trailing `{name...}` segment captures the rest of the path, slashes included.
    @Test func remainderParameterCapturesTheRest() async {
        let response = await router().respond(to: HTTPRequest(method: .get, path: "/static/css/site.css"))
        #expect(String(decoding: response.body, as: UTF8.self) == "css/site.css")
    }

    /// A path no route has is a 404 with the contract's JSON error body.
    @Test func unknownPathIsNotFound() async throws {
        let response = await router().respond(to: HTTPRequest(method: .get, path: "/api/orders"))
        #expect(response.status == .notFound)
        let body = try JSONSerialization.jsonObject(with: response.body) as? [String: [String: String]]
        #expect(body?["error"]?["code"] == "not_found")
    }

    /// A known path with another method is a 405 that lists the allowed methods.
    @Test func wrongMethodIsNotAllowedWithAllowHeader() async {
        let response = await router().respond(to: HTTPRequest(method: .post, path: "/api/orders/7"))
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["allow"] == "GET, DELETE, HEAD")
    }

    /// HEAD is served by the GET route of the same path.
    @Test func headUsesTheGetRoute() async {
        let response = await router().respond(to: HTTPRequest(method: .head, path: "/api/orders/9"))
        #expect(response.status == .ok)
    }

    /// An `HTTPError` thrown by a handler becomes its own status and code.
    @Test func thrownHTTPErrorKeepsItsStatus() async {
        let response = await router().respond(to: HTTPRequest(method: .get, path: "/fail"))
        #expect(response.status == .conflict)
        #expect(String(decoding: response.body, as: UTF8.self).contains("\"taken\""))
    }

    /// Any other error becomes a 500 `internal` that reveals nothing of the error.
    @Test func otherErrorsBecomeOpaque500() async {
        let response = await router().respond(to: HTTPRequest(method: .get, path: "/crash"))
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(response.status == .internalServerError)
        #expect(text.contains("\"internal\""))
        #expect(!text.contains("fileNoSuchFile") && !text.contains("Cocoa"))
    }

    /// Patterns are literal about segments: a longer or shorter path does not match.
    @Test func segmentCountMustMatch() {
        let pattern = RoutePattern("/api/orders/{id}")
        #expect(pattern.match(RoutePattern.split("/api/orders/1/lines")) == nil)
        #expect(pattern.match(RoutePattern.split("/api/orders")) == nil)
        #expect(pattern.match(RoutePattern.split("/api/orders/1/")) == ["id": "1"])
    }

    /// The body's media type without parameters or optional whitespace, lowercased; nil without the header.
    @Test(arguments: [
        ("application/json", "application/json"), ("Application/JSON; charset=utf-8", "application/json"),
        (" \ttext/plain \t;q=1", "text/plain"), ("", ""), (";", ""), ("multipart/form-data;boundary=x", "multipart/form-data"),
    ])
    func contentTypeIsTheMediaType(_ header: String, _ expected: String) {
        #expect(HTTPRequest(method: .post, path: "/", headers: ["content-type": header]).contentType == expected)
    }

    @Test func noContentTypeWithoutTheHeader() {
        #expect(HTTPRequest(method: .post, path: "/").contentType == nil)
    }
}
