import Telemetry

/// What a route runs: takes the whole request, answers with a response, possibly later.
/// Handlers run on Swift's cooperative pool, never on the I/O thread.
public typealias HTTPHandler = @Sendable (HTTPRequest) async throws -> HTTPResponse

/// Maps method + path to handlers. Routes are tried in the order they were added.
public struct Router: Sendable {
    struct Route: Sendable {
        let method: HTTPMethod
        let pattern: RoutePattern
        let handler: HTTPHandler
    }

    /// How a request resolved against the routes.
    enum Resolution {
        case matched(Route, parameters: [String: String])
        /// Some route has this path, but not for this method.
        case methodNotAllowed(allowed: [HTTPMethod])
        case notFound
    }

    private var routes: [Route] = []

    public init() {}

    /// Adds a route; `pattern` may hold `{name}` and a final `{name...}` segment.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPHandler) {
        routes.append(Route(method: method, pattern: RoutePattern(pattern), handler: handler))
    }

    public mutating func get(_ pattern: String, _ handler: @escaping HTTPHandler) { add(.get, pattern, handler) }
    public mutating func post(_ pattern: String, _ handler: @escaping HTTPHandler) { add(.post, pattern, handler) }
    public mutating func put(_ pattern: String, _ handler: @escaping HTTPHandler) { add(.put, pattern, handler) }
    public mutating func delete(_ pattern: String, _ handler: @escaping HTTPHandler) { add(.delete, pattern, handler) }

    /// Finds the route for `method` and `path`. HEAD is served by the GET route of the same path.
    func resolve(method: HTTPMethod, path: String) -> Resolution {
        let segments = RoutePattern.split(path)
        let lookup = method == .head ? HTTPMethod.get : method
        var allowed: [HTTPMethod] = []
        for route in routes {
            guard let parameters = route.pattern.match(segments) else { continue }
            if route.method == lookup { return .matched(route, parameters: parameters) }
            if !allowed.contains(route.method) { allowed.append(route.method) }
        }
        guard !allowed.isEmpty else { return .notFound }
        if allowed.contains(.get) { allowed.append(.head) }
        return .methodNotAllowed(allowed: allowed)
    }

    /// Runs `request` through the routes with no socket involved: the same resolution, error
    /// mapping and HEAD handling the server applies. Useful in tests and in-process callers.
    public func respond(to request: HTTPRequest, logger: Logger = .disabled) async -> HTTPResponse {
        switch resolve(method: request.method, path: request.path) {
        case .notFound:
            return .error(.notFound)
        case .methodNotAllowed(let allowed):
            return .error(.methodNotAllowed(allowed: allowed))
        case .matched(let route, let parameters):
            var routed = request
            routed.pathParameters = parameters
            routed.route = route.pattern.description
            return await Self.run(route.handler, routed, logger: logger)
        }
    }

    /// Calls `handler`, turning thrown errors into JSON error responses.
    static func run(_ handler: HTTPHandler, _ request: HTTPRequest, logger: Logger) async -> HTTPResponse {
        do {
            return try await handler(request)
        } catch let error as HTTPError {
            return .error(error)
        } catch {
            logger.error("handler failed", [
                "route": .string(request.route ?? request.path), "method": .string(request.method.rawValue),
                "error": .string(String(describing: error)),
            ])
            return .error(.internalError)
        }
    }
}
