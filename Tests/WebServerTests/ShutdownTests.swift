import Foundation
import Synchronization
import Testing
import TestSupport
import WebServer

/// Graceful shutdown: in-flight work finishes, WebSockets hear 1001, nothing new gets in.
struct ShutdownTests {
    /// Signals when a slow handler has started, so the test shuts down with it in flight; the
    /// handler then holds its answer until the test releases it (or 10 s pass), however late
    /// the test itself gets to run.
    final class Started: Sendable {
        private let count = Atomic<Int>(0)
        private let released = Atomic<Bool>(false)
        func mark() { count.add(1, ordering: .relaxed) }
        func release() { released.store(true, ordering: .relaxed) }
        func held() async throws {
            let deadline = ContinuousClock.now + .seconds(10)
            while !released.load(ordering: .relaxed), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        }
        func wait(timeout: Double) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while count.load(ordering: .relaxed) == 0, deadline.timeIntervalSinceNow > 0 { Thread.sleep(forTimeInterval: 0.01) }
            return count.load(ordering: .relaxed) > 0
        }
    }

    private static func server(grace: Int = 5, started: Started, webSocket: WebSocketRoute? = nil) throws -> TestServer {
        try TestServer(ServerConfiguration(shutdownGraceSeconds: grace), webSockets: webSocket.map { [$0] } ?? []) { router in
            router.get("/slow") { _ in
                started.mark()
                try await started.held()
                return .text("finished")
            }
            router.get("/forever") { _ in
                started.mark()
                try await Task.sleep(for: .seconds(60))
                return .text("never")
            }
            router.get("/hello") { _ in .text("hello") }
        }
    }

    /// A request in flight when shutdown begins is answered (with `Connection: close`), and
    /// the server stops once it is out.
    @Test func inFlightRequestFinishes() async throws {
        let started = Started()
        let server = try Self.server(started: started)
        let pending = Task {
            try await blocking {
                let connection = try RawConnection(port: server.port)
                try connection.send(HTTPTestClient.encode("GET", "/slow"))
                return try connection.readResponse()
            }
        }
        _ = try await blocking { started.wait(timeout: 5) }
        server.server.shutdown()
        started.release()
        let response = try await pending.value
        await server.server.stopped()
        #expect(response.status == 200)
        #expect(response.text == "finished")
        #expect(response.headers["connection"] == "close")
        #expect(!server.server.isRunning)
    }

    /// While draining, a new connection is refused, and a new request on an open connection
    /// gets 503 `draining`.
    @Test func nothingNewGetsInWhileDraining() async throws {
        let started = Started()
        let server = try Self.server(started: started)
        let idle = try await blocking { () -> RawConnectionBox in
            let connection = try RawConnection(port: server.port)
            try connection.send(HTTPTestClient.encode("GET", "/hello"))
            _ = try connection.readResponse()
            return RawConnectionBox(connection)
        }
        let pending = Task { try await blocking { try server.client.get("/slow") } }
        _ = try await blocking { started.wait(timeout: 5) }
        server.server.shutdown()
        let (refused, draining) = try await blocking {
            Thread.sleep(forTimeInterval: 0.1)
            let fresh = try RawConnection(port: server.port)
            let refused = fresh.waitForClose(timeout: 2)
            try idle.connection.send(HTTPTestClient.encode("GET", "/hello"))
            return (refused, try? idle.connection.readResponse(timeout: 2))
        }
        started.release()
        _ = try await pending.value
        await server.server.stopped()
        #expect(refused)
        #expect(draining?.status == 503)
        #expect(draining?.errorCode == "draining")
        #expect(draining?.headers["connection"] == "close")
    }

    /// Open WebSockets are closed with 1001 (going away) when shutdown begins.
    @Test func webSocketsAreClosedWithGoingAway() async throws {
        let started = Started()
        let socket = WebSocketRoute(path: "/ws") { connection in
            started.mark()
            for await _ in connection.messages {}
        }
        // A long grace, so that "closed at once" and "closed when the grace ran out" differ
        // by far more than a loaded machine's delays.
        let server = try Self.server(grace: 30, started: started, webSocket: socket)
        let client = try await blocking { WebSocketBox(try WebSocketTestClient(port: server.port, path: "/ws")) }
        _ = try await blocking { started.wait(timeout: 5) }
        let begin = ContinuousClock.now
        server.server.shutdown()
        let close = try await blocking {
            let close = client.client.readClose(timeout: 5)
            try? client.client.sendClose(code: 1001)
            return close
        }
        await server.server.stopped()
        #expect(close?.code == 1001)
        #expect(ContinuousClock.now - begin < .seconds(10))
    }

    /// A handler that outlives the grace period does not hold the process: the server stops
    /// soon after the deadline.
    @Test func gracePeriodBoundsTheDrain() async throws {
        let started = Started()
        let server = try Self.server(grace: 1, started: started)
        let pending = Task { try? await blocking { try server.client.request("GET", "/forever", timeout: 20) } }
        _ = try await blocking { started.wait(timeout: 5) }
        let begin = ContinuousClock.now
        server.server.shutdown()
        await server.server.stopped()
        let elapsed = ContinuousClock.now - begin
        _ = await pending.value
        #expect(elapsed < .seconds(5))
    }
}

extension ShutdownTests {
    /// A shutdown asked for before the I/O loop is up (a signal right at start) is not lost:
    /// the server starts, drains at once and stops.
    @Test func shutdownBeforeStartIsHonoured() async throws {
        let server = WebServer(configuration: ServerConfiguration(port: 0, shutdownGraceSeconds: 30), router: Router())
        server.shutdown()
        try server.start()
        let begin = ContinuousClock.now
        await server.stopped()
        #expect(ContinuousClock.now - begin < .seconds(10))
        #expect(!server.isRunning)
    }
}

/// Carries a client across the `blocking` boundary; each is used by one thread at a time.
struct RawConnectionBox: @unchecked Sendable {
    let connection: RawConnection
    init(_ connection: RawConnection) { self.connection = connection }
}

struct WebSocketBox: @unchecked Sendable {
    let client: WebSocketTestClient
    init(_ client: WebSocketTestClient) { self.client = client }
}
