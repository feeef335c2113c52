import Foundation

/// A minimal RFC 6455 client over `RawConnection`: handshake, masked frames (whole, fragmented,
/// control), and frame-by-frame reading, so tests can drive the server's WebSocket edge exactly.
public final class WebSocketTestClient {
    /// One frame from the server.
    public enum Frame: Equatable, Sendable {
        case text(String)
        case binary([UInt8])
        case continuation([UInt8], final: Bool)
        case ping([UInt8])
        case pong([UInt8])
        case close(code: UInt16?, reason: String)
    }

    /// The underlying socket, for tests that need to stop reading or half-close.
    public let connection: RawConnection
    /// The handshake response's headers (lowercase names).
    public let handshakeHeaders: [String: String]

    /// Connects (from `localAddress`) and upgrades on `path` (which may carry a query string).
    /// `headers` go into the upgrade request besides the handshake's own (an `Origin`, say).
    public init(
        port: Int, path: String, receiveBufferBytes: Int32? = nil, timeout: Double = 5, localAddress: String = "127.0.0.1",
        headers: [String: String] = [:]
    ) throws {
        connection = try RawConnection(port: port, receiveBufferBytes: receiveBufferBytes, localAddress: localAddress)
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let extra = headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)\r\n" }.joined()
        try connection.send(
            "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n" + extra + "\r\n")
        let response = try connection.readResponse(timeout: timeout)
        guard response.status == 101 else { throw WebSocketTestError.handshakeRefused(response.status) }
        let expected = Data(SHA1.hash(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
        guard response.headers["sec-websocket-accept"] == expected else { throw WebSocketTestError.badAccept }
        handshakeHeaders = response.headers
    }

    public func sendText(_ text: String) throws {
        try connection.send(Self.frame(opcode: 0x1, payload: Array(text.utf8), final: true))
    }

    /// Sends `pieces` as one message split over a text frame and continuation frames.
    public func sendFragmented(_ pieces: [String]) throws {
        for (index, piece) in pieces.enumerated() {
            let opcode: UInt8 = index == 0 ? 0x1 : 0x0
            try connection.send(Self.frame(opcode: opcode, payload: Array(piece.utf8), final: index == pieces.count - 1))
        }
    }

    public func sendBinary(_ bytes: [UInt8]) throws {
        try connection.send(Self.frame(opcode: 0x2, payload: bytes, final: true))
    }

    public func sendPing(_ payload: [UInt8]) throws {
        try connection.send(Self.frame(opcode: 0x9, payload: payload, final: true))
    }

    public func sendClose(code: UInt16 = 1000, reason: String = "") throws {
        let payload = [UInt8(code >> 8), UInt8(code & 0xff)] + Array(reason.utf8)
        try connection.send(Self.frame(opcode: 0x8, payload: payload, final: true))
    }

    /// The next frame, or nil if none arrives in `timeout` seconds; throws if the connection closes.
    public func readFrame(timeout: Double = 5) throws -> Frame? {
        guard let header = connection.read(exactly: 2, timeout: timeout) else {
            if connection.waitForClose(timeout: 0.05) { throw WebSocketTestError.closed }
            return nil
        }
        let final = header[0] & 0x80 != 0
        let opcode = header[0] & 0x0f
        var length = Int(header[1] & 0x7f)
        if length == 126 {
            guard let extended = connection.read(exactly: 2, timeout: timeout) else { throw WebSocketTestError.closed }
            length = Int(extended[0]) << 8 | Int(extended[1])
        } else if length == 127 {
            guard let extended = connection.read(exactly: 8, timeout: timeout) else { throw WebSocketTestError.closed }
            length = extended.reduce(0) { $0 << 8 | Int($1) }
        }
        guard let payload = length == 0 ? [] : connection.read(exactly: length, timeout: timeout) else {
            throw WebSocketTestError.closed
        }
        switch opcode {
        case 0x0: return .continuation(payload, final: final)
        case 0x1: return .text(String(decoding: payload, as: UTF8.self))
        case 0x2: return .binary(payload)
        case 0x8:
            let code = payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil
            return .close(code: code, reason: String(decoding: payload.dropFirst(2), as: UTF8.self))
        case 0x9: return .ping(payload)
        case 0xA: return .pong(payload)
        default: throw WebSocketTestError.unexpectedOpcode(opcode)
        }
    }

    /// The next text message, skipping pings and pongs; throws on close or timeout.
    public func readText(timeout: Double = 5) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0 {
            switch try readFrame(timeout: deadline.timeIntervalSinceNow) {
            case .text(let text): return text
            case .close(let code, let reason): throw WebSocketTestError.closedWith(code, reason)
            case .ping, .pong, .none: continue
            case .binary, .continuation: throw WebSocketTestError.unexpectedOpcode(0)
            }
        }
        throw WebSocketTestError.timedOut
    }

    /// The close frame the server sends next (skipping data frames), or nil if none comes in time.
    public func readClose(timeout: Double = 5) -> (code: UInt16?, reason: String)? {
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0 {
            guard let frame = try? readFrame(timeout: deadline.timeIntervalSinceNow) else { return nil }
            if case .close(let code, let reason) = frame { return (code, reason) }
        }
        return nil
    }

    /// A masked client frame.
    public static func frame(opcode: UInt8, payload: [UInt8], final: Bool) -> [UInt8] {
        var bytes: [UInt8] = [(final ? 0x80 : 0) | opcode]
        switch payload.count {
        case ..<126: bytes.append(0x80 | UInt8(payload.count))
        case ..<65_536: bytes += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xff)]
        default: bytes += [0x80 | 127] + (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xff) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        bytes += mask
        bytes += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return bytes
    }
}

public enum WebSocketTestError: Error, Equatable {
    case handshakeRefused(Int)
    case badAccept
    case closed
    case closedWith(UInt16?, String)
    case timedOut
    case unexpectedOpcode(UInt8)
}

/// SHA-1, only to check the server's `Sec-WebSocket-Accept` (the test side has no libcrypto).
enum SHA1 {
    static func hash(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
        var padded = message + [0x80]
        while padded.count % 64 != 56 { padded.append(0) }
        let bitLength = UInt64(message.count) * 8
        padded += (0..<8).reversed().map { UInt8((bitLength >> (UInt64($0) * 8)) & 0xff) }
        for chunk in stride(from: 0, to: padded.count, by: 64) {
            var w = (0..<16).map { index -> UInt32 in
                let base = chunk + index * 4
                return UInt32(padded[base]) << 24 | UInt32(padded[base + 1]) << 16 | UInt32(padded[base + 2]) << 8
                    | UInt32(padded[base + 3])
            }
            for index in 16..<80 {
                let value = w[index - 3] ^ w[index - 8] ^ w[index - 14] ^ w[index - 16]
                w.append(value << 1 | value >> 31)
            }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for index in 0..<80 {
                let (f, k): (UInt32, UInt32) = switch index {
                case 0..<20: ((b & c) | (~b & d), 0x5A827999)
                case 20..<40: (b ^ c ^ d, 0x6ED9EBA1)
                case 40..<60: ((b & c) | (b & d) | (c & d), 0x8F1BBCDC)
                default: (b ^ c ^ d, 0xCA62C1D6)
                }
                let temp = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[index]
                (e, d, c, b, a) = (d, c, b << 30 | b >> 2, a, temp)
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e
        }
        return h.flatMap { value in (0..<4).reversed().map { UInt8((value >> ($0 * 8)) & 0xff) } }
    }
}
