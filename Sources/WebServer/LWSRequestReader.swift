import CLibWebSockets

/// Reads a request's method, query and headers off a connection while libwebsockets still holds
/// its header table (in `LWS_CALLBACK_HTTP` and the WebSocket handshake callbacks).
struct LWSRequestReader {
    /// Standard header tokens a request may carry, read once from libwebsockets, and their
    /// lowercase names (apart: looking through the tokens touches no string).
    private let knownTokens: [lws_token_indexes]
    private let knownNames: [String]
    /// Extra header names as libwebsockets stores them: lowercase with a trailing colon.
    private let extraHeaders: [(name: String, key: [CChar])]

    private static let methodTokens: [(lws_token_indexes, HTTPMethod)] = [
        (WSI_TOKEN_GET_URI, .get), (WSI_TOKEN_POST_URI, .post), (WSI_TOKEN_HEAD_URI, .head),
        (WSI_TOKEN_PUT_URI, .put), (WSI_TOKEN_PATCH_URI, .patch), (WSI_TOKEN_DELETE_URI, .delete),
        (WSI_TOKEN_OPTIONS_URI, .options),
    ]

    init(extraHeaderNames: [String]) {
        var known: [(lws_token_indexes, String)] = []
        for raw in 0..<WSI_TOKEN_COUNT.rawValue {
            let token = lws_token_indexes(rawValue: raw)
            guard let cName = lws_token_to_string(token) else { continue }
            let name = String(cString: cName)
            // Header tokens end in ':'; methods ("get ") and HTTP/2 pseudo-headers (":path") are not headers.
            guard name.hasSuffix(":"), !name.hasPrefix(":"), !Self.notInRequests.contains(name) else { continue }
            known.append((token, String(name.dropLast())))
        }
        knownTokens = known.map(\.0)
        knownNames = known.map(\.1)
        extraHeaders = extraHeaderNames.map { name in
            let lower = name.lowercased()
            return (lower, Array((lower + ":").utf8CString.dropLast()))
        }
    }

    /// Header tokens of libwebsockets that only responses carry, or only handshakes of drafts
    /// from before RFC 6455: a request that sends one is not asking anything of us, and every
    /// token looked up costs every request.
    private static let notInRequests: Set<String> = [
        "sec-websocket-draft:", "sec-websocket-key1:", "sec-websocket-key2:", "sec-websocket-accept:", "sec-websocket-nonce:",
        "http2-settings:", "accept-ranges:", "access-control-allow-origin:", "age:", "allow:", "content-disposition:",
        "content-location:", "content-range:", "etag:", "expires:", "last-modified:", "link:", "location:",
        "proxy-authenticate:", "refresh:", "retry-after:", "server:", "set-cookie:", "strict-transport-security:", "vary:",
        "www-authenticate:", "replay-nonce:",
    ]

    /// The request method, or nil for a method we do not route (CONNECT).
    func method(of wsi: OpaquePointer) -> HTTPMethod? {
        Self.methodTokens.first { lws_hdr_total_length(wsi, $0.0) > 0 }?.1
    }

    /// The query parameters; libwebsockets has already split them on `&` and percent-decoded them.
    func query(of wsi: OpaquePointer) -> QueryParameters {
        let total = Int(lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_URI_ARGS))
        guard total > 0 else { return QueryParameters() }
        var pieces: [String] = []
        var buffer = [CChar](repeating: 0, count: total + 1)
        var index: Int32 = 0
        while true {
            let length = lws_hdr_copy_fragment(wsi, &buffer, Int32(buffer.count), WSI_TOKEN_HTTP_URI_ARGS, index)
            guard length >= 0 else { break }
            pieces.append(Self.string(buffer, length: Int(length)))
            index += 1
        }
        return QueryParameters(decodedPieces: pieces)
    }

    /// Every standard header present, plus the configured extra ones.
    func headers(of wsi: OpaquePointer) -> HTTPHeaders {
        var headers = HTTPHeaders()
        knownTokens.withUnsafeBufferPointer { tokens in
            for index in tokens.indices {
                if let value = header(tokens[index], of: wsi) { headers.add(knownNames[index], value) }
            }
        }
        for (name, key) in extraHeaders {
            let length = Int(lws_hdr_custom_length(wsi, key, Int32(key.count)))
            guard length >= 0 else { continue }
            var buffer = [CChar](repeating: 0, count: length + 1)
            let copied = lws_hdr_custom_copy(wsi, &buffer, Int32(buffer.count), key, Int32(key.count))
            if copied >= 0 { headers.add(name, Self.string(buffer, length: Int(copied))) }
        }
        return headers
    }

    /// The value of one standard header, or nil when absent.
    func header(_ token: lws_token_indexes, of wsi: OpaquePointer) -> String? {
        let length = Int(lws_hdr_total_length(wsi, token))
        guard length > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: length + 1)
        let copied = lws_hdr_copy(wsi, &buffer, Int32(buffer.count), token)
        return copied >= 0 ? Self.string(buffer, length: Int(copied)) : nil
    }

    private static func string(_ buffer: [CChar], length: Int) -> String {
        buffer.prefix(length).withUnsafeBufferPointer { characters in
            characters.withMemoryRebound(to: UInt8.self) { String(decoding: $0, as: UTF8.self) }
        }
    }
}
