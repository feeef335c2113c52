import Foundation
import NLU
import Wire

/// What a web chat page sends over `/ws/chat` (CONTRACT.md), checked.
package enum ChatRequest: Equatable {
    /// Starts a session, or resumes `session` when the server issued it.
    case hello(session: String?, language: Language?)
    /// A customer message; `clientID` is the page's own id for it (a resend carries the same).
    case message(clientID: String, text: String)

    /// The longest message a customer may send in one frame, in characters.
    package static let maximumTextLength = 4_000
    /// The longest `client_id` a page may use.
    static let maximumClientIDLength = 100

    /// Reads one text frame.
    package static func parse(_ text: String) throws(ChatFrameError) -> ChatRequest {
        do {
            return try read(RequestFrame(text))
        } catch {
            throw .frame(error)
        }
    }

    private static func read(_ frame: RequestFrame) throws(FrameProblem) -> ChatRequest {
        switch frame.type {
        case "hello":
            return .hello(session: try frame.optionalString("session"), language: try frame.optionalString("language").flatMap(Language.init(tag:)))
        case "message":
            let clientID = try frame.string("client_id")
            guard !clientID.isEmpty, clientID.count <= maximumClientIDLength else {
                throw .invalid("message.client_id must be 1–\(maximumClientIDLength) characters.")
            }
            return .message(clientID: clientID, text: try frame.text("text", maximum: maximumTextLength))
        default:
            throw .unknownType(frame.type, known: "hello or message")
        }
    }
}

/// Why a chat frame was refused; sent back as `error{code, message}`, the socket stays open and
/// nothing changed.
package enum ChatFrameError: Error, Equatable {
    /// Not a request frame, or one with a field missing or wrong.
    case frame(FrameProblem)
    /// A `message` before the `hello`.
    case helloRequired
    /// A second `hello` on one socket.
    case alreadyStarted
    /// Over the rate limit named `limit` (`chat_hello`, `chat_message`, `chat_session_message`).
    case rateLimited(limit: String, retryAfterSeconds: Int)

    package var code: String {
        switch self {
        case .frame(let problem): problem.code
        case .helloRequired: "hello_required"
        case .alreadyStarted: "already_started"
        case .rateLimited: "rate_limited"
        }
    }

    package var message: String {
        switch self {
        case .frame(let problem): problem.message
        case .helloRequired: "Send hello{session?, language?} first."
        case .alreadyStarted: "This socket has said hello already; reconnect to start another session."
        case .rateLimited(_, let seconds): "Too many frames; wait \(seconds) s and send it again."
        }
    }
}
