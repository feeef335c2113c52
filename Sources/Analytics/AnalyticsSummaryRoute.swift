import Commerce
import Foundation
import ReadAPI
import Storage
import WebServer
import Wire

/// `GET /api/analytics/summary?from=YYYY-MM-DD&to=YYYY-MM-DD`: the shop owner's numbers
/// (`ShopSummary`), admin token only, counted on a reader.
package struct AnalyticsSummaryRoute: Sendable {
    package static let path = "/api/analytics/summary"

    let database: DatabasePool
    let access: APIAccess
    let queries: ShopSummaryQueries

    package init(database: DatabasePool, currency: String, authorization: BearerAuthorization) {
        self.database = database
        access = APIAccess(admin: authorization, database: database)
        queries = ShopSummaryQueries(currency: currency)
    }

    package func install(in router: inout Router) {
        router.get(Self.path) { request in try await summary(request) }
    }

    func summary(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await access.requireAdmin(request, to: "read the shop's numbers")
        if let unknown = request.query.first(where: { $0.name != "from" && $0.name != "to" }) {
            throw HTTPError(
                .badRequest, code: "unknown_parameter", message: "Unknown parameter \"\(unknown.name.prefix(40))\": give from and to.")
        }
        let period: SummaryPeriod
        do {
            period = try SummaryPeriod(from: request.query["from"], to: request.query["to"])
        } catch {
            throw HTTPError(.badRequest, code: "invalid_query", message: error.description)
        }
        // The messages are most of the rows: counted on one reader while the rest is on another.
        async let messages = database.read { [queries] db in try queries.messages(of: period, in: db) }
        async let rest = database.read { [queries] db in try queries.conversationsAndOrders(of: period, in: db) }
        let summary = ShopSummaryQueries.adding(try await messages, to: try await rest)
        return try APIJSON.response(summary)
    }
}
