import Commerce
import Foundation
import ShopValues
import Storage
import WebServer
import Wire

/// The read API of CONTRACT.md: customers, orders, transcripts and the escalation queue, as
/// JSON, behind the admin token or an enabled agent's token. Reads run on the database's reader
/// connections.
package struct APIRoutes: Sendable {
    let database: DatabasePool
    let facts: ShopFacts
    /// The admin token's guard; agents' tokens are checked against `database` beside it.
    let authorization: BearerAuthorization

    package init(database: DatabasePool, facts: ShopFacts, authorization: BearerAuthorization) {
        self.database = database
        self.facts = facts
        self.authorization = authorization
    }

    private var access: APIAccess { APIAccess(admin: authorization, database: database) }

    package func install(in router: inout Router) {
        route(&router, "/api/customers/{id}") { request in
            guard let id = Int64(request.pathParameters["id"] ?? "") else { throw Self.notFound("customer") }
            return try APIJSON.response(try await customerRecord(id))
        }
        adminRoute(&router, .get, "/api/customers/{id}/export") { request in
            guard let id = Int64(request.pathParameters["id"] ?? "") else { throw Self.notFound("customer") }
            return try APIJSON.response(try await export(id))
        }
        adminRoute(&router, .delete, "/api/customers/{id}") { request in
            guard let id = Int64(request.pathParameters["id"] ?? "") else { throw Self.notFound("customer") }
            let report: CustomerErasure.Report
            do {
                report = try await database.write { db in try CustomerErasure().erase(id, in: db) }
            } catch CommerceError.unknownCustomer {
                throw Self.notFound("customer")
            }
            // The erased bytes leave the WAL only once it is folded into the file.
            let database = database
            let checkpointed = try await Task.detached { try database.checkpoint() }.value
            return try APIJSON.response(API.Erasure(customerId: report.customerId, erased: report.erased, checkpointed: checkpointed))
        }
        route(&router, "/api/customers") { request in
            let identity = try Self.identity(in: request.query)
            let found = try await database.read { db in try Customers().customers(withContact: identity, in: db) }
            var records: [API.CustomerRecord] = []
            for id in found { records.append(try await customerRecord(id)) }
            return try APIJSON.response(API.Customers(customers: records))
        }
        route(&router, "/api/orders/{number}") { request in
            guard let number = OrderNumber(request.pathParameters["number"] ?? "") else { throw Self.notFound("order") }
            let order = try await database.read { [facts] db in try Orders(facts: facts).find(number, in: db) }
            guard let order else { throw Self.notFound("order") }
            return try APIJSON.response(API.order(order))
        }
        route(&router, "/api/orders") { request in
            guard let text = request.query["customer_id"] else {
                throw Self.badQuery("missing_query", "Give customer_id.")
            }
            guard let customer = Int64(text) else { throw Self.badQuery("invalid_query", "customer_id must be a number.") }
            let orders = try await database.read { [facts] db -> [Order]? in
                guard let found = try Customers().find(customer, in: db) else { return nil }
                return try Orders(facts: facts).orders(ofCustomer: found.id, in: db)
            }
            guard let orders else { throw Self.notFound("customer") }
            return try APIJSON.response(API.Orders(orders: orders.map(API.order)))
        }
        route(&router, "/api/conversations/{id}/messages") { request in
            guard let id = Int64(request.pathParameters["id"] ?? "") else { throw Self.notFound("conversation") }
            let transcript = try await database.read { db -> (Conversation, [Message])? in
                guard let conversation = try Conversations().find(id, in: db) else { return nil }
                return (conversation, try Conversations().messages(of: id, in: db))
            }
            guard let (conversation, messages) = transcript else { throw Self.notFound("conversation") }
            return try APIJSON.response(API.Transcript(conversation: API.conversation(conversation), messages: messages.map(API.message)))
        }
        route(&router, "/api/escalations") { request in
            var status: EscalationStatus?
            if let text = request.query["status"] {
                guard let parsed = EscalationStatus(rawValue: text) else {
                    throw Self.badQuery("invalid_query", "status must be open, assigned or resolved.")
                }
                status = parsed
            }
            let wanted = status
            let queue = try await database.read { db in try Escalations().list(status: wanted, in: db) }
            return try APIJSON.response(API.Queue(escalations: queue.map(API.escalation)))
        }
        route(&router, "/api/openapi.json") { _ in
            .json(Data(PackageResources.openapi_json))
        }
    }

    /// Adds a route for the admin token only (an agent's token gets 403): what concerns a
    /// customer's rights, not their service.
    private func adminRoute(
        _ router: inout Router, _ method: HTTPMethod, _ pattern: String,
        _ handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) {
        router.add(method, pattern) { [access] request in
            try await access.requireAdmin(request, to: "export or erase a customer")
            return try await handler(request)
        }
    }

    /// Everything held about a customer (GDPR art. 15 and 20): the record with every order,
    /// escalation and conversation, and every message of every conversation.
    private func export(_ id: Int64) async throws -> API.Export {
        let export = try await database.read { [facts] db -> API.Export? in
            guard let customer = try Customers().find(id, in: db), try !Customers().isErased(customer.id, in: db) else { return nil }
            let conversations = try Conversations().conversations(ofCustomer: customer.id, limit: Int(Int32.max), in: db)
            let counts = try Conversations().messageCounts(ofCustomer: customer.id, in: db)
            let orders = try Orders(facts: facts).orders(ofCustomer: customer.id, in: db)
            let record = API.customer(
                customer, orders: orders, escalations: try Escalations().escalations(ofCustomer: customer.id, in: db),
                conversations: conversations.map { ($0, counts[$0.id] ?? 0) })
            let transcripts = try conversations.map { conversation in
                API.Transcript(
                    conversation: API.conversation(conversation),
                    messages: try Conversations().messages(of: conversation.id, in: db).map(API.message))
            }
            return API.Export(customer: record, orders: orders.map(API.order), transcripts: transcripts, exportedAt: API.time(Date()))
        }
        guard let export else { throw Self.notFound("customer") }
        return export
    }

    /// Adds a GET route that first checks the token.
    private func route(_ router: inout Router, _ pattern: String, _ handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) {
        router.get(pattern) { [access] request in
            _ = try await access.caller(of: request)
            return try await handler(request)
        }
    }

    private func customerRecord(_ id: Int64) async throws -> API.CustomerRecord {
        let record = try await database.read { [facts] db -> API.CustomerRecord? in
            guard let customer = try Customers().find(id, in: db), try !Customers().isErased(customer.id, in: db) else { return nil }
            let conversations = try Conversations().conversations(ofCustomer: customer.id, in: db)
            let counts = try Conversations().messageCounts(ofCustomer: customer.id, in: db)
            return API.customer(
                customer, orders: try Orders(facts: facts).orders(ofCustomer: customer.id, in: db),
                escalations: try Escalations().escalations(ofCustomer: customer.id, in: db),
                conversations: conversations.map { ($0, counts[$0.id] ?? 0) })
        }
        guard let record else { throw Self.notFound("customer") }
        return record
    }

    /// The one identity a customer search names: `phone`, `email` or `messenger`; any other
    /// parameter is refused (a misspelt one would otherwise be a search for nothing).
    private static func identity(in query: QueryParameters) throws(HTTPError) -> Identity {
        let names = ["phone", "email", "messenger"]
        if let unknown = query.first(where: { !names.contains($0.name) }) {
            throw badQuery("unknown_parameter", "Unknown parameter \"\(unknown.name.prefix(40))\": give one of phone, email or messenger.")
        }
        let given = names.compactMap { name in query[name].map { (name, $0) } }
        guard let (name, value) = given.first else {
            throw badQuery("missing_query", "Give one of phone, email or messenger.")
        }
        guard given.count == 1 else { throw badQuery("ambiguous_query", "Give only one of phone, email or messenger.") }
        switch name {
        case "phone":
            guard let phone = PhoneNumber(value) else { throw badQuery("invalid_phone", "phone is not a phone number.") }
            return Identity(.phone, phone.e164)
        case "email":
            guard let email = EmailAddress(value) else { throw badQuery("invalid_email", "email is not an e-mail address.") }
            return Identity(.email, email.value)
        default:
            guard Self.isMessengerID(value) else {
                throw badQuery("invalid_query", "messenger is not a page-scoped id (1 to 128 letters, digits, '.', '_', ':' or '-').")
            }
            return Identity(.messenger, value)
        }
    }

    /// What Meta sends as a sender's id (digits) or `user_ref` (the page's own token): nothing
    /// with spaces or control characters, which libwebsockets also cuts from a query.
    private static func isMessengerID(_ value: String) -> Bool {
        (1...128).contains(value.utf8.count) && value.utf8.allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || Array("._:-".utf8).contains(byte)
        }
    }

    private static func notFound(_ what: String) -> HTTPError {
        HTTPError(.notFound, code: "not_found", message: "There is no such \(what).")
    }

    private static func badQuery(_ code: String, _ message: String) -> HTTPError {
        HTTPError(.badRequest, code: code, message: message)
    }
}
