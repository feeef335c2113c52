import CLibWebSockets

/// Reads a request's method, query and headers off a connection while libwebsockets still holds
/// its header table (in `LWS_CALLBACK_HTTP` and the WebSocket handshake callbacks).
struct LWSRequestReader {
    /// Standard header tokens with their lowercase names, read once from libwebsockets.
    private let knownHeaders: [(token: lws_token_indexes, name: String)]
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
            guard name.hasSuffix(":"), !name.hasPrefix(":") else { continue }
            known.append((token, String(name.dropLast())))
        }
        knownHeaders = known
        extraHeaders = extraHeaderNames.map { name in
            let lower = name.lowercased()
            return (lower, Array((lower + ":").utf8CString.dropLast()))
        }
    }

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
        for (token, name) in knownHeaders {
            let length = Int(lws_hdr_total_length(wsi, token))
            guard length > 0 else { continue }
            var buffer = [CChar](repeating: 0, count: length + 1)
            let copied = lws_hdr_copy(wsi, &buffer, Int32(buffer.count), token)
            if copied >= 0 { headers.add(name, Self.string(buffer, length: Int(copied))) }
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
