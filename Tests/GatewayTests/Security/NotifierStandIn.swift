import Cryptography
import Foundation
import Synchronization
import Telemetry
import WebServer

/// A stand-in for a shop's system that takes signed POSTs (its SMS / e-mail gateway at `/notify`,
/// its ERP at `/orders/events`): a real HTTP server on port 0 that records every request (body and
/// `X-OrderBot-Signature`) and answers 200, or 503 to the first `failingFirst` requests.
final class NotifierStandIn: Sendable {
    /// One request as it arrived.
    struct Received: Sendable {
        let body: [UInt8]
        let signature: String?
        let status: Int

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
        var code: String? { json["code"] as? String }
        var to: [String: String] { json["to"] as? [String: String] ?? [:] }
        var id: String? { json["id"] as? String }
    }

    static let secret = "notify-secret"

    /// `http://127.0.0.1:<port><path>`.
    let url: URL
    private let server: WebServer
    private let ledger = Ledger()

    private final class Ledger: Sendable {
        let received = Mutex<[Received]>([])
    }

    init(path: String = "/notify", failingFirst: Int = 0) throws {
        var router = Router()
        let ledger = self.ledger
        router.post(path) { request in
            ledger.received.withLock { received in
                let status = received.count < failingFirst ? 503 : 200
                received.append(Received(
                    body: Array(request.body), signature: request.headers["x-orderbot-signature"], status: status))
                return status == 200
                    ? .json(Data(#"{"ok":true}"#.utf8))
                    : .json(Data(#"{"error":"busy"}"#.utf8), status: .serviceUnavailable)
            }
        }
        server = WebServer(
            configuration: ServerConfiguration(port: 0, extraHeaderNames: ["x-orderbot-signature"], handlerThreads: 2),
            router: router, logger: .disabled)
        url = URL(string: "http://127.0.0.1:\(try server.start())\(path)")!
    }

    /// Every request so far, in order of arrival.
    var received: [Received] { ledger.received.withLock { $0 } }

    /// The requests answered 200.
    var delivered: [Received] { received.filter { $0.status == 200 } }

    /// Whether `received` carries the right signature of its body under `secret`.
    static func isSigned(_ received: Received, secret: String = secret) -> Bool {
        received.signature == "sha256=" + Hex.encode(HMACSHA256.authenticationCode(key: Array(secret.utf8), message: received.body))
    }

    /// Blocks until `condition` holds (true) or `timeout` passes (false).
    func waitUntil(timeout: TimeInterval = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return condition()
    }

    func stop() async {
        server.shutdown()
        await server.stopped()
    }
}
