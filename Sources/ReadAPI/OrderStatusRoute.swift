import Commerce
import Foundation
import ShopValues
import Storage
import WebServer
import Wire

/// A status the shop's ERP or warehouse reports for an order, as `POST /api/orders/{n}/status`
/// carries it.
struct StatusUpdate: Sendable, Equatable {
    let status: OrderStatus
    let tracking: Tracking?
    let note: String?

    static let fields: Set<String> = ["status", "carrier", "tracking_number", "tracking_url", "note"]

    /// Reads and checks the body; a 400 names the field that is wrong.
    init(_ body: Data) throws(HTTPError) {
        let json = try JSONBody(body, fields: Self.fields)
        let name = try json.text("status", maximum: 20)
        guard let status = OrderStatus(rawValue: name), status != .new else {
            throw HTTPError(
                .badRequest, code: "invalid_field",
                message: "status must be one of paid, packed, shipped, delivered, cancelled, returned.")
        }
        let url = try json.optionalText("tracking_url", maximum: 2_000)
        if let url, !Self.isWebAddress(url) {
            throw HTTPError(.badRequest, code: "invalid_field", message: "tracking_url must be an http(s) address without spaces.")
        }
        self.status = status
        self.tracking = Tracking.known(
            carrier: try json.optionalText("carrier", maximum: 100),
            number: try json.optionalText("tracking_number", maximum: 100), url: url)
        self.note = try json.optionalText("note", maximum: 1_000)
    }

    private static func isWebAddress(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), url.host?.isEmpty == false else { return false }
        return (scheme == "https" || scheme == "http") && !text.contains(where: \.isWhitespace)
    }
}

/// `POST /api/orders/{number}/status`: the shop's ERP or warehouse says where an order is
/// (admin token only). The move is checked against the order's life (`OrderStatus.successors`:
/// an impossible one is 409), recorded in its history with the tracking details, sent on to the
/// ERP as an order event, and told to the customer once, on the channel they last used, all in
/// one transaction. An `Idempotency-Key` makes a retry harmless: the same key with the same
/// body answers 200 with the order and changes nothing, with another body 422.
package struct OrderStatusRoute: Sendable {
    package static let pattern = "/api/orders/{number}/status"
    /// The header a client names its retries with.
    package static let idempotencyHeader = "idempotency-key"
    /// Keys are the client's names for its updates of one order: the same key and body sent
    /// to another order is another update, not a repeat.
    private static func scope(of number: OrderNumber) -> String { "order-status:" + number.digits }

    let database: DatabasePool
    let facts: ShopFacts
    let access: APIAccess
    let notices: OrderNotices
    /// A notice was queued (after the commit): wake whatever carries it.
    let noticeQueued: @Sendable (NoticeRoute) -> Void
    /// The order moved (after the commit): its event waits for the ERP's worker, and a
    /// cancellation put its stock back on sale.
    let moved: @Sendable (Order) -> Void

    package init(
        database: DatabasePool, facts: ShopFacts, authorization: BearerAuthorization, notifierConfigured: Bool,
        noticeQueued: @escaping @Sendable (NoticeRoute) -> Void, moved: @escaping @Sendable (Order) -> Void
    ) {
        self.database = database
        self.facts = facts
        self.access = APIAccess(admin: authorization, database: database)
        self.notices = OrderNotices(notifierConfigured: notifierConfigured)
        self.noticeQueued = noticeQueued
        self.moved = moved
    }

    package func install(in router: inout Router) {
        router.add(.post, Self.pattern) { request in try await update(request) }
    }

    private enum Outcome {
        case moved(Order, NoticeRoute)
        case repeated(Order?)
    }

    func update(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await access.requireAdmin(request, to: "change an order's status")
        guard request.contentType == "application/json" else {
            throw HTTPError(.unsupportedMediaType, code: "unsupported_media_type", message: "A status update is application/json.")
        }
        guard let number = OrderNumber(request.pathParameters["number"] ?? "") else { throw Self.noSuchOrder }
        let key = try Self.idempotencyKey(of: request)
        let update = try StatusUpdate(request.body)
        let body = request.body
        let outcome = try await database.write { [facts, notices] db -> Outcome in
            if let key {
                switch try IdempotencyKeys().lookUp(key, scope: Self.scope(of: number), body: body, in: db) {
                case .fresh: break
                case .repeated: return .repeated(try Orders(facts: facts).find(number, in: db))
                case .reusedForAnotherRequest:
                    throw HTTPError(
                        .unprocessableContent, code: "idempotency_key_reused",
                        message: "This Idempotency-Key was used for another request; use a new key for a new update.")
                }
            }
            let order: Order
            do {
                order = try Self.apply(update, to: number, orders: Orders(facts: facts), in: db)
            } catch CommerceError.unknownOrder {
                throw Self.noSuchOrder
            } catch CommerceError.invalidTransition(_, let from, let to) {
                throw HTTPError(
                    .conflict, code: "invalid_transition",
                    message: "Order \(number) is \(from); it cannot become \(to)"
                        + (from.successors.isEmpty ? "." : " (it can become \(from.successors.map(\.rawValue).sorted().joined(separator: ", "))).")
                )
            }
            let news: NoticeText = update.status == .paid ? .payment(of: order) : .status(of: order, facts: facts)
            let route = try notices.tell(news, about: order, in: db)
            if let key {
                try IdempotencyKeys().remember(
                    RememberedResponse(status: 200, body: ""), key: key, scope: Self.scope(of: number), body: body, in: db)
            }
            return .moved(order, route)
        }
        switch outcome {
        case .moved(let order, let route):
            noticeQueued(route)
            moved(order)
            return try APIJSON.response(API.order(order))
        case .repeated(let order):
            guard let order else { throw Self.noSuchOrder }
            var response = try APIJSON.response(API.order(order))
            response.headers.add("idempotent-replayed", "true")
            return response
        }
    }

    /// `paid` is the money coming in: it moves a `new` order, and only marks the payment of one
    /// already on its way (cash on delivery paid at the door); every other status is a move.
    private static func apply(_ update: StatusUpdate, to number: OrderNumber, orders: Orders, in db: Database) throws -> Order {
        guard update.status == .paid else {
            return try orders.move(number, to: update.status, tracking: update.tracking, note: update.note, in: db)
        }
        return try orders.markPaid(number, note: update.note, in: db)
    }

    private static func idempotencyKey(of request: HTTPRequest) throws(HTTPError) -> String? {
        guard let key = request.headers[idempotencyHeader] else { return nil }
        guard IdempotencyKeys.isWellFormed(key) else {
            throw HTTPError(
                .badRequest, code: "invalid_idempotency_key", message: "Idempotency-Key must be 1–255 visible ASCII characters.")
        }
        return key
    }

    private static var noSuchOrder: HTTPError { HTTPError(.notFound, code: "not_found", message: "There is no such order.") }
}
