import Telemetry

/// What a route runs: takes the whole request, answers with a response, possibly later.
/// Handlers run on Swift's cooperative pool, never on the I/O thread.
public typealias HTTPHandler = @Sendable (HTTPRequest) async throws -> HTTPResponse

/// A handler that runs on the I/O thread itself and answers at once. It must not block, wait or
/// do I/O: it reads in-memory state and returns. Use it only where the hand-off to the
/// cooperative pool would cost more than the work (a health flag); everything else is an
/// `HTTPHandler`.
public typealias InlineHTTPHandler = @Sendable (HTTPRequest) throws(HTTPError) -> HTTPResponse

/// Maps method + path to handlers. A route without parameters (`/api/orders/latest`) wins over a
/// pattern matching the same path (`/api/orders/{id}`); patterns are tried in the order added.
public struct Router: Sendable {
    /// Where a route's handler runs.
    enum Handler: Sendable {
        case cooperative(HTTPHandler)
        case inline(InlineHTTPHandler)
        /// Inline, unless `defers` says the request needs the cooperative handler (a deep
        /// health check that reads the database, on a route otherwise answered from memory).
        case inlineUnless(defers: @Sendable (HTTPRequest) -> Bool, inline: InlineHTTPHandler, cooperative: HTTPHandler)
    }

    struct Route: Sendable {
        /// The route's position in the router, stable for its life: a cheap key for metrics.
        let id: Int
        let method: HTTPMethod
        let pattern: RoutePattern
        let handler: Handler
        /// A body limit above the server's, for the requests it admits.
        var bodyAllowance: BodyAllowance?
    }

    /// How a request resolved against the routes.
    enum Resolution {
        case matched(Route, parameters: [String: String])
        /// Some route has this path, but not for this method.
        case methodNotAllowed(allowed: [HTTPMethod])
        case notFound
    }

    private var routes: [Route] = []
    /// Routes whose pattern has no parameters, by path: most requests resolve without splitting.
    private var literalRoutes: [String: [Route]] = [:]

    public init() {}

    /// Adds a route; `pattern` may hold `{name}` and a final `{name...}` segment.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPHandler) {
        append(method, RoutePattern(pattern), .cooperative(handler))
    }

    /// Adds a route answered on the I/O thread by `inline`, except the requests `defers` picks,
    /// which go to `cooperative` like any other route's.
    public mutating func addInline(
        _ method: HTTPMethod, _ pattern: String, _ inline: @escaping InlineHTTPHandler,
        deferring defers: @escaping @Sendable (HTTPRequest) -> Bool, to cooperative: @escaping HTTPHandler
    ) {
        append(method, RoutePattern(pattern), .inlineUnless(defers: defers, inline: inline, cooperative: cooperative))
    }

    /// Adds a route whose handler runs on the I/O thread (see `InlineHTTPHandler`).
    public mutating func addInline(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping InlineHTTPHandler) {
        append(method, RoutePattern(pattern), .inline(handler))
    }

    /// Adds a route that takes bodies up to `allowance.maxBytes` from the requests the allowance
    /// admits; others keep the server's limit.
    public mutating func add(
        _ method: HTTPMethod, _ pattern: String, allowing allowance: BodyAllowance, _ handler: @escaping HTTPHandler
    ) {
        append(method, RoutePattern(pattern), .cooperative(handler), bodyAllowance: allowance)
    }

    private mutating func append(
        _ method: HTTPMethod, _ pattern: RoutePattern, _ handler: Handler, bodyAllowance: BodyAllowance? = nil
    ) {
        let route = Route(id: routes.count, method: method, pattern: pattern, handler: handler, bodyAllowance: bodyAllowance)
        routes.append(route)
        if let literal = pattern.literalPath { literalRoutes[literal, default: []].append(route) }
    }

    public mutating func get(_ pattern: String, _ handler: @escaping HTTPHandler) { add(.get, pattern, handler) }
    public mutating func post(_ pattern: String, _ handler: @escaping HTTPHandler) { add(.post, pattern, handler) }
    public mutating func put(_ pattern: String, _ handler: @escaping HTTPHandler) { add(.put, pattern, handler) }
    public mutating func delete(_ pattern: String, _ handler: @escaping HTTPHandler) { add(.delete, pattern, handler) }

    /// The methods some route serves at `path` (HEAD with GET); nil when no route has the path.
    func allowedMethods(for path: String) -> [HTTPMethod]? {
        let segments = RoutePattern.split(path)
        var allowed: [HTTPMethod] = []
        for route in routes where route.pattern.match(segments) != nil && !allowed.contains(route.method) {
            allowed.append(route.method)
        }
        guard !allowed.isEmpty else { return nil }
        if allowed.contains(.get), !allowed.contains(.head) { allowed.append(.head) }
        return allowed
    }

    /// Finds the route for `method` and `path`. HEAD is served by the GET route of the same path.
    func resolve(method: HTTPMethod, path: String) -> Resolution {
        let lookup = method == .head ? HTTPMethod.get : method
        if let literal = literalRoutes[RoutePattern.withoutTrailingSlash(path)],
           let route = literal.first(where: { $0.method == lookup }) {
            return .matched(route, parameters: [:])
        }
        let segments = RoutePattern.split(path)
        for route in routes where route.method == lookup {
            if let parameters = route.pattern.match(segments) { return .matched(route, parameters: parameters) }
        }
        guard let allowed = allowedMethods(for: path) else { return .notFound }
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
            switch route.handler {
            case .cooperative(let handler): return await Self.run(handler, routed, logger: logger)
            case .inline(let handler): return Self.run(handler, routed)
            case .inlineUnless(let defers, let inline, let cooperative):
                return defers(routed) ? await Self.run(cooperative, routed, logger: logger) : Self.run(inline, routed)
            }
        }
    }

    /// Calls `handler`, turning thrown errors into JSON error responses.
    static func run(_ handler: HTTPHandler, _ request: HTTPRequest, logger: Logger) async -> HTTPResponse {
        do {
            return try await handler(request)
        } catch let error as HTTPError {
            return .error(error)
        } catch {
            let mapped = (error as? any HTTPErrorConvertible)?.httpError
            logger.error(mapped == nil ? "handler failed" : "handler could not store", [
                "route": .string(request.route ?? request.path), "method": .string(request.method.rawValue),
                "error": .string(String(describing: error)),
            ])
            return .error(mapped ?? .internalError)
        }
    }

    /// Calls an inline handler, turning its error into a JSON error response.
    static func run(_ handler: InlineHTTPHandler, _ request: HTTPRequest) -> HTTPResponse {
        do {
            return try handler(request)
        } catch {
            return .error(error)
        }
    }
}
