import Foundation
import Telemetry
import TestSupport
import WebServer

/// A live server on port 0 with the routes a test gives it, logs kept in memory.
struct TestServer {
    let server: WebServer
    let port: Int
    let metrics: MetricsRegistry
    let logs: MemoryLogSink

    init(
        _ configuration: ServerConfiguration = ServerConfiguration(port: 0),
        webSockets: [WebSocketRoute] = [],
        routes: (inout Router) -> Void = { _ in }
    ) throws {
        var router = Router()
        routes(&router)
        var configuration = configuration
        configuration.port = 0
        metrics = MetricsRegistry()
        logs = MemoryLogSink()
        server = WebServer(
            configuration: configuration, router: router, webSockets: webSockets,
            logger: Logger(level: .debug, sink: logs), metrics: metrics)
        port = try server.start()
    }

    var client: HTTPTestClient { HTTPTestClient(port: port) }

    /// Shuts down and waits for the I/O thread to end.
    func stop() async {
        server.shutdown()
        await server.stopped()
    }
}

/// Bytes whose every position differs from its neighbours, so a shifted or dropped chunk shows.
func patternedBytes(count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
}
