import Commerce
import Foundation
import NLU
import ReadAPI
import Storage
import WebServer
import Wire

/// The misses of the shop owner's view, admin token only: `GET /api/analytics/misunderstood`
/// lists what the bot did not understand, grouped by similar text; `POST
/// /api/analytics/misunderstood/{group}/accept` makes a group examples of an intent and teaches
/// them to the running classifier; `GET /api/analytics/examples` gives what was accepted as
/// JSON lines for Intents/.
package struct MissesRoutes: Sendable {
    /// The most groups one listing gives.
    package static let maximumLimit = 1_000

    let database: DatabasePool
    let access: APIAccess
    /// The classifier the conversations use: it learns accepted groups at once.
    let understanding: LanguageUnderstanding
    let teaching: MissTeaching

    package init(
        database: DatabasePool, authorization: BearerAuthorization, understanding: LanguageUnderstanding,
        now: @escaping Now = { Date() }
    ) {
        self.database = database
        self.access = APIAccess(admin: authorization, database: database)
        self.understanding = understanding
        self.teaching = MissTeaching(now: now)
    }

    package func install(in router: inout Router) {
        router.get("/api/analytics/misunderstood") { request in try await list(request) }
        router.add(.post, "/api/analytics/misunderstood/{group}/accept") { request in try await accept(request) }
        router.get("/api/analytics/examples") { request in try await examples(request) }
    }

    private func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await access.requireAdmin(request, to: "read the misunderstood messages")
        try Self.refuseUnknown(request.query, known: ["from", "to", "limit"])
        let period = try MissPeriod(from: request.query["from"], to: request.query["to"])
        let limit = try Self.limit(request.query["limit"])
        let listing = try await database.read { db in MissListing(try MissedMessages().all(in: db), in: period, limit: limit) }
        return try APIJSON.response(listing)
    }

    private func accept(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await access.requireAdmin(request, to: "teach the classifier")
        guard request.contentType == "application/json" else {
            throw HTTPError(.unsupportedMediaType, code: "unsupported_media_type", message: "An acceptance is application/json.")
        }
        let intent = try Self.intent(JSONBody(request.body, fields: ["intent"]).text("intent", maximum: 40))
        let id = request.pathParameters["group"] ?? ""
        let members: [MissedMessage]
        do {
            members = try await database.read { [teaching] db in
                try teaching.members(ofGroup: id, in: try MissedMessages().all(in: db), accepting: intent)
            }
        } catch MissTeachingError.unknownGroup {
            throw HTTPError(.notFound, code: "not_found", message: "There is no such group of misunderstood messages.")
        } catch MissTeachingError.acceptedAsAnother(_, let other) {
            throw HTTPError(.conflict, code: "accepted_as_another", message: "This group was accepted as \(other) before.")
        }
        let ids = members.map(\.id)
        let examples = try await database.write { [teaching] db in try teaching.accept(ids, as: intent, in: db) }
        understanding.learn(contentsOf: examples)
        return try APIJSON.response(Acceptance(group: id, intent: intent.rawValue, added: examples.count, messages: members.count))
    }

    private func examples(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await access.requireAdmin(request, to: "export the accepted examples")
        try Self.refuseUnknown(request.query, known: ["intent", "language"])
        let wanted = try request.query["intent"].map { name throws(HTTPError) in try Self.intent(name) }
        let language = try request.query["language"].map { code throws(HTTPError) in
            guard let language = Language(rawValue: code) else {
                throw HTTPError(.badRequest, code: "invalid_query", message: "language must be pl or en.")
            }
            return language
        }
        let labels = try await database.read { db in try IntentLabels().all(in: db) }
        let examples = labels.filter { $0.agent == MissTeaching.owner }.compactMap { label -> TrainingExample? in
            guard let intent = Intent(rawValue: label.intent), wanted.map({ $0 == intent }) ?? true,
                  let language = Language(rawValue: label.language) else { return nil }
            return TrainingExample(text: label.text, intent: intent, language: language)
        }
        // One intent in one language: the lines of its Intents/ file, ready to append.
        if let wanted, let language {
            let lines = examples.filter { $0.language == language }.map { ExampleLines.intentsFileLine($0) }
            let text = "# accepted by the shop owner in the dashboard (GET /admin)\n" + lines.map { $0 + "\n" }.joined()
            return HTTPResponse(
                headers: [
                    "content-type": "text/plain; charset=utf-8",
                    "content-disposition": "attachment; filename=\"\(wanted.rawValue)-\(language.rawValue).txt\"",
                ],
                body: Data(text.utf8))
        }
        let lines = examples.map { ExampleLines.line($0) + "\n" }
        return HTTPResponse(headers: ["content-type": "application/x-ndjson; charset=utf-8"], body: Data(lines.joined().utf8))
    }

    /// The answer to an acceptance.
    private struct Acceptance: Encodable {
        let group: String
        let intent: String
        /// Messages labelled now (0 when the group was accepted as this intent before).
        let added: Int
        /// Messages in the group, all time.
        let messages: Int
    }

    private static func intent(_ name: String) throws(HTTPError) -> Intent {
        guard let intent = Intent(rawValue: name) else {
            throw HTTPError(
                .badRequest, code: "invalid_field",
                message: "intent must be one of \(Intent.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return intent
    }

    private static func limit(_ text: String?) throws(HTTPError) -> Int {
        guard let text else { return 100 }
        guard let limit = Int(text), (1...maximumLimit).contains(limit) else {
            throw HTTPError(.badRequest, code: "invalid_query", message: "limit must be a whole number from 1 to \(maximumLimit).")
        }
        return limit
    }

    /// A misspelt parameter would otherwise silently widen the listing.
    private static func refuseUnknown(_ query: QueryParameters, known: Set<String>) throws(HTTPError) {
        if let unknown = query.first(where: { !known.contains($0.name) }) {
            throw HTTPError(
                .badRequest, code: "unknown_parameter",
                message: "Unknown parameter \"\(unknown.name.prefix(40))\": give \(known.sorted().joined(separator: ", ")).")
        }
    }
}
