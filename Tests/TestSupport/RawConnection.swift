import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to a local port, with timeouts on every read: the client side of the
/// tests that must control bytes exactly (malformed requests, slow senders, never-readers).
public final class RawConnection {
    /// What a read saw.
    public enum ReadResult: Equatable {
        case data([UInt8])
        /// The peer closed the connection (orderly or reset).
        case closed
        case timedOut
    }

    private let descriptor: Int32
    private var buffered: [UInt8] = []
    private var isOpen = true

    /// Connects to 127.0.0.1:`port` from `localAddress` (another loopback address, such as
    /// 127.0.0.2, is another client to the server's per-address limits); `receiveBufferBytes`
    /// shrinks the kernel's receive buffer (for clients that should fill up quickly).
    public init(port: Int, receiveBufferBytes: Int32? = nil, localAddress: String = "127.0.0.1") throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawConnectionError.system("socket", errno) }
        if var size = receiveBufferBytes {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(localAddress)
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw RawConnectionError.system("bind", code)
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw RawConnectionError.system("connect", code)
        }
    }

    deinit {
        close()
    }

    /// Sends all of `bytes`; throws when the peer has gone.
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                Glibc.send(descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw RawConnectionError.system("send", errno) }
            offset += sent
        }
    }

    /// Sends the UTF-8 bytes of `text`.
    public func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    /// Stops sending (half-close); the peer sees end of stream.
    public func shutdownWrite() {
        Glibc.shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Waits up to `timeout` seconds for bytes.
    public func read(timeout: Double) -> ReadResult {
        if !buffered.isEmpty {
            defer { buffered.removeAll() }
            return .data(buffered)
        }
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, Int32(timeout * 1000))
        guard ready > 0 else { return .timedOut }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = recv(descriptor, &chunk, chunk.count, 0)
        guard count > 0 else { return .closed }
        return .data(Array(chunk.prefix(count)))
    }

    /// Reads until exactly `count` bytes are in, or nil if the connection closes or stalls first.
    public func read(exactly count: Int, timeout: Double) -> [UInt8]? {
        var collected: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        while collected.count < count {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0, case .data(let bytes) = read(timeout: remaining) else {
                buffered = collected + buffered
                return nil
            }
            collected += bytes
        }
        if collected.count > count {
            buffered = Array(collected[count...]) + buffered
            collected.removeSubrange(count...)
        }
        return collected
    }

    /// Reads one HTTP/1.1 response: the head, and the Content-Length body unless `hasBody` is
    /// false (the answer to a HEAD request).
    public func readResponse(timeout: Double = 10, hasBody: Bool = true) throws -> RawHTTPResponse {
        var data: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        let separator: [UInt8] = [13, 10, 13, 10]
        while true {
            if let end = data.firstRange(of: separator) {
                let head = String(decoding: data[..<end.lowerBound], as: UTF8.self)
                var response = try RawHTTPResponse(head: head)
                let length = hasBody ? Int(response.headers["content-length"] ?? "0") ?? 0 : 0
                var body = Array(data[end.upperBound...])
                if body.count < length {
                    guard let rest = read(exactly: length - body.count, timeout: max(0.1, deadline.timeIntervalSinceNow))
                    else { throw RawConnectionError.truncated(head) }
                    body += rest
                } else if body.count > length {
                    buffered = Array(body[length...]) + buffered
                    body.removeSubrange(length...)
                }
                response.body = body
                return response
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw RawConnectionError.timedOut }
            switch read(timeout: remaining) {
            case .data(let bytes): data += bytes
            case .closed: throw data.isEmpty ? RawConnectionError.closedByPeer : RawConnectionError.truncated(String(decoding: data, as: UTF8.self))
            case .timedOut: throw RawConnectionError.timedOut
            }
        }
    }

    /// Waits up to `timeout` seconds for the peer to close, discarding any bytes that arrive.
    public func waitForClose(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0 {
            switch read(timeout: deadline.timeIntervalSinceNow) {
            case .closed: return true
            case .timedOut: return false
            case .data: continue
            }
        }
        return false
    }

    public func close() {
        guard isOpen else { return }
        isOpen = false
        Glibc.close(descriptor)
    }
}

/// Why a raw connection failed.
public enum RawConnectionError: Error, Equatable {
    case system(String, Int32)
    case timedOut
    case closedByPeer
    case truncated(String)
    case malformedResponse(String)
}

/// An HTTP response as read off the wire.
public struct RawHTTPResponse: Sendable {
    public let status: Int
    /// Header names in lowercase; the last value wins.
    public let headers: [String: String]
    /// Header names exactly as the server wrote them.
    public let rawHeaderNames: [String]
    public var body: [UInt8] = []

    init(head: String) throws {
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
            throw RawConnectionError.malformedResponse(head)
        }
        self.status = status
        var headers: [String: String] = [:]
        var names: [String] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            names.append(name)
            headers[name.lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        self.headers = headers
        self.rawHeaderNames = names
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as a JSON object.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    /// The `error.code` of a JSON error body.
    public var errorCode: String? {
        (json?["error"] as? [String: Any])?["code"] as? String
    }
}
