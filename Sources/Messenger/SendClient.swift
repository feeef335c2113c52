import Foundation
import Lifecycle
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Posts Send API requests to `{apiBase}/me/messages?access_token=…` and classifies the answers.
///
/// URLSession (libcurl on Linux) does the I/O on its own threads; a caller only suspends.
final class SendClient: Sendable {
    private let endpoint: URL
    private let session: URLSession
    private let timeout: Duration

    /// A client for the Page whose token is `pageToken`; nil when `apiBase` is not a URL.
    init?(apiBase: String, pageToken: String, timeout: Duration, connections: Int) {
        let base = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
        guard var components = URLComponents(string: base + "/me/messages"), components.host != nil else { return nil }
        components.queryItems = [URLQueryItem(name: "access_token", value: pageToken)]
        // URLComponents leaves "+" alone, which a server reads as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let endpoint = components.url else { return nil }
        self.endpoint = endpoint
        // FoundationNetworking truncates timeouts to whole seconds (0.5 s would be none at all).
        self.timeout = .seconds(max(1, timeout.seconds.rounded(.up)))
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = self.timeout.seconds
        configuration.httpMaximumConnectionsPerHost = connections
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    /// Sends one message; never throws: every failure is an outcome.
    func send(_ request: SendRequest) async -> SendOutcome {
        var http = URLRequest(url: endpoint, timeoutInterval: timeout.seconds)
        http.httpMethod = "POST"
        http.setValue("application/json", forHTTPHeaderField: "Content-Type")
        http.httpBody = request.body()
        do {
            let (data, response) = try await session.data(for: http)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            return SendOutcome.classify(status: status, body: data)
        } catch {
            return SendOutcome.classify(transportError: error, timeout: timeout)
        }
    }

    /// Lets requests in flight finish, then releases the session.
    func close() {
        session.finishTasksAndInvalidate()
    }
}
