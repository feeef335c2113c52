import Commerce
import Foundation
import Storage
import WebServer
import Wire

/// What a committed write changed in the catalog, for whoever keeps a copy of it.
package enum CatalogChange: Sendable, Equatable {
    /// Any product may have changed: a whole new catalog.
    case everything
    /// These products changed.
    case products(Set<String>)
}

/// The catalog from the shop's systems, admin token only: `PUT /api/catalog` makes the catalog
/// a CSV file, `PATCH /api/variants/{sku}` changes one variant's stock or price. Each change is
/// one write transaction; once it has committed, `catalogChanged` hears of it, so the
/// conversations check stock and prices against the new catalog.
package struct CatalogRoutes: Sendable {
    /// The largest catalog file taken (about 200,000 variants), from the admin token only.
    package static let maximumCatalogBytes = 32 << 20

    /// Where the catalog is written, and agents' tokens are checked.
    let database: DatabasePool
    /// The shop's currency: the one a PATCHed price is in.
    let currency: String
    /// The admin token's guard; agents' tokens are checked against `database` beside it.
    let authorization: BearerAuthorization
    /// Called after a change has committed; throws when the copy could not take it up.
    let catalogChanged: @Sendable (CatalogChange) throws -> Void

    package init(
        database: DatabasePool, currency: String, authorization: BearerAuthorization,
        catalogChanged: @escaping @Sendable (CatalogChange) throws -> Void
    ) {
        self.database = database
        self.currency = currency
        self.authorization = authorization
        self.catalogChanged = catalogChanged
    }

    private var access: APIAccess { APIAccess(admin: authorization, database: database) }

    package func install(in router: inout Router) {
        // A body over the server's limit is read only for the admin token: the head is checked first.
        let allowance = BodyAllowance(maxBytes: Self.maximumCatalogBytes) { [authorization] request throws(HTTPError) in
            try authorization.check(request)
        }
        router.add(.put, "/api/catalog", allowing: allowance) { request in try await replaceCatalog(request) }
        router.add(.patch, "/api/variants/{sku}") { request in try await changeVariant(request) }
    }

    private func replaceCatalog(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await access.requireAdmin(request, to: "change the catalog")
        let file = try CatalogUpload.file(in: request)
        let summary = try await database.write { db in try CatalogImport().replace(with: file, in: db) }
        try announce(.everything)
        return try APIJSON.response(API.CatalogSummary(summary))
    }

    private func changeVariant(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await access.requireAdmin(request, to: "change the catalog")
        guard ["application/json", "application/merge-patch+json"].contains(request.contentType ?? "") else {
            throw HTTPError(
                .unsupportedMediaType, code: "unsupported_media_type", message: "Send the change as application/json.")
        }
        let change = try VariantPatch(currency: currency).change(from: request.body)
        let sku = request.pathParameters["sku"] ?? ""
        let variant = try await database.write { db in try Catalog().update(sku, with: change, in: db) }
        guard let variant else { throw HTTPError(.notFound, code: "not_found", message: "There is no such variant.") }
        try announce(.products([variant.productID]))
        return try APIJSON.response(API.Variant(variant))
    }

    /// Tells `catalogChanged` about a committed change; its failure is the caller's cue to send
    /// the same (idempotent) request again.
    private func announce(_ change: CatalogChange) throws {
        do {
            try catalogChanged(change)
        } catch {
            throw CatalogNotReloaded(change: change, underlying: error)
        }
    }
}

/// A catalog change that committed, but that the copy the conversations use has not taken up.
struct CatalogNotReloaded: Error, HTTPErrorConvertible, CustomStringConvertible {
    /// The change that committed.
    let change: CatalogChange
    /// Why the copy did not take it up (logged, never sent).
    let underlying: any Error

    var httpError: HTTPError? {
        HTTPError(
            .internalServerError, code: "catalog_not_reloaded",
            message: "The change is saved, but conversations do not see it yet; send the same request again.")
    }

    var description: String { "the catalog changed (\(change)) but its copy was not refreshed: \(underlying)" }
}
