import Foundation
import Synchronization
import Testing
import TestSupport
import WebServer

/// What protects the process from its clients: idle and slow clients, connection caps, load.
struct ConnectionLimitTests {
    private static func server(_ configuration: ServerConfiguration) throws -> TestServer {
        try TestServer(configuration) { router in
            router.get("/hello") { _ in .text("hello") }
            router.post("/echo") { request in HTTPResponse(body: request.body) }
        }
    }

    /// A connection that never sends a byte is closed after the idle timeout.
    @Test func silentConnectionIsClosed() async throws {
        let server = try Self.server(ServerConfiguration(idleTimeoutSeconds: 1))
        let (closed, seconds) = try await blocking {
            let start = Date()
            let connection = try RawConnection(port: server.port)
            return (connection.waitForClose(timeout: 8), Date().timeIntervalSince(start))
        }
        await server.stop()
        #expect(closed)
        #expect(seconds < 6)
    }

    /// A client that stops in the middle of its headers is closed, not waited for forever.
    @Test func slowHeadersAreCutOff() async throws {
        let server = try Self.server(ServerConfiguration(idleTimeoutSeconds: 1))
        let closed = try await blocking {
            let connection = try RawConnection(port: server.port)
            try connection.send("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slo")
            return connection.waitForClose(timeout: 15)
        }
        await server.stop()
        #expect(closed)
    }

    /// A client that stops in the middle of its body is closed, and its half request is dropped.
    @Test func slowBodyIsCutOff() async throws {
        let server = try Self.server(ServerConfiguration(idleTimeoutSeconds: 1))
        let (closed, later) = try await blocking {
            let connection = try RawConnection(port: server.port)
            try connection.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nonly part")
            let closed = connection.waitForClose(timeout: 15)
            return (closed, try server.client.get("/hello"))
        }
        await server.stop()
        #expect(closed)
        #expect(later.status == 200)
    }

    /// An idle keep-alive connection is closed after the idle timeout.
    @Test func idleKeepAliveIsClosed() async throws {
        // 2 s, not 1: the first answer must come back inside the timeout even on a loaded machine.
        let server = try Self.server(ServerConfiguration(idleTimeoutSeconds: 2))
        let (first, closed) = try await blocking {
            let connection = try RawConnection(port: server.port)
            try connection.send(HTTPTestClient.encode("GET", "/hello"))
            let first = try connection.readResponse()
            return (first, connection.waitForClose(timeout: 8))
        }
        await server.stop()
        #expect(first.status == 200)
        #expect(closed)
    }

    /// The idle timeout is for clients that say nothing, not for handlers that take their
    /// time: a request whose handler answers after the idle timeout still gets its answer.
    @Test(arguments: ["GET", "POST"])
    func slowHandlerIsNotCutOffByTheIdleTimeout(method: String) async throws {
        let server = try TestServer(ServerConfiguration(idleTimeoutSeconds: 1)) { router in
            router.get("/slow") { _ in
                try await Task.sleep(for: .milliseconds(2_500))
                return .text("late but here")
            }
            router.post("/slow") { request in
                try await Task.sleep(for: .milliseconds(2_500))
                return HTTPResponse(body: request.body)
            }
        }
        let response = try await blocking {
            try server.client.request(method, "/slow", body: method == "POST" ? Array("kept".utf8) : [], timeout: 10)
        }
        await server.stop()
        #expect(response.status == 200)
        #expect(response.text == (method == "POST" ? "kept" : "late but here"))
    }

    /// Beyond the connection cap, a new connection is closed at once; below it again, accepted.
    @Test func connectionsBeyondTheCapAreRefused() async throws {
        let server = try Self.server(ServerConfiguration(maxConnections: 4))
        let (refused, acceptedAgain) = try await blocking {
            let open = try (0..<4).map { _ in try RawConnection(port: server.port) }
            for connection in open {
                try connection.send(HTTPTestClient.encode("GET", "/hello"))
                _ = try connection.readResponse()
            }
            let extra = try RawConnection(port: server.port)
            let refused = extra.waitForClose(timeout: 5)
            open[0].close()
            Thread.sleep(forTimeInterval: 0.3)
            let response = try server.client.get("/hello")
            return (refused, response.status == 200)
        }
        await server.stop()
        #expect(refused)
        #expect(acceptedAgain)
        #expect(server.metrics.render().contains("orderbot_http_refused_connections_total 1"))
    }

    /// One address may hold only its share: beyond `maxConnectionsPerAddress` its new connections
    /// are closed at once, while another address connects; one of its own closing makes room.
    @Test func connectionsBeyondTheCapOfAnAddressAreRefused() async throws {
        let server = try Self.server(ServerConfiguration(maxConnections: 16, maxConnectionsPerAddress: 3))
        let (refused, otherAddress, acceptedAgain) = try await blocking {
            let open = try (0..<3).map { _ in try RawConnection(port: server.port) }
            for connection in open {
                try connection.send(HTTPTestClient.encode("GET", "/hello"))
                _ = try connection.readResponse()
            }
            let extra = try RawConnection(port: server.port)
            let refused = extra.waitForClose(timeout: 5)
            let other = try RawConnection(port: server.port, localAddress: "127.0.0.2")
            try other.send(HTTPTestClient.encode("GET", "/hello"))
            let otherAnswered = try other.readResponse().status == 200
            open[0].close()
            Thread.sleep(forTimeInterval: 0.3)
            let again = try RawConnection(port: server.port)
            try again.send(HTTPTestClient.encode("GET", "/hello"))
            return (refused, otherAnswered, try again.readResponse().status == 200)
        }
        await server.stop()
        #expect(refused)
        #expect(otherAddress)
        #expect(acceptedAgain)
        let metrics = server.metrics.render()
        #expect(metrics.contains("orderbot_http_refused_connections_total 1"))
        #expect(metrics.contains(#"orderbot_rate_limited_total{limit="connections_per_address"} 1"#))
    }

    /// 500 clients (from ten addresses, within each address's cap) connected at once all have a
    /// request in flight at the same time, and all are answered: the handler holds every
    /// response until all 500 have arrived.
    @Test func fiveHundredConcurrentConnectionsAreServed() async throws {
        FileLimits.allowOpenFiles(4_096)
        let clients = 500
        let arrived = Atomic<Int>(0)
        let server = try TestServer(ServerConfiguration()) { router in
            router.get("/together") { _ in
                arrived.add(1, ordering: .relaxed)
                let deadline = ContinuousClock.now + .seconds(30)
                while arrived.load(ordering: .relaxed) < clients, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(10))
                }
                return .text("together: \(arrived.load(ordering: .relaxed))")
            }
        }
        let bodies = try await blocking {
            let connections = try (0..<clients).map { index in
                try RawConnection(port: server.port, localAddress: "127.0.0.\(1 + index % 10)")
            }
            for connection in connections { try connection.send(HTTPTestClient.encode("GET", "/together")) }
            return try connections.map { try $0.readResponse(timeout: 40).text }
        }
        await server.stop()
        #expect(bodies.count == clients)
        #expect(bodies.allSatisfy { $0 == "together: \(clients)" })
    }
}
