import CLibWebSockets
import Foundation
import Telemetry

/// HTTP requests on the I/O thread: head, body, hand-off to a handler, response.
extension ServiceLoop {
    /// `LWS_CALLBACK_HTTP`: a request head arrived. Decides at once whether it can be served
    /// (413, 411, 404, 405, 503 otherwise), then waits for the body or calls the handler.
    func requestHeadReceived(_ wsi: OpaquePointer, session: UnsafeMutableRawPointer?, path: String) -> Int32 {
        guard let session else { return -1 }
        let id = nextID()
        session.storeBytes(of: id, as: UInt64.self)
        guard let method = requestReader.method(of: wsi) else {
            // CONNECT: libwebsockets parses it, we route nothing for it. The head only carries
            // the path for the answer.
            let head = RequestHead(method: .get, path: path, query: QueryParameters(), headers: [:])
            let exchange = track(HTTPExchange(id: id, wsi: wsi, head: head, clientAddress: clientAddress(of: wsi), startedAt: MonotonicClock.now()))
            respond(exchange, with: .error(.methodNotAllowed(allowed: HTTPMethod.allCases)), closeAfter: true)
            return 0
        }
        let head = RequestHead(
            method: method, path: path, query: requestReader.query(of: wsi), headers: requestReader.headers(of: wsi))
        let exchange = track(HTTPExchange(id: id, wsi: wsi, head: head, clientAddress: clientAddress(of: wsi), startedAt: MonotonicClock.now()))

        if isDraining {
            respond(exchange, with: .error(.draining), closeAfter: true)
            return 0
        }
        let length: Int
        switch head.declaredLength {
        case .invalid:
            respond(exchange, with: .error(.invalidContentLength), closeAfter: true)
            return 0
        case .absent where head.isChunked || method.expectsBody:
            respond(exchange, with: .error(.lengthRequired), closeAfter: true)
            return 0
        case .absent:
            length = 0
        case .bytes(let declared):
            guard !head.isChunked else {
                respond(exchange, with: .error(.lengthRequired), closeAfter: true)
                return 0
            }
            length = declared
        }
        let resolution = router.resolve(method: method, path: path)
        if length > configuration.maxBodyBytes, let refusal = refusal(ofBody: length, for: resolution, exchange) {
            respond(exchange, with: .error(refusal.error), closeAfter: refusal.closeAfter)
            return 0
        }
        switch resolution {
        case .notFound:
            respond(exchange, with: .error(.notFound), closeAfter: false)
        case .methodNotAllowed(let allowed):
            respond(exchange, with: .error(.methodNotAllowed(allowed: allowed)), closeAfter: false)
        case .matched(let route, let parameters):
            exchange.route = route
            exchange.parameters = parameters
            if length > 0 {
                // Grown as bytes arrive, not reserved at the declared size: a client that
                // declares a large body and sends nothing must not pin that memory.
                exchange.body.reserveCapacity(min(length, 16 << 10))
            } else {
                dispatch(exchange)
            }
        }
        return 0
    }

    /// The answer to a request whose body is over the server's limit; nil when its route allows
    /// that much and admits the request, whose body is then read like any other.
    private func refusal(ofBody length: Int, for resolution: Router.Resolution, _ exchange: HTTPExchange)
        -> (error: HTTPError, closeAfter: Bool)?
    {
        // libwebsockets discards the unread body once the response is out, so the client reads
        // its answer instead of a reset. Bodies far beyond the server's limit are not worth
        // reading even to discard: the connection closes instead.
        let closeAfter = length > configuration.maxBodyBytes * 16
        guard case .matched(let route, let parameters) = resolution, let allowance = route.bodyAllowance else {
            return (.contentTooLarge(limit: configuration.maxBodyBytes), closeAfter)
        }
        let limit = max(allowance.maxBytes, configuration.maxBodyBytes)
        guard length <= limit else { return (.contentTooLarge(limit: limit), closeAfter) }
        let head = HTTPRequest(
            method: exchange.head.method, path: exchange.head.path, query: exchange.head.query, headers: exchange.head.headers,
            clientAddress: exchange.clientAddress, pathParameters: parameters, route: route.pattern.description)
        do throws(HTTPError) {
            try allowance.admit(head)
            return nil
        } catch {
            exchange.route = route
            return (error, closeAfter)
        }
    }

    /// `LWS_CALLBACK_HTTP_BODY`: a piece of the body.
    func bodyReceived(session: UnsafeMutableRawPointer?, bytes: UnsafeMutableRawPointer?, count: Int) -> Int32 {
        guard let exchange = exchange(for: session), case .receivingBody = exchange.state,
              let bytes, count > 0 else { return 0 }
        let chunk = UnsafeRawBufferPointer(start: bytes, count: count)
        if exchange.body.isEmpty, exchange.head.isOwnRequestLine(chunk) {
            // libwebsockets 4.1.6 serves a request pipelined behind another one from its input
            // buffer, and hands over that buffer from the request's first byte as the "body"
            // (then loops). The real body is lost: close before any handler sees wrong bytes.
            logger.warning("closing a connection that pipelined a request with a body", [
                "route": .string(exchange.routeLabel),
            ])
            metrics.abandonedResponses.increment()
            return -1
        }
        exchange.body.append(contentsOf: chunk)
        return 0
    }

    /// `LWS_CALLBACK_HTTP_BODY_COMPLETION`: the whole body is in.
    ///
    /// libwebsockets 4.1.6 can announce completion again. Harmless: while a response goes out it
    /// replays buffered input once per service iteration. Fatal: after a pipelined request with a
    /// body it re-announces completion in a loop inside lws_http_action without consuming the
    /// next request's bytes, forever, within one `lws_service` call. Closing the connection is the
    /// only way out of that loop; the client has its earlier responses and sees a close.
    func bodyCompleted(session: UnsafeMutableRawPointer?) -> Int32 {
        guard let exchange = exchange(for: session) else { return 0 }
        if exchange.completionIteration != serviceIteration {
            exchange.completionIteration = serviceIteration
            exchange.completionsInIteration = 0
        }
        exchange.completionsInIteration += 1
        if case .receivingBody = exchange.state {
            dispatch(exchange)
            return 0
        }
        guard exchange.completionsInIteration <= 2 else {
            logger.warning("closing a connection that pipelined a request with a body", [
                "route": .string(exchange.routeLabel),
            ])
            metrics.abandonedResponses.increment()
            return -1
        }
        return 0
    }

    /// Hands the complete request to its handler: on the cooperative pool, with the answer
    /// coming back through the mailbox, or (inline routes) right here.
    private func dispatch(_ exchange: HTTPExchange) {
        guard let route = exchange.route else { return }
        let request = exchange.makeRequest()
        switch route.handler {
        case .inline(let handler):
            respond(exchange, with: Router.run(handler, request), closeAfter: isDraining)
        case .inlineUnless(let defers, let inline, _) where !defers(request):
            respond(exchange, with: Router.run(inline, request), closeAfter: isDraining)
        case .cooperative(let handler), .inlineUnless(_, _, let handler):
            exchange.state = .awaitingHandler(since: MonotonicClock.now())
            // Stop servicing this connection while the handler works. libwebsockets 4.1.6 stays in
            // its body state after BODY_COMPLETION and would re-offer a pipelined next request's
            // bytes as another completion, over and over, until the response is out.
            lws_rx_flow_control(exchange.wsi, 0)
            // The idle timeout libwebsockets armed for the request head would otherwise close
            // the connection under a handler that takes longer; our own handler timeout (503)
            // bounds the wait instead.
            lws_set_timeout(exchange.wsi, NO_PENDING_TIMEOUT, 0)
            let id = exchange.id
            let mailbox = self.mailbox
            let logger = self.logger
            Task(executorPreference: handlers) {
                let response = await Router.run(handler, request, logger: logger)
                mailbox.post(.respond(exchange: id, response: response))
            }
        }
    }

    /// A handler answered (through the mailbox).
    func handlerAnswered(exchange id: UInt64, response: HTTPResponse) {
        guard let exchange = exchanges[id], case .awaitingHandler = exchange.state else {
            metrics.abandonedResponses.increment()
            return
        }
        respond(exchange, with: response, closeAfter: isDraining)
    }

    /// Starts writing `response`; the bytes go out in `LWS_CALLBACK_HTTP_WRITEABLE`.
    func respond(_ exchange: HTTPExchange, with response: HTTPResponse, closeAfter: Bool) {
        exchange.state = .responding(
            ResponseWriter(response: response, omitBody: exchange.head.method == .head, closeAfter: closeAfter))
        // A flow-controlled connection gets no writable callbacks either (libwebsockets 4.1.6).
        lws_rx_flow_control(exchange.wsi, 1)
        lws_callback_on_writable(exchange.wsi)
    }

    /// `LWS_CALLBACK_HTTP_WRITEABLE`: writes the head (with the body, when it is small enough to
    /// go in the same write), then one chunk of body per call.
    func responseWritable(_ wsi: OpaquePointer, session: UnsafeMutableRawPointer?) -> Int32 {
        guard let exchange = exchange(for: session) else { return 0 }
        switch exchange.state {
        case .closingAfterFlush:
            return -1
        case .responding(var writer):
            if !writer.headersWritten {
                guard writeHead(of: &writer, to: wsi) else { return -1 }
            } else if writer.bodyRemaining > 0 {
                guard writeBodyChunk(of: &writer, to: wsi) else { return -1 }
            }
            if writer.bodyRemaining > 0 {
                exchange.state = .responding(writer)
                lws_callback_on_writable(wsi)
                return 0
            }
            return finish(exchange, writer: writer)
        case .receivingBody, .awaitingHandler, .finished:
            return 0
        }
    }

    private func finish(_ exchange: HTTPExchange, writer: ResponseWriter) -> Int32 {
        record(exchange, status: writer.response.status)
        if writer.closeAfter {
            guard lws_partial_buffered(exchange.wsi) == 0 else {
                exchange.state = .closingAfterFlush
                lws_callback_on_writable(exchange.wsi)
                return 0
            }
            exchange.state = .finished
            stopIfDrained()
            return -1
        }
        exchange.state = .finished
        stopIfDrained()
        return lws_http_transaction_completed(exchange.wsi) == 0 ? 0 : -1
    }

    /// Writes the status line and header fields, and the whole body after them when it fits in
    /// the scratch buffer: one write, one TCP segment for a typical small response.
    private func writeHead(of writer: inout ResponseWriter, to wsi: OpaquePointer) -> Bool {
        let response = writer.response
        let start = scratch.baseAddress!.assumingMemoryBound(to: UInt8.self) + Self.headroom
        let end = start + (scratch.count - Self.headroom)
        var cursor: UnsafeMutablePointer<UInt8>? = start
        guard lws_add_http_header_status(wsi, UInt32(response.status.code), &cursor, end) == 0, let afterStatus = cursor
        else { return false }
        var fields = HeaderFieldWriter(cursor: afterStatus, end: end - 2)
        if let type = response.headers["content-type"], !fields.append(name: "content-type", value: type) { return false }
        if response.status != .noContent, response.status != .notModified,
           !fields.append(name: "content-length", value: String(response.body.count)) { return false }
        for (name, value) in response.headers where !Self.managedHeaders.contains(name) {
            guard fields.append(name: name, value: value) else { return false }
        }
        if configuration.tls != nil, response.headers["strict-transport-security"] == nil,
           !fields.append(name: "strict-transport-security", value: Self.hsts) { return false }
        if writer.closeAfter, !fields.append(name: "connection", value: "close") { return false }
        cursor = fields.cursor
        guard lws_finalize_http_header(wsi, &cursor, end) == 0, let headEnd = cursor else { return false }
        writer.headersWritten = true

        var length = headEnd - start
        let bodyBytes = writer.bodyRemaining
        if bodyBytes > 0, bodyBytes <= end - headEnd {
            response.body.copyBytes(to: headEnd, count: bodyBytes)
            writer.bodyOffset = bodyBytes
            length += bodyBytes
        }
        return lws_write(wsi, start, length, writer.bodyRemaining == 0 ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP_HEADERS)
            == length
    }

    /// HSTS while the server speaks TLS itself: browsers keep to HTTPS for a year.
    static let hsts = "max-age=31536000"

    /// Headers the server writes itself from the response, never copied from `response.headers`.
    private static let managedHeaders: Set<String> = ["content-type", "content-length", "connection", "transfer-encoding"]

    private func writeBodyChunk(of writer: inout ResponseWriter, to wsi: OpaquePointer) -> Bool {
        let count = min(writer.bodyRemaining, Self.writeChunkBytes)
        let destination = scratch.baseAddress! + Self.headroom
        let range = writer.bodyOffset..<(writer.bodyOffset + count)
        writer.response.body.copyBytes(to: destination.assumingMemoryBound(to: UInt8.self), from: range)
        writer.bodyOffset += count
        let kind = writer.bodyRemaining == 0 ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP
        return lws_write(wsi, destination.assumingMemoryBound(to: UInt8.self), count, kind) >= 0
    }

    private func record(_ exchange: HTTPExchange, status: HTTPStatus) {
        let seconds = Double(MonotonicClock.now() - exchange.startedAt) / 1e9
        let series = metricSeries(route: exchange.route, label: exchange.routeLabel, method: exchange.head.method,
                                  status: status)
        series.requests.increment()
        series.duration.observe(seconds)
        if logger.isEnabled(.debug) {
            logger.debug("request", [
                "method": .string(exchange.head.method.rawValue), "route": .string(exchange.routeLabel),
                "status": .int(status.code), "seconds": .double(seconds),
            ])
        }
    }

    /// The metric series of one route, method and status, looked up by integers after the first time.
    private func metricSeries(route: Router.Route?, label: String, method: HTTPMethod, status: HTTPStatus)
        -> RequestSeries
    {
        let key = RequestSeriesKey(route: route?.id ?? -1, method: method, status: status.code)
        if let known = requestSeries[key] { return known }
        let series = RequestSeries(
            requests: metrics.requests.series([label, method.rawValue, String(status.code)]),
            duration: metrics.requestDuration.series([label]))
        requestSeries[key] = series
        return series
    }

    /// `LWS_CALLBACK_HTTP_DROP_PROTOCOL` / `LWS_CALLBACK_CLOSED_HTTP`: the exchange is over,
    /// answered or not.
    func exchangeEnded(session: UnsafeMutableRawPointer?) {
        guard let session else { return }
        let id = session.load(as: UInt64.self)
        guard id != 0 else { return }
        session.storeBytes(of: 0, as: UInt64.self)
        exchanges.removeValue(forKey: id)
        stopIfDrained()
    }

    private func track(_ exchange: HTTPExchange) -> HTTPExchange {
        exchanges[exchange.id] = exchange
        return exchange
    }

    private func exchange(for session: UnsafeMutableRawPointer?) -> HTTPExchange? {
        guard let session else { return nil }
        return exchanges[session.load(as: UInt64.self)]
    }
}
