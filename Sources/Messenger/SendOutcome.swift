import Foundation

/// What one Send API call came to.
package enum SendOutcome: Sendable, Equatable {
    /// Messenger took the message; its id (the `mid` of later echoes and receipts).
    case sent(messageID: String)
    case failed(SendFailure)
}

/// Why a Send API call did not deliver, and what that means for trying again.
package struct SendFailure: Error, Sendable, Equatable {
    /// What a retry can achieve.
    package enum Kind: Sendable, Equatable {
        /// A passing failure on Meta's side or the network's: retry with backoff.
        case temporary
        /// Too many calls: retry after backing off longer.
        case rateLimited
        /// No answer, or one that does not say: the message may have been delivered, and the
        /// Send API has no idempotency key, so it is retried at most once.
        case ambiguous
        /// Retrying cannot help (bad token, closed window, blocked Page, bad request).
        case permanent
    }

    package let kind: Kind
    /// The error's code for metrics: Graph's `code` or `code/subcode` ("551/1545041"), or
    /// `http_<status>`, `timeout`, `network`, `unexpected_response`.
    package let code: String
    /// What went wrong, without the Graph API's "(#551) " prefix.
    package let message: String
    /// Graph's `fbtrace_id`, for Meta support; logged, never stored.
    package var traceID: String? = nil

    /// The line the outbox keeps: "551/1545041 This person isn't available right now."
    package var record: String {
        kind == .ambiguous ? "\(code): \(message) \(Self.ambiguityNote)" : "\(code) \(message)"
    }

    /// Whether Meta refused the Page access token (190): every reply fails until it is replaced.
    var rejectsPageToken: Bool { code == "190" || code.hasPrefix("190/") }

    /// Whether an outbox record says the attempt may have been delivered.
    package static func isAmbiguous(record: String?) -> Bool {
        record?.hasSuffix(ambiguityNote) ?? false
    }

    private static let ambiguityNote = "(may have been delivered)"
}

extension SendOutcome {
    /// Classifies the Send API's answer: by Graph's error `code` and `error_subcode` when the body
    /// has them (never by message text), otherwise by HTTP status.
    package static func classify(status: Int, body: Data) -> SendOutcome {
        if (200..<300).contains(status) {
            guard let success = try? JSONDecoder().decode(SuccessBody.self, from: body), !success.messageID.isEmpty else {
                return .failed(SendFailure(
                    kind: .ambiguous, code: "unexpected_response", message: "HTTP \(status) without a message_id"))
            }
            return .sent(messageID: success.messageID)
        }
        if let error = try? JSONDecoder().decode(ErrorBody.self, from: body).error {
            return .failed(error.failure)
        }
        let kind: SendFailure.Kind = switch status {
        case 429: .rateLimited
        case 500..<600: .temporary
        default: .permanent
        }
        return .failed(SendFailure(kind: kind, code: "http_\(status)", message: "HTTP \(status)"))
    }

    /// Classifies a request that got no HTTP answer: a timeout is ambiguous, anything else
    /// (refused, reset, unresolvable) temporary.
    package static func classify(transportError error: any Error, timeout: Duration) -> SendOutcome {
        if let urlError = error as? URLError, urlError.code == .timedOut {
            return .failed(SendFailure(kind: .ambiguous, code: "timeout", message: "no answer within \(timeout)"))
        }
        return .failed(SendFailure(kind: .temporary, code: "network", message: String(describing: error)))
    }

    private struct SuccessBody: Decodable {
        let messageID: String

        enum CodingKeys: String, CodingKey {
            case messageID = "message_id"
        }
    }

    /// `{"error":{"message":…,"code":…,"error_subcode":…,"fbtrace_id":…}}`
    private struct ErrorBody: Decodable {
        struct GraphError: Decodable {
            let message: String?
            let code: Int
            let subcode: Int?
            let traceID: String?

            enum CodingKeys: String, CodingKey {
                case message, code
                case subcode = "error_subcode"
                case traceID = "fbtrace_id"
            }

            var failure: SendFailure {
                SendFailure(
                    kind: Self.kind(of: code), code: subcode.map { "\(code)/\($0)" } ?? String(code),
                    message: Self.withoutCodePrefix(message ?? "no message"), traceID: traceID)
            }

            /// Meta's table: 1200, 1 and 2 are passing failures; 4, 17, 32 and 613 rate limits;
            /// everything else (190, 10, 551, 100, 200, 230…) is for a person to fix.
            static func kind(of code: Int) -> SendFailure.Kind {
                switch code {
                case 1, 2, 1200: .temporary
                case 4, 17, 32, 613: .rateLimited
                default: .permanent
                }
            }

            /// "(#551) This person…" → "This person…"
            static func withoutCodePrefix(_ message: String) -> String {
                guard message.hasPrefix("(#"), let close = message.firstIndex(of: ")") else { return message }
                return message[message.index(after: close)...].trimmingCharacters(in: .whitespaces)
            }
        }

        let error: GraphError
    }
}
