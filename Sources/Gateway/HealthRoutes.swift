import Storage
import Telemetry
import WebServer

/// `GET /healthz` (is the database reachable?) and `GET /metrics` (Prometheus text).
struct HealthRoutes: Sendable {
    let database: DatabasePool
    let metrics: MetricsRegistry

    func install(in router: inout Router) {
        router.get("/healthz") { [database] _ in
            do {
                _ = try await database.read { db in try db.queryFirst("SELECT 1") { $0.int(0) } }
                return .text("ok")
            } catch {
                throw HTTPError(.serviceUnavailable, code: "database_unavailable", message: "The database cannot be read.")
            }
        }
        router.get("/metrics") { [metrics] _ in
            HTTPResponse(
                status: .ok, headers: ["content-type": MetricsRegistry.contentType], body: .init(metrics.render().utf8))
        }
    }
}
