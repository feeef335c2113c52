import Foundation
import Synchronization
import Testing
import TestSupport
import WebServer

/// HTTP over real sockets against a server on port 0: requests, bodies, limits, errors.
struct HTTPServerTests {
    private static func echoServer(_ configuration: ServerConfiguration = ServerConfiguration()) throws -> TestServer {
        try TestServer(configuration) { router in
            router.get("/hello") { _ in .text("hello") }
            router.post("/echo") { request in
                HTTPResponse(status: .ok, headers: ["content-type": "application/octet-stream"], body: request.body)
            }
            router.addInline(.post, "/inline-echo") { request in HTTPResponse(body: request.body) }
            router.addInline(.get, "/inline-hello") { _ in .text("inline hello") }
            router.get("/redirect") { request in
                HTTPResponse(status: .ok, headers: ["location": "/next\r\nSet-Cookie: stolen=1", "x-order-id": "A-1"])
            }
            router.get("/inspect/{id}") { request in
                let query = request.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
                return try .json(encoding: [
                    "id": request.pathParameters["id"] ?? "", "query": query,
                    "signature": request.headers["x-hub-signature-256"] ?? "",
                    "agent": request.headers["user-agent"] ?? "",
                ])
            }
            router.get("/slow") { _ in
                try await Task.sleep(for: .seconds(30))
                return .text("late")
            }
        }
    }

    /// A GET is answered with its body, Content-Type and an exact Content-Length.
    @Test func getReturnsBodyWithTypeAndLength() async throws {
        let server = try Self.echoServer()
        let response = try await blocking { try server.client.get("/hello") }
        await server.stop()
        #expect(response.status == 200)
        #expect(response.text == "hello")
        #expect(response.headers["content-type"] == "text/plain; charset=utf-8")
        #expect(response.headers["content-length"] == "5")
        #expect(response.rawHeaderNames.contains("Content-Type"))
    }

    /// A 900 KiB body arrives intact: every byte, in order, reassembled from many callbacks.
    @Test func largeBodyArrivesIntact() async throws {
        let server = try Self.echoServer()
        let body = patternedBytes(count: 900 * 1024)
        let response = try await blocking { try server.client.post("/echo", body: body) }
        await server.stop()
        #expect(response.status == 200)
        #expect(response.body.count == body.count)
        #expect(response.body == body)
    }

    /// A body over the limit gets 413 with a JSON error, and the keep-alive connection survives
    /// for the next request (the rejected body was discarded, not kept).
    @Test func oversizedBodyIsRejectedWith413() async throws {
        let server = try Self.echoServer()
        let (first, second) = try await blocking {
            let connection = try RawConnection(port: server.port)
            try connection.send(HTTPTestClient.encode("POST", "/echo", body: patternedBytes(count: 2 * 1024 * 1024)))
            let first = try connection.readResponse()
            try connection.send(HTTPTestClient.encode("GET", "/hello"))
            return (first, try connection.readResponse())
        }
        await server.stop()
        #expect(first.status == 413)
        #expect(first.errorCode == "body_too_large")
        #expect(second.status == 200 && second.text == "hello")
    }

    /// The body limit is configurable.
    @Test func bodyLimitIsConfigurable() async throws {
        let server = try Self.echoServer(ServerConfiguration(maxBodyBytes: 1_000))
        let (small, large) = try await blocking {
            (try server.client.post("/echo", body: patternedBytes(count: 1_000)),
             try server.client.post("/echo", body: patternedBytes(count: 1_001)))
        }
        await server.stop()
        #expect(small.status == 200)
        #expect(large.status == 413)
    }

    /// A NUL escape (`%00`) in the path or query is refused by libwebsockets' parser with a
    /// plain close (no handler sees it); the server goes on serving others.
    @Test(arguments: ["/hello?%00=1", "/hello?a=%00", "/hel%00lo"])
    func nulEscapeClosesOnlyThatConnection(_ target: String) async throws {
        let server = try Self.echoServer()
        let (closed, next) = try await blocking {
            let connection = try RawConnection(port: server.port)
            try connection.send("GET \(target) HTTP/1.1\r\nHost: x\r\n\r\n")
            let closed = connection.waitForClose(timeout: 5)
            return (closed, try server.client.get("/hello"))
        }
        await server.stop()
        #expect(closed)
        #expect(next.status == 200)
    }

    /// A request line that is not HTTP gets 400 with a JSON error, then the connection closes.
    @Test(arguments: ["GARBAGE\r\n\r\n", "GET\r\n\r\n", "\u{16}\u{03}\u{01} hello\r\n\r\n", "brew /pot HTTP/1.1\r\n\r\n",
                      "BREW pot HTTP/1.1\r\n\r\n", "BREW /pot HTTP/2\r\n\r\n"])
    func malformedRequestLineGets400(_ request: String) async throws {
        let server = try Self.echoServer()
        let (response, closed) = try await blocking {
            let connection = try RawConnection(port: server.port)
            try connection.send(request)
            let response = try connection.readResponse()
            return (response, connection.waitForClose(timeout: 5))
        }
        await server.stop()
        #expect(response.status == 400)
        #expect(response.errorCode == "malformed_request")
        #expect(closed)
    }

    /// A well-formed request line with a method libwebsockets does not parse (TRACE, BREW) gets
    /// 405 with `Allow` on a path the server serves and 404 on one it does not, then the
    /// connection closes.
    @Test(arguments: [("TRACE /hello HTTP/1.1", 405, "GET, HEAD"), ("BREW /hello?x=1 HTTP/1.0", 405, "GET, HEAD"),
                      ("TRACE /echo HTTP/1.1", 405, "POST"), ("BREW /pot HTTP/1.1", 404, nil)])
    func unknownMethodsGet405OrNotFound(_ line: String, _ status: Int, _ allow: String?) async throws {
        let server = try Self.echoServer()
        let (response, closed) = try await blocking {
            let connection = try RawConnection(port: server.port)
            try connection.send(line + "\r\nHost: x\r\n\r\n")
            let response = try connection.readResponse()
            return (response, connection.waitForClose(timeout: 5))
        }
        await server.stop()
        #expect(response.status == status)
        #expect(response.headers["allow"] == allow)
        #expect(response.errorCode == (status == 405 ? "method_not_allowed" : "not_found"))
        #expect(closed)
    }

    /// Unknown paths get 404 and wrong methods 405 with `Allow`, both as JSON errors.
    @Test func notFoundAndMethodNotAllowed() async throws {
        let server = try Self.echoServer()
        let (missing, wrongMethod) = try await blocking {
            (try server.client.get("/nothing/here"), try server.client.request("DELETE", "/hello"))
        }
        await server.stop()
        #expect(missing.status == 404 && missing.errorCode == "not_found")
        #expect(missing.headers["content-type"] == "application/json")
        #expect(wrongMethod.status == 405 && wrongMethod.errorCode == "method_not_allowed")
        #expect(wrongMethod.headers["allow"] == "GET, HEAD")
    }

    /// A chunked upload (which libwebsockets 4.1.6 cannot deliver) and a POST without a length
    /// both get 411.
    @Test func chunkedOrLengthlessBodyGets411() async throws {
        let server = try Self.echoServer()
        let (chunked, lengthless) = try await blocking {
            let first = try RawConnection(port: server.port)
            try first.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
            let second = try RawConnection(port: server.port)
            try second.send("POST /echo HTTP/1.1\r\nHost: x\r\n\r\n")
            return (try first.readResponse(), try second.readResponse())
        }
        await server.stop()
        #expect(chunked.status == 411 && chunked.errorCode == "length_required")
        #expect(lengthless.status == 411)
    }

    /// A Content-Length that is not one whole number (negative, signed, text, or two of them,
    /// the start of request smuggling) gets 400 and the connection closes.
    @Test(arguments: ["-5", "+5", "abc", "5, 6"])
    func invalidContentLengthGets400(_ value: String) async throws {
        let server = try Self.echoServer()
        let (response, closed) = try await blocking {
            let connection = try RawConnection(port: server.port)
            let headers = value == "5, 6" ? "Content-Length: 5\r\nContent-Length: 6\r\n" : "Content-Length: \(value)\r\n"
            try connection.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n\(headers)\r\nhello")
            return (try connection.readResponse(), connection.waitForClose(timeout: 5))
        }
        await server.stop()
        #expect(response.status == 400)
        #expect(response.errorCode == "invalid_content_length")
        #expect(closed)
    }

    /// Query parameters arrive percent-decoded and in order, path parameters are filled, and
    /// both standard and configured extra headers are captured.
    @Test func queryPathAndHeadersReachTheHandler() async throws {
        var configuration = ServerConfiguration()
        configuration.extraHeaderNames = ["X-Hub-Signature-256"]
        let server = try Self.echoServer(configuration)
        let response = try await blocking {
            try server.client.get(
                "/inspect/o%2D42?email=a%2Bb%40shop.pl&q=dwie+pary&q=%C5%BC%C3%B3%C5%82te",
                headers: ["X-Hub-Signature-256": "sha256=abc", "User-Agent": "tests/1.0"])
        }
        await server.stop()
        let json = try #require(response.json as? [String: String])
        #expect(json["id"] == "o-42")
        #expect(json["query"] == "email=a+b@shop.pl&q=dwie pary&q=żółte")
        #expect(json["signature"] == "sha256=abc")
        #expect(json["agent"] == "tests/1.0")
    }

    /// HEAD gets the GET route's headers, including the body's length, but no body.
    @Test func headHasLengthButNoBody() async throws {
        let server = try Self.echoServer()
        let (head, next) = try await blocking {
            let connection = try RawConnection(port: server.port)
            try connection.send(HTTPTestClient.encode("HEAD", "/hello"))
            let head = try connection.readResponse(hasBody: false)
            try connection.send(HTTPTestClient.encode("GET", "/hello"))
            return (head, try connection.readResponse())
        }
        await server.stop()
        #expect(head.status == 200)
        #expect(head.headers["content-length"] == "5")
        #expect(head.body.isEmpty)
        #expect(next.text == "hello")
    }

    /// Requests without a body pipelined on one keep-alive connection are answered in order,
    /// whichever kind of handler serves them.
    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let server = try Self.echoServer()
        let bodies = try await blocking {
            let connection = try RawConnection(port: server.port)
            let requests = [
                HTTPTestClient.encode("GET", "/hello"), HTTPTestClient.encode("GET", "/inline-hello"),
                HTTPTestClient.encode("GET", "/hello"), HTTPTestClient.encode("POST", "/echo"),
                HTTPTestClient.encode("GET", "/inline-hello"),
            ]
            try connection.send(requests.flatMap { $0 })
            return try (0..<5).map { _ in try connection.readResponse().text }
        }
        await server.stop()
        #expect(bodies == ["hello", "inline hello", "hello", "", "inline hello"])
    }

    /// libwebsockets 4.1.6 hands a request with a body that was pipelined behind another one the
    /// wrong bytes (its own head) and then loops. The server answers what came before, closes the
    /// connection before any handler sees the wrong bytes, and stays healthy.
    @Test(arguments: [("GET", "/hello", "/echo"), ("POST", "/echo", "/echo"), ("GET", "/hello", "/inline-echo")])
    func pipelinedRequestWithBodyIsRefusedByClosing(_ firstMethod: String, _ firstPath: String, _ bodyPath: String)
        async throws
    {
        let seen = BodiesSeen()
        let server = try TestServer { router in
            router.get("/hello") { _ in .text("hello") }
            router.post("/echo") { request in
                seen.add(request.body)
                return HTTPResponse(body: request.body)
            }
            router.addInline(.post, "/inline-echo") { request in
                seen.add(request.body)
                return HTTPResponse(body: request.body)
            }
        }
        let (first, closed, later) = try await blocking {
            let connection = try RawConnection(port: server.port)
            let firstBody = firstMethod == "POST" ? Array("first".utf8) : []
            try connection.send(HTTPTestClient.encode(firstMethod, firstPath, body: firstBody)
                + HTTPTestClient.encode("POST", bodyPath, body: Array("WXYZ".utf8))
                + HTTPTestClient.encode("GET", "/hello"))
            let first = try connection.readResponse()
            return (first, connection.waitForClose(timeout: 5), try server.client.get("/hello"))
        }
        await server.stop()
        #expect(first.status == 200)
        #expect(closed)
        #expect(later.text == "hello")
        #expect(!seen.all.contains { $0.starts(with: Data("POST".utf8)) })
        #expect(server.logs.lines.contains { $0.contains("pipelined a request with a body") })
    }

    /// An inline handler answers on the I/O thread with the same framing as any other.
    @Test func inlineHandlerAnswers() async throws {
        let server = try Self.echoServer()
        let body = patternedBytes(count: 200_000)
        let (hello, echo) = try await blocking {
            (try server.client.get("/inline-hello"), try server.client.post("/inline-echo", body: body))
        }
        await server.stop()
        #expect(hello.text == "inline hello")
        #expect(hello.headers["content-length"] == "12")
        #expect(echo.body == body)
    }

    /// Header values cannot smuggle in extra header lines: CR and LF become spaces, and other
    /// headers keep their names, capitalised.
    @Test func headerValuesCannotSplitTheResponse() async throws {
        let server = try Self.echoServer()
        let response = try await blocking { try server.client.get("/redirect") }
        await server.stop()
        #expect(response.headers["set-cookie"] == nil)
        #expect(response.headers["location"] == "/next  Set-Cookie: stolen=1")
        #expect(response.rawHeaderNames.contains("X-Order-Id"))
    }

    /// A handler that never answers is cut off with a 503 `timeout` after the configured time.
    @Test func handlerTimeoutGets503() async throws {
        let server = try Self.echoServer(ServerConfiguration(handlerTimeoutSeconds: 1))
        let response = try await blocking { try server.client.request("GET", "/slow", timeout: 10) }
        await server.stop()
        #expect(response.status == 503)
        #expect(response.errorCode == "timeout")
    }

    /// Requests are counted by route pattern (not raw path), method and status.
    @Test func requestsAreCountedByRoutePattern() async throws {
        let server = try Self.echoServer()
        _ = try await blocking { [try server.client.get("/inspect/1"), try server.client.get("/inspect/2")] }
        await server.stop()
        let text = server.metrics.render()
        #expect(text.contains(#"orderbot_http_requests_total{route="/inspect/{id}",method="GET",status="200"} 2"#))
        #expect(text.contains(#"orderbot_http_request_duration_seconds_count{route="/inspect/{id}"} 2"#))
    }
}

/// The bodies a test's handlers received.
final class BodiesSeen: Sendable {
    private let bodies = Mutex<[Data]>([])
    func add(_ body: Data) { bodies.withLock { $0.append(body) } }
    var all: [Data] { bodies.withLock { $0 } }
}
