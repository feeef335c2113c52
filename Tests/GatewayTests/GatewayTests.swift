import Commerce
import Foundation
import Gateway
import Storage
import Telemetry
import TestSupport
import Testing
import WebServer

/// The gateway in-process on port 0 with a temp database: health, metrics, schema.
struct GatewayTests {
    private static func start(_ directory: TemporaryDirectory) throws -> RunningGateway {
        let configuration = GatewayConfiguration(
            server: ServerConfiguration(port: 0), database: DatabaseConfiguration(path: directory.path("gw.sqlite")))
        let gateway = try Gateway(
            configuration: configuration, logger: Logger(level: .error, sink: MemoryLogSink()),
            understanding: EngineFixture.understanding)
        return try RunningGateway(gateway)
    }

    /// `run()` before `start()` has bound the port is refused, and nothing runs.
    @Test func runBeforeStartIsRefused() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Gateway(
            configuration: GatewayConfiguration(
                server: ServerConfiguration(port: 0), database: DatabaseConfiguration(path: directory.path("gw.sqlite"))),
            logger: Logger(level: .error, sink: MemoryLogSink()), understanding: EngineFixture.understanding)
        await #expect(throws: GatewayError.notStarted) { try await gateway.run() }
        #expect(gateway.port == 0)
    }

    /// `/healthz` answers 200 `ok` once the database is open.
    @Test func healthzIsOK() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory)
        let response = try await blocking { try HTTPTestClient(port: gateway.port).get("/healthz") }
        await gateway.stop()
        #expect(response.status == 200)
        #expect(response.text == "ok")
    }

    /// `/metrics` is Prometheus text with request counts by route and process gauges.
    @Test func metricsArePrometheusText() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory)
        let response = try await blocking { () -> RawHTTPResponse in
            let client = HTTPTestClient(port: gateway.port)
            _ = try client.get("/healthz")
            return try client.get("/metrics")
        }
        await gateway.stop()
        #expect(response.headers["content-type"] == MetricsRegistry.contentType)
        #expect(response.text.contains(#"orderbot_http_requests_total{route="/healthz",method="GET",status="200"} 1"#))
        #expect(response.text.contains("# TYPE process_resident_memory_bytes gauge"))
        #expect(response.text.contains("# TYPE orderbot_http_open_connections gauge"))
    }

    /// `/healthz?deep=1` checks the file page by page (off the I/O thread) and says ok.
    @Test func deepHealthCheckReadsTheFile() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory)
        let (plain, deep) = try await blocking { () -> (RawHTTPResponse, RawHTTPResponse) in
            let client = HTTPTestClient(port: gateway.port)
            return (try client.get("/healthz"), try client.get("/healthz?deep=1"))
        }
        await gateway.stop()
        #expect(plain.status == 200 && plain.text == "ok")
        #expect(deep.status == 200 && deep.text == "ok")
    }

    /// A damaged database file is refused at start with what quick_check found, and nothing is
    /// written to it.
    @Test func aDamagedFileIsRefusedAtStart() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("gw.sqlite")
        do {
            let pool = try DatabasePool(DatabaseConfiguration(path: path), migrator: Schema.migrator())
            try pool.write { db in try DemoCatalog.seedIfEmpty(in: db, now: { Date() }) }
            pool.close()
        }
        var bytes = try #require(FileManager.default.contents(atPath: path))
        // Garbage over the b-tree pages past the schema (page size 4096).
        for offset in stride(from: 3 * 4_096 + 100, to: min(bytes.count, 12 * 4_096), by: 4_096) {
            bytes.replaceSubrange(offset..<(offset + 200), with: Data(repeating: 0xA5, count: 200))
        }
        try bytes.write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StorageError.self) {
            _ = try DatabasePool(DatabaseConfiguration(path: path), migrator: Schema.migrator())
        }
        guard case .damaged(let reported, let findings)? = error else {
            Issue.record("expected .damaged, got \(String(describing: error))")
            return
        }
        #expect(reported == path)
        #expect(!findings.isEmpty && findings != ["ok"])
        #expect(error?.description.contains("orderbot backup") == true)
        #expect(FileManager.default.contents(atPath: path) == bytes, "nothing was written to it")
    }

    /// Starting migrates a new database file to the newest schema.
    @Test func databaseIsMigratedOnStart() async throws {
        let directory = TemporaryDirectory()
        let gateway = try Self.start(directory)
        await gateway.stop()
        let database = try Database(path: directory.path("gw.sqlite"))
        #expect(try database.schemaVersion() == Schema.migrations.count)
        let created = try database.queryFirst("SELECT value FROM gateway_metadata WHERE key = 'created_at'") { $0.string(0) }
        #expect(created?.hasPrefix("20") == true)
    }
}
