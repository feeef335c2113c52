import Foundation
@testable import Messenger
import Synchronization
import Telemetry
import WebServer

/// A stand-in for the Graph API's Send API: a real HTTP server on port 0 that takes
/// `POST /v19.0/me/messages`, records every request and answers by a `Script`.
///
/// ```swift
/// let graph = try SendAPIStandIn()
/// let configuration = MessengerSendConfiguration(apiBase: graph.baseURL, pageToken: "page-token")
/// // … deliver …
/// _ = try await blocking { graph.waitUntil { graph.delivered(to: "psid-1").count == 2 } }
/// await graph.stop()
/// ```
final class SendAPIStandIn: Sendable {
    /// How requests are answered. For each request (numbered from 1 in order of arrival) the
    /// first rule that applies wins: the recipient's permanent error, HTTP 500 for the first
    /// `failingFirst`, error 613 for the numbers in `rateLimited`; otherwise success: a sender
    /// action gets `{"recipient_id":…}`, a message `{"recipient_id":…,"message_id":"m_<n>"}`
    /// (late for the numbers in `late`).
    struct Script: Sendable {
        /// The first this many requests get HTTP 500 with a body that is not a Graph error.
        var failingFirst = 0
        /// Requests answered HTTP 400 with `send_api_error_613_rate_limit.json`.
        var rateLimited: Set<Int> = []
        /// Recipient → a fixture file (`send_api_error_551_user_unavailable.json`) sent with HTTP
        /// 400 to every request for them.
        var permanentErrors: [String: String] = [:]
        /// Requests answered with success only after `lateBy` (the client may have given up).
        var late: Set<Int> = []
        var lateBy: Duration = .seconds(1)
        /// Every answer waits this long first (to catch a worker with requests in flight).
        var answerDelay: Duration = .zero

        init(
            failingFirst: Int = 0, rateLimited: Set<Int> = [], permanentErrors: [String: String] = [:],
            late: Set<Int> = [], lateBy: Duration = .seconds(1), answerDelay: Duration = .zero
        ) {
            self.failingFirst = failingFirst
            self.rateLimited = rateLimited
            self.permanentErrors = permanentErrors
            self.late = late
            self.lateBy = lateBy
            self.answerDelay = answerDelay
        }
    }

    /// One request as it arrived, with the status it was answered.
    struct Send: Sendable, Equatable {
        /// 1 for the first request, and so on.
        let number: Int
        let recipient: String
        let text: String?
        let quickReplies: [QuickReply]
        let messagingType: String?
        let tag: String?
        /// `message.metadata` (or a top-level `metadata`).
        let metadata: String?
        let senderAction: String?
        let accessToken: String?
        let status: Int
        /// The `message_id` answered; nil for errors and sender actions.
        let messageID: String?
    }

    /// A quick reply of a request.
    struct QuickReply: Sendable, Equatable, Decodable {
        let title: String
        let payload: String
    }

    /// The Graph API base to configure: `http://127.0.0.1:<port>/v19.0`.
    let baseURL: String
    private let server: WebServer
    private let ledger: Ledger

    /// Starts the server.
    init(script: Script = Script()) throws {
        let ledger = Ledger()
        var router = Router()
        router.post("/v19.0/me/messages") { request in
            let (response, delay) = Self.answer(request, script: script, ledger: ledger)
            if delay > .zero { try await Task.sleep(for: delay) }
            return response
        }
        server = WebServer(
            configuration: ServerConfiguration(port: 0, handlerThreads: 2), router: router, logger: .disabled)
        self.ledger = ledger
        baseURL = "http://127.0.0.1:\(try server.start())/v19.0"
    }

    /// Every request so far, in order of arrival.
    var requests: [Send] { ledger.sends.withLock { $0 } }

    /// The messages answered with success (sender actions left out), in order of arrival.
    var delivered: [Send] { requests.filter { $0.messageID != nil } }

    /// The messages to `recipient` answered with success, in order of arrival.
    func delivered(to recipient: String) -> [Send] { delivered.filter { $0.recipient == recipient } }

    /// Blocks the calling thread until `condition` holds (true) or `timeout` passes (false).
    /// From async tests call it inside `blocking { }`.
    func waitUntil(timeout: Duration = .seconds(10), _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return try condition()
    }

    /// Shuts the server down and waits until it has stopped.
    func stop() async {
        server.shutdown()
        await server.stopped()
    }

    /// Numbers and records `request`; returns the answer and how long to hold it back.
    private static func answer(_ request: HTTPRequest, script: Script, ledger: Ledger) -> (HTTPResponse, Duration) {
        let body = try? JSONDecoder().decode(WireBody.self, from: request.body)
        let recipient = body?.recipient.id ?? ""
        return ledger.sends.withLock { sends in
            let number = sends.count + 1
            var delay = script.answerDelay
            let response: HTTPResponse
            if body == nil {
                let invalid = #"{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100}}"#
                response = .json(Data(invalid.utf8), status: .badRequest)
            } else if let fixture = script.permanentErrors[recipient] {
                response = .json(Self.fixture(fixture), status: .badRequest)
            } else if number <= script.failingFirst {
                response = .text("Internal Server Error", status: .internalServerError)
            } else if script.rateLimited.contains(number) {
                response = .json(Self.fixture("send_api_error_613_rate_limit.json"), status: .badRequest)
            } else if body?.message == nil {
                response = .json(Data(#"{"recipient_id":"\#(recipient)"}"#.utf8))
            } else {
                if script.late.contains(number) { delay += script.lateBy }
                response = .json(Data(#"{"recipient_id":"\#(recipient)","message_id":"m_\#(number)"}"#.utf8))
            }
            sends.append(Send(
                number: number, recipient: recipient, text: body?.message?.text,
                quickReplies: body?.message?.quickReplies ?? [], messagingType: body?.messagingType, tag: body?.tag,
                metadata: body?.message?.metadata ?? body?.metadata, senderAction: body?.senderAction,
                accessToken: request.query["access_token"], status: response.status.code,
                messageID: response.status == .ok && body?.message != nil ? "m_\(number)" : nil))
            return (response, delay)
        }
    }

    /// A file of Fixtures/messenger, as stored.
    static func fixture(_ name: String) -> Data {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
            .appendingPathComponent("messenger").appendingPathComponent(name)
        return try! Data(contentsOf: url)
    }

    /// What the server has seen; shared by the handlers and the test.
    private final class Ledger: Sendable {
        let sends = Mutex<[Send]>([])
    }

    /// A Send API request body, as far as the stand-in looks at it.
    private struct WireBody: Decodable {
        struct Recipient: Decodable {
            let id: String
        }

        struct Message: Decodable {
            let text: String?
            let quickReplies: [QuickReply]?
            let metadata: String?

            enum CodingKeys: String, CodingKey {
                case text, metadata
                case quickReplies = "quick_replies"
            }
        }

        let recipient: Recipient
        let messagingType: String?
        let tag: String?
        let message: Message?
        let senderAction: String?
        let metadata: String?

        enum CodingKeys: String, CodingKey {
            case recipient, tag, message, metadata
            case messagingType = "messaging_type"
            case senderAction = "sender_action"
        }
    }
}
