import Storage
import Telemetry
import WebServer

/// `GET /healthz` (answered from the health monitor, on the I/O thread) and `GET /metrics`
/// (Prometheus text).
struct HealthRoutes: Sendable {
    let health: HealthMonitor
    let metrics: MetricsRegistry

    func install(in router: inout Router) {
        router.addInline(.get, "/healthz") { [health] (_: HTTPRequest) throws(HTTPError) -> HTTPResponse in
            switch health.status {
            case .healthy:
                return Self.ok
            case .unhealthy:
                throw HTTPError(.serviceUnavailable, code: "unhealthy", message: "The database cannot be read.")
            }
        }
        router.get("/metrics") { [metrics] _ in
            HTTPResponse(
                status: .ok, headers: ["content-type": MetricsRegistry.contentType], body: .init(metrics.render().utf8))
        }
    }

    private static let ok = HTTPResponse.text("ok")

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
