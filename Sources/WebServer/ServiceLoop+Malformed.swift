import CLibWebSockets

/// Connections whose first bytes are not an HTTP request: libwebsockets hands them to the raw
/// role (LWS_SERVER_OPTION_FALLBACK_TO_APPLY_LISTEN_ACCEPT_CONFIG) and we answer 400, then close.
extension ServiceLoop {
    private static let badRequest: [UInt8] = {
        let body = HTTPError.malformedRequest.jsonBody
        let head = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n"
            + "Connection: close\r\n\r\n"
        return Array(repeating: 0, count: headroom) + Array(head.utf8) + Array(body)
    }()

    /// `LWS_CALLBACK_RAW_ADOPT`: a connection fell back from HTTP.
    func malformedRequestAdopted(_ wsi: OpaquePointer) -> Int32 {
        metrics.malformedRequests.increment()
        lws_callback_on_writable(wsi)
        return 0
    }

    /// `LWS_CALLBACK_RAW_WRITEABLE`: sends the 400 once, then closes when it has been flushed.
    func malformedRequestWritable(_ wsi: OpaquePointer, session: UnsafeMutableRawPointer?) -> Int32 {
        guard let session else { return -1 }
        if session.load(as: UInt64.self) != 0 {
            return -1
        }
        session.storeBytes(of: 1, as: UInt64.self)
        var response = Self.badRequest
        let payload = response.count - Self.headroom
        let written = response.withUnsafeMutableBufferPointer { buffer in
            lws_write(wsi, buffer.baseAddress! + Self.headroom, payload, LWS_WRITE_HTTP)  // LWS_WRITE_RAW is a macro alias of this
        }
        guard written >= 0, lws_partial_buffered(wsi) != 0 else { return -1 }
        lws_callback_on_writable(wsi)
        return 0
    }
}
