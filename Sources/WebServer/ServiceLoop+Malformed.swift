import CLibWebSockets

/// Connections whose first bytes are not an HTTP request libwebsockets knows: it hands them to
/// the raw role (LWS_SERVER_OPTION_FALLBACK_TO_APPLY_LISTEN_ACCEPT_CONFIG) with those bytes, and
/// we answer once, then close: 405 with `Allow` for a well-formed request line whose method
/// libwebsockets does not parse (TRACE, PATCH…) on a path we serve, 404 for one on a path we do
/// not, and 400 for anything else.
extension ServiceLoop {
    /// `LWS_CALLBACK_RAW_ADOPT`: a connection fell back from HTTP; its bytes follow as
    /// `RAW_RX`. One that sends none is closed after the idle timeout.
    func malformedRequestAdopted(_ wsi: OpaquePointer) -> Int32 {
        metrics.malformedRequests.increment()
        lws_set_timeout(wsi, PENDING_TIMEOUT_HTTP_CONTENT, Int32(max(1, configuration.idleTimeoutSeconds)))
        return 0
    }

    /// `LWS_CALLBACK_RAW_RX`: the first bytes decide the answer; later ones are ignored.
    func malformedRequestReceived(_ wsi: OpaquePointer, session: UnsafeMutableRawPointer?, bytes: UnsafeMutableRawPointer?, count: Int) -> Int32 {
        guard let session else { return -1 }
        guard session.load(as: UInt64.self) == 0, malformedAnswers[wsi] == nil else { return 0 }
        let head = bytes.map { Array(UnsafeRawBufferPointer(start: $0, count: min(count, 2_048))) } ?? []
        malformedAnswers[wsi] = MalformedRequestLine(head).map { line in
            router.allowedMethods(for: line.path).map { HTTPError.methodNotAllowed(allowed: $0) } ?? .notFound
        } ?? .malformedRequest
        lws_callback_on_writable(wsi)
        return 0
    }

    /// `LWS_CALLBACK_RAW_WRITEABLE`: sends the answer once (the session word notes it), then
    /// closes when it has been flushed.
    func malformedRequestWritable(_ wsi: OpaquePointer, session: UnsafeMutableRawPointer?) -> Int32 {
        guard let session else { return -1 }
        if session.load(as: UInt64.self) != 0 { return -1 }
        guard let error = malformedAnswers.removeValue(forKey: wsi) else { return 0 }
        session.storeBytes(of: 1, as: UInt64.self)
        var response = Self.closingResponse(error)
        let payload = response.count - Self.headroom
        let written = response.withUnsafeMutableBufferPointer { buffer in
            lws_write(wsi, buffer.baseAddress! + Self.headroom, payload, LWS_WRITE_HTTP)  // LWS_WRITE_RAW is a macro alias of this
        }
        guard written >= 0, lws_partial_buffered(wsi) != 0 else { return -1 }
        lws_callback_on_writable(wsi)
        return 0
    }

    /// `error` as a whole HTTP/1.1 response that closes the connection, after the headroom
    /// libwebsockets needs in front of what it writes.
    private static func closingResponse(_ error: HTTPError) -> [UInt8] {
        let body = error.jsonBody
        let reason = [400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"][error.status.code] ?? "Error"
        var head = "HTTP/1.1 \(error.status.code) \(reason)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.count)\r\n"
        for (name, value) in error.headers { head += "\(name): \(value)\r\n" }
        head += "Connection: close\r\n\r\n"
        return Array(repeating: 0, count: headroom) + Array(head.utf8) + Array(body)
    }
}

/// `METHOD SP path SP HTTP/1.x` at the start of what a client sent: a request line whose method
/// (upper-case letters) libwebsockets does not know.
struct MalformedRequestLine {
    let method: String
    let path: String

    init?(_ bytes: [UInt8]) {
        guard let end = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        var line = bytes[..<end]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, (1...20).contains(parts[0].count),
              parts[0].allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }),
              parts[1].first == UInt8(ascii: "/"), parts[1].count <= 1_024,
              parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }),
              parts[2].elementsEqual("HTTP/1.1".utf8) || parts[2].elementsEqual("HTTP/1.0".utf8)
        else { return nil }
        method = String(decoding: parts[0], as: UTF8.self)
        let target = parts[1].prefix { $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        path = String(decoding: target, as: UTF8.self)
    }
}
