import Foundation
import Synchronization
import Testing
import TestSupport
import WebServer

/// WebSocket endpoints over real sockets: messages, fragments, control frames, limits, closes.
struct WebSocketTests {
    /// What the server side of a test connection saw, for assertions after the fact.
    final class Observed: Sendable {
        private let state = Mutex<(messages: [String], ended: Bool, query: String)>(([], false, ""))

        func received(_ text: String) { state.withLock { $0.messages.append(text) } }
        func ended() { state.withLock { $0.ended = true } }
        func sawQuery(_ query: String) { state.withLock { $0.query = query } }
        var messages: [String] { state.withLock { $0.messages } }
        var hasEnded: Bool { state.withLock { $0.ended } }
        var query: String { state.withLock { $0.query } }

        /// Waits (off the cooperative pool) until the connection's handler saw its end.
        func waitForEnd(timeout: Double) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while !hasEnded, deadline.timeIntervalSinceNow > 0 { Thread.sleep(forTimeInterval: 0.02) }
            return hasEnded
        }
    }

    /// An echo endpoint that also understands a few commands for the tests.
    private static func server(_ configuration: ServerConfiguration = ServerConfiguration(), observed: Observed)
        throws -> TestServer
    {
        let echo = WebSocketRoute(path: "/ws/echo") { connection in
            observed.sawQuery(connection.upgrade.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&"))
            for await message in connection.messages {
                observed.received(message)
                switch message {
                case "flood":
                    let chunk = String(repeating: "x", count: 64 * 1024)
                    for _ in 0..<2_000 { connection.send(chunk) }
                case "from-elsewhere":
                    // Sent from a thread that is neither the I/O thread nor this handler's task.
                    let connectionCopy = connection
                    Thread { connectionCopy.send("hello from a thread") }.start()
                case "bye":
                    connection.send("goodbye")
                    connection.close(.normalClosure, reason: "done")
                default:
                    connection.send("echo: \(message)")
                }
            }
            observed.ended()
        }
        return try TestServer(configuration, webSockets: [echo]) { router in router.get("/hello") { _ in .text("hello") } }
    }

    /// Text frames are echoed in order, each as one message.
    @Test func textFramesAreEchoedInOrder() async throws {
        let observed = Observed()
        let server = try Self.server(observed: observed)
        let replies = try await blocking {
            let client = try WebSocketTestClient(port: server.port, path: "/ws/echo")
            for index in 0..<20 { try client.sendText("message \(index)") }
            return try (0..<20).map { _ in try client.readText() }
        }
        await server.stop()
        #expect(replies == (0..<20).map { "echo: message \($0)" })
        #expect(observed.messages.count == 20)
    }

    /// A message split over a text frame and continuation frames reaches the handler as one.
    @Test func fragmentedMessageIsReassembled() async throws {
        let observed = Observed()
        let server = try Self.server(observed: observed)
        let reply = try await blocking {
            let client = try WebSocketTestClient(port: server.port, path: "/ws/echo")
            try client.sendFragmented(["Chcę zamówić ", "dwie pary ", "butów, rozmiar 42"])
            return try client.readText()
        }
        await server.stop()
        #expect(reply == "echo: Chcę zamówić dwie pary butów, rozmiar 42")
        #expect(observed.messages == ["Chcę zamówić dwie pary butów, rozmiar 42"])
    }

    /// A ping is answered with a pong carrying the same payload, and the connection goes on.
    @Test func pingIsAnsweredWithPong() async throws {
        let observed = Observed()
        let server = try Self.server(observed: observed)
        let (pong, reply) = try await blocking {
            let client = try WebSocketTestClient(port: server.port, path: "/ws/echo")
            try client.sendPing(Array("are you there".utf8))
            let pong = try client.readFrame()
            try client.sendText("still here")
            return (pong, try client.readText())
        }
        await server.stop()
        #expect(pong == .pong(Array("are you there".utf8)))
        #expect(reply == "echo: still here")
    }

    /// The upgrade request's query string reaches the handler.
    @Test func upgradeQueryReachesTheHandler() async throws {
        let observed = Observed()
        let server = try Self.server(observed: observed)
        _ = try await blocking {
            let client = try WebSocketTestClient(port: server.port, path: "/ws/echo?session=s-1&lang=pl")
            try client.sendText("hi")
            return try client.readText()
        }
        await server.stop()
        #expect(observed.query == "session=s-1&lang=pl")
    }

    /// A frame queued from another thread is delivered.
    @Test func sendingFromAnotherThreadWorks() async throws {
        let observed = Observed()
        let server = try Self.server(observed: observed)
        let reply = try await blocking {
            let client = try WebSocketTestClient(port: server.port, path: "/ws/echo")
            try client.sendText("from-elsewhere")
            return try client.readText()
        }
        await server.stop()
        #expect(reply == "hello from a thread")
    }

    /// A handler's close sends what was queued first, then a close frame with its code and reason.
    @Test func handlerCloseFlushesThenCloses() async throws {
        let observed = Observed()
        let server = try Self.server(observed: observed)
        let (last, close) = try await blocking {
            let client = try WebSocketTestClient(port: server.port, path: "/ws/echo")
            try client.sendText("bye")
            return (try client.readText(), client.readClose())
        }
        let ended = try await blocking { observed.waitForEnd(timeout: 5) }
        await server.stop()
        #expect(last == "goodbye")
        #expect(close?.code == 1000)
        #expect(close?.reason == "done")
        #expect(ended)
    }

    /// Binary frames are refused with 1003: the endpoints speak JSON text.
    @Test func binaryFrameClosesWith1003() async throws {
        let observed = Observed()
        let server = try Self.server(observed: observed)
        let close = try await blocking {
            let client = try WebSocketTestClient(port: server.port, path: "/ws/echo")
            try client.sendBinary([1, 2, 3])
            return client.readClose()
        }
        await server.stop()
        #expect(close?.code == 1003)
    }

    /// Invalid UTF-8 in a text frame closes the connection with 1007.
    @Test func invalidUTF8ClosesWith1007() async throws {
        let observed = Observed()
        let server = try Self.server(observed: observed)
        let close = try await blocking {
            let client = try WebSocketTestClient(port: server.port, path: "/ws/echo")
            try client.connection.send(WebSocketTestClient.frame(opcode: 0x1, payload: [0xC3, 0x28], final: true))
            return client.readClose()
        }
        await server.stop()
        #expect(close?.code == 1007)
        #expect(observed.messages.isEmpty)
    }

    /// A message larger than the limit closes the connection with 1009 and is never delivered.
    @Test func oversizedMessageClosesWith1009() async throws {
        let observed = Observed()
        let server = try Self.server(ServerConfiguration(maxWebSocketMessageBytes: 1_000), observed: observed)
        let close = try await blocking {
            let client = try WebSocketTestClient(port: server.port, path: "/ws/echo")
            try client.sendFragmented([String(repeating: "a", count: 600), String(repeating: "b", count: 600)])
            return client.readClose()
        }
        await server.stop()
        #expect(close?.code == 1009)
        #expect(observed.messages.isEmpty)
    }

    /// A client that never reads is disconnected once its send queue is full; the server's
    /// memory stays bounded and the handler sees the end of the connection.
    @Test func clientThatNeverReadsIsDisconnected() async throws {
        let observed = Observed()
        let configuration = ServerConfiguration(webSocketSendQueueFrames: 64, webSocketSendQueueBytes: 1 << 20)
        let server = try Self.server(configuration, observed: observed)
        let (ended, disconnected) = try await blocking {
            let client = try WebSocketTestClient(port: server.port, path: "/ws/echo", receiveBufferBytes: 4_096)
            try client.sendText("flood")
            let ended = observed.waitForEnd(timeout: 10)
            // Now read what the kernel buffered: the stream must end, not go on forever.
            return (ended, client.connection.waitForClose(timeout: 10))
        }
        await server.stop()
        #expect(ended)
        #expect(disconnected)
        #expect(server.metrics.render().contains(#"orderbot_websocket_send_queue_overflows_total{path="/ws/echo"} 1"#))
    }

    /// An upgrade on a path with no WebSocket endpoint is refused (the connection is dropped).
    @Test func upgradeOnUnknownPathIsRefused() async throws {
        let observed = Observed()
        let server = try Self.server(observed: observed)
        let outcome = await Result(catching: { try await blocking { _ = try WebSocketTestClient(port: server.port, path: "/ws/nothing") } })
        await server.stop()
        #expect(throws: (any Error).self) { try outcome.get() }
    }

    /// A peer that stops answering pings is considered gone and closed after the hang-up time.
    @Test func silentPeerIsHungUp() async throws {
        let observed = Observed()
        let configuration = ServerConfiguration(webSocketPingSeconds: 1, webSocketHangupSeconds: 2)
        let server = try Self.server(configuration, observed: observed)
        let (sawPing, ended) = try await blocking {
            let client = try WebSocketTestClient(port: server.port, path: "/ws/echo")
            let frame = try? client.readFrame(timeout: 4)
            let ended = observed.waitForEnd(timeout: 6)
            if case .ping = frame { return (true, ended) }
            return (false, ended)
        }
        await server.stop()
        #expect(sawPing)
        #expect(ended)
    }

    /// A page of another site cannot open a socket (the upgrade is dropped); the server's own
    /// pages, listed origins and clients without `Origin` can.
    @Test func upgradesFromOtherSitesPagesAreRefused() async throws {
        let observed = Observed()
        let server = try Self.server(
            ServerConfiguration(webSocketOrigins: OriginPolicy(allowed: ["https://shop.example"])), observed: observed)
        let port = server.port
        let outcomes = try await blocking { () -> [String: Bool] in
            var opened: [String: Bool] = [:]
            let origins = [
                "none": nil, "own": "http://127.0.0.1:\(port)", "listed": "https://shop.example",
                "listed, other case": "HTTPS://Shop.Example", "other site": "https://evil.example",
                "listed host, other scheme": "http://shop.example", "own host, other port": "http://127.0.0.1:1",
            ]
            for (name, origin) in origins {
                do {
                    let client = try WebSocketTestClient(
                        port: port, path: "/ws/echo", headers: origin.map { ["Origin": $0] } ?? [:])
                    try client.sendText("hi")
                    opened[name] = try client.readFrame() == .text("echo: hi")
                } catch {
                    opened[name] = false
                }
            }
            return opened
        }
        await server.stop()
        #expect(outcomes == [
            "none": true, "own": true, "listed": true, "listed, other case": true, "other site": false,
            "listed host, other scheme": false, "own host, other port": false,
        ])
        #expect(server.metrics.render().contains(#"orderbot_websocket_refused_upgrades_total{reason="origin"} 3"#))
    }

    @Test func allowedOriginsAreReadStrictly() throws {
        #expect(try OriginPolicy.parse("https://shop.example, http://localhost:3000").get()
            == OriginPolicy(allowed: ["https://shop.example", "http://localhost:3000"]))
        #expect(try OriginPolicy.parse("https://a.example https://b.example/").get().allowed == ["https://a.example", "https://b.example"])
        for bad in ["shop.example", "ftp://shop.example", "https://shop.example/path", "https://", "https://user@shop.example"] {
            #expect(throws: OriginListError.self, "\(bad)") { try OriginPolicy.parse(bad).get() }
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
