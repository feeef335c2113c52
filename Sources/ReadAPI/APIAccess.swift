import Commerce
import Storage
import WebServer
import Wire

/// Who called the API.
package enum APICaller: Sendable, Equatable {
    /// Whoever holds `ORDERBOT_ADMIN_TOKEN`.
    case admin
    case agent(Agent)
}

/// The `/api/*` guard of CONTRACT.md: the admin token, or the token of an enabled agent.
///
/// The admin token is checked first, in memory and in constant time. Only a token with an
/// agent token's shape is then looked up, on a reader, so disabling an agent takes effect on
/// the next request. While `ORDERBOT_ADMIN_TOKEN` is unset the API is off for everyone, agents
/// included, with the admin guard's message.
package struct APIAccess: Sendable {
    let admin: BearerAuthorization
    let database: DatabasePool

    package init(admin: BearerAuthorization, database: DatabasePool) {
        self.admin = admin
        self.database = database
    }

    /// The caller `request` authenticates as; throws 401 otherwise.
    package func caller(of request: HTTPRequest) async throws -> APICaller {
        try admin.refuseLockedOut(request)
        do {
            let token = try admin.presentedToken(request)
            if admin.accepts(token) { return .admin }
            guard AgentToken.isWellFormed(token),
                  let agent = try await database.read({ db in try Agents().authenticate(token, in: db) })
            else { throw admin.invalidToken }
            return .agent(agent)
        } catch let refusal as HTTPError {
            admin.failed(request, refusal)
            throw refusal
        }
    }
}

extension BearerAuthorization {
    /// The `/api/*` guard: the admin token.
    package static func api(adminToken: String?) -> BearerAuthorization {
        BearerAuthorization(token: adminToken, what: "admin token", refusal: "The API is off", setting: "ORDERBOT_ADMIN_TOKEN")
    }
}

extension APIAccess {
    /// Throws 403 unless `request` carries the admin token (401 without a valid token at all);
    /// `what` completes the refusal: "Only the admin token may …".
    package func requireAdmin(_ request: HTTPRequest, to what: String) async throws {
        guard try await caller(of: request) == .admin else {
            throw HTTPError(.forbidden, code: "forbidden", message: "Only the admin token may \(what).")
        }
    }
}
