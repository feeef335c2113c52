import Storage
import Telemetry
import WebServer

/// `GET /healthz` (answered from the health monitor, on the I/O thread) and `GET /metrics`
/// (Prometheus text).
struct HealthRoutes: Sendable {
    let health: HealthMonitor
    let metrics: MetricsRegistry
    /// The deep check of `?deep=1`: nil when the database is sound, else what is wrong (safe to show).
    let deepCheck: @Sendable () async -> String?

    func install(in router: inout Router) {
        router.addInline(.get, "/healthz", { [health] (_: HTTPRequest) throws(HTTPError) -> HTTPResponse in
            switch health.status {
            case .healthy:
                return Self.ok
            case .unhealthy:
                throw HTTPError(.serviceUnavailable, code: "unhealthy", message: "The database cannot be read.")
            }
        }, deferring: { $0.query["deep"] == "1" }, to: { [deepCheck] _ in
            // `?deep=1`: the database file checked page by page (PRAGMA quick_check), off the I/O thread.
            guard let problem = await deepCheck() else { return Self.ok }
            throw HTTPError(.serviceUnavailable, code: "unhealthy", message: problem)
        })
        router.get("/metrics") { [metrics] _ in
            HTTPResponse(
                status: .ok, headers: ["content-type": MetricsRegistry.contentType], body: .init(metrics.render().utf8))
        }
    }

    private static let ok = HTTPResponse.text("ok")

    /// `PRAGMA quick_check` on a reader: nil when the file is sound.
    static func integrityCheck(_ database: DatabasePool) -> @Sendable () async -> String? {
        {
            do {
                let findings = try await database.read { db in try db.query("PRAGMA quick_check") { $0.string(0) } }
                return findings == ["ok"] ? nil : "The database file is damaged: \(findings.prefix(3).joined(separator: "; "))"
            } catch {
                return "The database cannot be read."
            }
        }
    }

    /// The probe the monitor runs: one read on the database.
    static func databaseProbe(_ database: DatabasePool) -> HealthMonitor.Probe {
        {
            do {
                try await database.read { db in try db.ping() }
                return nil
            } catch {
                return "database: \(error)"
            }
        }
    }
}
