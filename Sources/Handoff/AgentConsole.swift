import Foundation
import RateLimits
import WebServer
import Wire

/// `GET /ws/agent`: the agents' console (CONTRACT.md). The first frame must be `auth{token}`
/// within the time allowed (5 s), else the socket is closed with 4401; a wrong or disabled token
/// is answered `error{unauthorized}` and closed with 4401 too. After `ready` and the queue, every
/// frame is a request to the hub; a frame that is not one is answered `error{…}` and changes
/// nothing. Before each frame the agent must still be enabled: a disabled agent's consoles are
/// answered `error{agent_disabled}` and closed with 4403, and their frames never acted on.
package struct AgentConsole: Sendable {
    package static let path = "/ws/agent"
    package static let unauthorized = WebSocketCloseCode(4401)
    /// The close code of a console whose agent was disabled while signed in.
    package static let disabled = WebSocketCloseCode(4403)
    /// The `error{code}` sent just before that close.
    static let disabledCode = "agent_disabled"

    let hub: HandoffHub
    /// The enabled agent a token belongs to, by name; nil for any other token.
    let authenticate: @Sendable (String) async -> String?
    let authTimeout: Duration
    /// Failed sign-ins by client address (shared with the other token guards); nil counts nothing.
    let lockout: RateLimiter?

    package init(
        hub: HandoffHub, authenticate: @escaping @Sendable (String) async -> String?, authTimeout: Duration,
        lockout: RateLimiter? = nil
    ) {
        self.lockout = lockout
        self.hub = hub
        self.authenticate = authenticate
        self.authTimeout = authTimeout
    }

    package var route: WebSocketRoute {
        WebSocketRoute(path: Self.path) { connection in await serve(connection) }
    }

    package func serve(_ connection: WebSocketConnection) async {
        await withDiscardingTaskGroup { timers in
            timers.addTask { [authTimeout] in
                guard (try? await Task.sleep(for: authTimeout)) != nil else { return }
                connection.send(AgentFrame.error("auth_timeout", "Send auth{token} first, within 5 seconds."))
                connection.close(Self.unauthorized, reason: "no auth frame in time")
            }
            var agent: String?
            frames: for await frame in connection.messages {
                guard let signedIn = agent else {
                    timers.cancelAll()
                    let address = connection.upgrade.clientAddress
                    if let decision = lockout?.check(address), !decision.isAllowed {
                        connection.send(AgentFrame.error(
                            "rate_limited", "Too many failed sign-ins from this address; try again in \(decision.retryAfterSeconds) s."))
                        connection.close(.policyViolation, reason: "rate limited")
                        break
                    }
                    guard case .auth(let token)? = try? AgentRequest.parse(frame), let name = await authenticate(token) else {
                        _ = lockout?.take(address)
                        connection.send(AgentFrame.error("unauthorized", "The first frame must be auth{token} with a valid agent token."))
                        connection.close(Self.unauthorized, reason: "unauthorized")
                        break
                    }
                    agent = name
                    await hub.join(connection, agent: name)
                    continue
                }
                switch await hub.standing(of: signedIn, on: connection) {
                case .active: break
                case .revoked: break frames
                case .unknown:
                    connection.send(AgentFrame.error("internal_error", "The request could not be carried out; try again."))
                    continue
                }
                do throws(FrameProblem) {
                    await hub.handle(try AgentRequest.parse(frame), from: connection, agent: signedIn)
                } catch {
                    connection.send(AgentFrame.error(error.code, error.message))
                }
            }
            timers.cancelAll()
            if agent != nil { hub.leave(connection) }
        }
    }
}
