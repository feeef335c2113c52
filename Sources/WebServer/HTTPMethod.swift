/// The request methods the server routes. Others are answered 405 (or 400 when they are not
/// HTTP at all).
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case get = "GET"
    case head = "HEAD"
    case post = "POST"
    case put = "PUT"
    case patch = "PATCH"
    case delete = "DELETE"
    case options = "OPTIONS"

    /// Whether requests with this method are expected to carry a body with a Content-Length.
    var expectsBody: Bool {
        switch self {
        case .post, .put, .patch: true
        case .get, .head, .delete, .options: false
        }
    }

    public var description: String { rawValue }
}
