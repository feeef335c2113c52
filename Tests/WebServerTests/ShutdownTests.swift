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
            let deadline = ContinuousClock.now + .seconds(60)
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
                return try connection.readResponse(timeout: 90)
            }
        }
        try await blocking {
            _ = started.wait(timeout: 30)
            server.server.shutdown()
            started.release()
        }
        let response = try await pending.value
        await server.server.stopped()
        #expect(response.status == 200)
        #expect(response.text == "finished")
        #expect(response.headers["connection"] == "close")
        #expect(!server.server.isRunning)
    }

    /// While draining, a new connection is refused, and a new request on an open connection
    /// gets 503 `draining`.
    ///
    /// Everything between "the slow request is in flight" and "the idle connection was
    /// answered" runs on one thread of its own: resuming the test on Swift's cooperative pool can
    /// take seconds when the rest of the suite keeps it busy, and the slow request must still be
    /// in flight when the idle connection asks.
    @Test func nothingNewGetsInWhileDraining() async throws {
        let started = Started()
        let server = try Self.server(started: started)
        let idle = try await blocking { () -> RawConnectionBox in
            let connection = try RawConnection(port: server.port)
            try connection.send(HTTPTestClient.encode("GET", "/hello"))
            _ = try connection.readResponse()
            return RawConnectionBox(connection)
        }
        let pending = Task { try await blocking { try server.client.request("GET", "/slow", timeout: 60) } }
        let (inFlight, refused, draining) = try await blocking {
            let inFlight = started.wait(timeout: 30)
            server.server.shutdown()
            Thread.sleep(forTimeInterval: 0.1)
            let fresh = try RawConnection(port: server.port)
            let refused = fresh.waitForClose(timeout: 20)
            try idle.connection.send(HTTPTestClient.encode("GET", "/hello"))
            let draining = try? idle.connection.readResponse(timeout: 20)
            started.release()
            return (inFlight, refused, draining)
        }
        _ = try await pending.value
        await server.server.stopped()
        #expect(inFlight)
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
        // by far more than a loaded machine's delays; timed on a thread of its own.
        let server = try Self.server(grace: 120, started: started, webSocket: socket)
        let client = try await blocking { WebSocketBox(try WebSocketTestClient(port: server.port, path: "/ws")) }
        let (close, elapsed) = try await blocking {
            _ = started.wait(timeout: 30)
            let begin = ContinuousClock.now
            server.server.shutdown()
            let close = client.client.readClose(timeout: 30)
            try? client.client.sendClose(code: 1001)
            server.server.waitUntilStopped()
            return (close, ContinuousClock.now - begin)
        }
        #expect(close?.code == 1001)
        #expect(elapsed < .seconds(60))
    }

    /// A handler that outlives the grace period does not hold the process: the server stops
    /// soon after the deadline.
    @Test func gracePeriodBoundsTheDrain() async throws {
        let started = Started()
        let server = try Self.server(grace: 1, started: started)
        let pending = Task { try? await blocking { try server.client.request("GET", "/forever", timeout: 90) } }
        let elapsed = try await blocking {
            _ = started.wait(timeout: 30)
            let begin = ContinuousClock.now
            server.server.shutdown()
            server.server.waitUntilStopped()
            return ContinuousClock.now - begin
        }
        _ = await pending.value
        #expect(elapsed < .seconds(30))
    }
}

extension ShutdownTests {
    /// A shutdown asked for before the I/O loop is up (a signal right at start) is not lost:
    /// the server starts, drains at once and stops.
    @Test func shutdownBeforeStartIsHonoured() async throws {
        let server = WebServer(configuration: ServerConfiguration(port: 0, shutdownGraceSeconds: 120), router: Router())
        server.shutdown()
        try server.start()
        // Timed on a thread of its own, so that a busy cooperative pool cannot add to it.
        let elapsed = try await blocking {
            let begin = ContinuousClock.now
            server.waitUntilStopped()
            return ContinuousClock.now - begin
        }
        #expect(elapsed < .seconds(30))
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
