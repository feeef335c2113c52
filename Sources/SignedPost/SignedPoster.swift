import Cryptography
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// POSTs JSON bodies to one of the shop's own systems (its notifier, its ERP), each signed with
/// `X-OrderBot-Signature: sha256=<hex HMAC-SHA256 of the body under the secret>`, and says
/// whether it was taken: a 2xx answer within 10 seconds. No cookies, no cache.
package final class SignedPoster: Sendable {
    private let url: URL
    private let secret: [UInt8]
    /// How problems name the system: "the notifier", "the ERP".
    private let system: String
    private let session: URLSession

    package init(url: URL, secret: String, system: String) {
        self.url = url
        self.secret = Array(secret.utf8)
        self.system = system
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    /// POSTs `body`; nil when the system took it, else what went wrong (its status, or that it
    /// could not be reached), never the body.
    package func post(_ body: [UInt8]) async -> String? {
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(HMACSHA256.header(for: body, key: secret), forHTTPHeaderField: "X-OrderBot-Signature")
        do {
            let (_, response) = try await session.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            return (200..<300).contains(status) ? nil : "\(system) answered \(status)"
        } catch {
            return "\(system) could not be reached (\((error as NSError).code))"
        }
    }

    /// Lets the request in flight finish, then releases the session.
    package func close() {
        session.finishTasksAndInvalidate()
    }
}
