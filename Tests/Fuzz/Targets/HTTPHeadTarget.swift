import Foundation
import Synchronization
import Gateway
import NLU
import RateLimits
import Storage
import Telemetry
import WebServer
#if canImport(Glibc)
import Glibc
#endif

/// Raw bytes of a request, head and all, sent to a gateway running in this process over a real
/// socket: libwebsockets' parser, then our reading of what it parsed (method, path, query,
/// headers), the router, the limits and the handlers. The socket is half-closed after the bytes,
/// so every run ends with the server answering or closing; one that does neither in five seconds
/// is a hang, reported as a crash.
enum HTTPHeadTarget {
    static let adminToken = "fuzz-admin-token-0123456789abcdef"

    /// The gateway, started once per process: port 0, a fresh database, limits off (one
    /// address sends everything), the demo catalog. The database is in memory (`/dev/shm`) and
    /// flushed at checkpoints only: a run that opens a web chat session writes, and an fsync per
    /// write made those runs a hundred times slower than the rest.
    static let gateway: Gateway = {
        let directory = databaseDirectory
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = GatewayConfiguration(
            server: ServerConfiguration(port: 0, maxConnectionsPerAddress: 1_000, handlerThreads: 2),
            database: DatabaseConfiguration(path: directory.appendingPathComponent("fuzz.sqlite").path, durability: .normal),
            adminToken: adminToken, rateLimits: RateLimitSettings(isEnabled: false))
        configuration.messenger = .init(appSecret: "fuzz-app-secret", verifyToken: "fuzz-verify-token")
        do {
            let gateway = try Gateway(
                configuration: configuration, logger: Logger(level: .error, sink: StandardErrorSink()),
                understanding: LanguageUnderstanding(corpus: try IntentCorpus.embedded()))
            _ = try gateway.start()
            Task.detached { try await gateway.run() }
            atexit {
                HTTPHeadTarget.printOutcomes()
                try? FileManager.default.removeItem(at: HTTPHeadTarget.databaseDirectory)
            }
            return gateway
        } catch {
            fatalError("the gateway did not start: \(error)")
        }
    }()

    private static let outcomes = OutcomeCounts()

    private static let databaseDirectory: URL = {
        let memory = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
        return memory.appendingPathComponent("orderbot-fuzz-\(getpid())")
    }()

    /// `/metrics` takes no input, and rendering it costs a hundred times an ordinary request
    /// under AddressSanitizer: left alone, the fuzzer finds it and spends its time there.
    private static let skipped = Data("/metrics".utf8)

    static func run(_ bytes: Data) {
        guard bytes.range(of: skipped) == nil else { return }
        let socket = connectedSocket()
        defer { close(socket) }
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = send(socket, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { break }  // the server closed on what it read so far: allowed
                offset += sent
            }
        }
        shutdown(socket, Int32(SHUT_WR))
        var answer = [UInt8](repeating: 0, count: 4_096)
        var first: [UInt8] = []
        while true {
            let count = recv(socket, &answer, answer.count, 0)
            if count > 0 {
                if first.count < 9 { first += answer.prefix(count).prefix(9 - first.count) }
                continue
            }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                fatalError("no answer and no close within 5 s of a half-closed request")
            }
            break  // EOF, or ECONNRESET after the server dropped the connection
        }
        if first.isEmpty {
            outcomes.closedWithoutAnswer()
        } else {
            require(first.starts(with: Array("HTTP/1.".utf8)), "an answer that is not HTTP/1.x: \(String(decoding: first, as: UTF8.self))")
            outcomes.answered()
        }
    }

    /// A socket connected to the gateway. A refused or failed connect is tried again for a while
    /// (a million short connections go through the kernel's port and TIME_WAIT bookkeeping);
    /// one that never connects means the server stopped accepting: a finding.
    private static func connectedSocket() -> Int32 {
        var lastError: Int32 = 0
        for _ in 0..<500 {
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            precondition(socket >= 0, "socket(): errno \(errno)")
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            // Closing with a reset leaves no TIME_WAIT behind: a million runs would use up the ports.
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(socket, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            // The server closes first on most mangled requests, and its side then waits in
            // TIME_WAIT: from one address, a new connection soon lands on a port pair still
            // waiting and stalls. Each run comes from another of the loopback's addresses.
            var source = sockaddr_in()
            source.sin_family = sa_family_t(AF_INET)
            source.sin_addr.s_addr = inet_addr("127.0.\(Int.random(in: 0...255)).\(Int.random(in: 2...254))")
            _ = withUnsafePointer(to: &source) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(gateway.port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if connected == 0 { return socket }
            lastError = errno
            close(socket)
            outcomes.connectRetried()
            usleep(10_000)
        }
        fatalError("the gateway accepts no connection for 5 s: connect() errno \(lastError)")
    }

    static func printOutcomes() {
        let totals = outcomes.totals
        FileHandle.standardError.write(Data(
            "http-head: \(totals.answered) answered, \(totals.closed) closed without an answer, \(totals.connectRetries) connects tried again\n".utf8))
    }
}

/// How runs ended, for the script's report.
private final class OutcomeCounts: Sendable {
    private let counts = Mutex<(answered: Int, closed: Int, connectRetries: Int)>((0, 0, 0))
    func answered() { counts.withLock { $0.answered += 1 } }
    func closedWithoutAnswer() { counts.withLock { $0.closed += 1 } }
    func connectRetried() { counts.withLock { $0.connectRetries += 1 } }
    var totals: (answered: Int, closed: Int, connectRetries: Int) { counts.withLock { $0 } }
}
