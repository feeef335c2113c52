import RateLimits

extension Router {
    /// Adds a POST route whose requests count against `limiter` by client address: over it, the
    /// client gets 429 with `Retry-After` and `handler` does not run. A nil limiter limits nothing.
    public mutating func post(_ pattern: String, limitedBy limiter: RateLimiter?, _ handler: @escaping HTTPHandler) {
        guard let limiter else { return post(pattern, handler) }
        post(pattern) { request in
            let decision = limiter.take(request.clientAddress)
            guard decision.isAllowed else { return .error(.rateLimited(retryAfterSeconds: decision.retryAfterSeconds)) }
            return try await handler(request)
        }
    }
}
