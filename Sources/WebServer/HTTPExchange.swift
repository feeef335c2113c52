import Foundation

/// The I/O thread's record of one request on one connection, from its head to its last byte.
final class HTTPExchange {
    enum State {
        /// The head is in; body bytes are arriving.
        case receivingBody
        /// The whole request went to a handler, which has not answered yet.
        case awaitingHandler(since: UInt64)
        /// The response is being written.
        case responding(ResponseWriter)
        /// The response went out and the connection closes once libwebsockets has flushed it.
        case closingAfterFlush
        /// The response went out; the connection is back to keep-alive.
        case finished
    }

    let id: UInt64
    let wsi: OpaquePointer
    let head: RequestHead
    let clientAddress: String
    let startedAt: UInt64
    var state: State
    var body = Data()
    var route: Router.Route?
    var parameters: [String: String] = [:]
    /// The service iteration of the last body-completion callback, and how many came in it
    /// (see `ServiceLoop.bodyCompleted`).
    var completionIteration: UInt64 = 0
    var completionsInIteration = 0

    init(id: UInt64, wsi: OpaquePointer, head: RequestHead, clientAddress: String, startedAt: UInt64) {
        self.id = id
        self.wsi = wsi
        self.head = head
        self.clientAddress = clientAddress
        self.startedAt = startedAt
        self.state = .receivingBody
    }

    /// Whether the exchange still counts as in flight for a graceful shutdown.
    var isInFlight: Bool {
        switch state {
        case .receivingBody, .awaitingHandler, .responding, .closingAfterFlush: true
        case .finished: false
        }
    }

    /// The request a handler receives; hands over the body.
    func makeRequest() -> HTTPRequest {
        defer { body = Data() }
        return HTTPRequest(
            method: head.method, path: head.path, query: head.query, headers: head.headers, body: body,
            clientAddress: clientAddress, pathParameters: parameters, route: route?.pattern.description)
    }

    /// The label this exchange is counted under in metrics: the route pattern, never the raw path.
    var routeLabel: String { route?.pattern.description ?? "unmatched" }
}

/// Method, path, query and headers of a request, read off libwebsockets when the head arrives.
struct RequestHead {
    let method: HTTPMethod
    let path: String
    let query: QueryParameters
    let headers: HTTPHeaders

    /// What the Content-Length header says about the body.
    enum DeclaredLength: Equatable {
        case absent
        case bytes(Int)
        /// Not one whole number: negative, signed, empty, text, or two headers (lws joins them
        /// with a comma). A request framed like that cannot be trusted.
        case invalid
    }

    var declaredLength: DeclaredLength {
        guard let value = headers["content-length"] else { return .absent }
        let digits = value.trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, digits.utf8.count <= 18, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let length = Int(digits) else { return .invalid }
        return .bytes(length)
    }

    /// Whether `bytes` begin like this request's own request line (`POST /…`): what
    /// libwebsockets 4.1.6 passes off as the body of a pipelined request (see
    /// `ServiceLoop.bodyReceived`). The method is compared case-insensitively, as lws parses it.
    /// A body shorter than the prefix matches when it is a prefix of it: a body of at most five
    /// bytes reading exactly `POST ` (or less of it) is refused too, a price no JSON or form
    /// body pays.
    func isOwnRequestLine(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let prefix = Array((method.rawValue + " /").utf8)
        return !bytes.isEmpty && zip(bytes, prefix).allSatisfy { byte, expected in
            byte == expected || (byte >= 0x61 && byte <= 0x7a && byte - 0x20 == expected)
        }
    }

    /// Whether the client announced a chunked (length-less) body, which libwebsockets 4.1.6
    /// cannot deliver.
    var isChunked: Bool {
        headers["transfer-encoding"].map { $0.lowercased().contains("chunked") } ?? false
    }
}

/// Writes one response over several writable callbacks: headers first, then the body in chunks.
struct ResponseWriter {
    let response: HTTPResponse
    /// HEAD: headers (with the body's length) but no body.
    let omitBody: Bool
    /// Close the connection after this response (shutdown, or a request we could not frame).
    let closeAfter: Bool
    var headersWritten = false
    var bodyOffset = 0

    var bodyRemaining: Int { omitBody ? 0 : response.body.count - bodyOffset }
}
