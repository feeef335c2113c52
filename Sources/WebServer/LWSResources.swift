import CLibWebSockets
#if canImport(Glibc)
import Glibc
#endif

/// The C structures libwebsockets reads for the whole life of a context: the protocol table,
/// the per-vhost options and the idle policy. Allocated before the context and freed after it.
final class LWSResources {
    static let httpProtocolName = "orderbot-http"
    static let webSocketProtocolName = "orderbot-websocket"
    static let malformedProtocolName = "orderbot-malformed"

    let protocols: UnsafeMutablePointer<lws_protocols>
    let vhostOptions: UnsafeMutablePointer<lws_protocol_vhost_options>
    let idlePolicy: UnsafeMutablePointer<lws_retry_bo_t>
    let interface: UnsafeMutablePointer<CChar>?
    /// The vhost's name.
    private(set) var vhostName: UnsafeMutablePointer<CChar>!
    /// Where a connection goes when what it sends is not HTTP: the raw role and our protocol,
    /// which answers 400.
    private(set) var fallbackRole: UnsafeMutablePointer<CChar>!
    private(set) var fallbackProtocol: UnsafeMutablePointer<CChar>!
    /// The TLS certificate and key paths, when TLS is on.
    private(set) var certificatePath: UnsafeMutablePointer<CChar>?
    private(set) var privateKeyPath: UnsafeMutablePointer<CChar>?
    /// What TLS offers in ALPN: HTTP/1.1 only (this server does not speak HTTP/2).
    private(set) var alpn: UnsafeMutablePointer<CChar>!
    private var strings: [UnsafeMutablePointer<CChar>] = []

    init(configuration: ServerConfiguration, interface: String?) {
        protocols = .allocate(capacity: 4)
        vhostOptions = .allocate(capacity: 2)
        idlePolicy = .allocate(capacity: 1)
        self.interface = interface.map { strdup($0) }
        let sessionDataSize = MemoryLayout<UInt64>.size
        vhostName = keep("default")
        fallbackRole = keep("raw-skt")
        fallbackProtocol = keep(Self.malformedProtocolName)
        certificatePath = configuration.tls.map { keep($0.certificatePath) }
        privateKeyPath = configuration.tls.map { keep($0.privateKeyPath) }
        alpn = keep("http/1.1")

        protocols.initialize(repeating: lws_protocols(), count: 4)
        protocols[0].name = UnsafePointer(keep(Self.httpProtocolName))
        protocols[0].callback = httpProtocolCallback
        protocols[0].per_session_data_size = sessionDataSize
        protocols[0].tx_packet_size = ServiceLoop.writeChunkBytes
        protocols[1].name = UnsafePointer(keep(Self.webSocketProtocolName))
        protocols[1].callback = webSocketProtocolCallback
        protocols[1].per_session_data_size = sessionDataSize
        protocols[1].rx_buffer_size = 16 << 10
        protocols[1].tx_packet_size = ServiceLoop.writeChunkBytes
        protocols[2].name = UnsafePointer(keep(Self.malformedProtocolName))
        protocols[2].callback = malformedRequestCallback
        protocols[2].per_session_data_size = sessionDataSize

        // WebSocket clients that ask for no subprotocol land on the protocol marked "default";
        // without it they would land on protocols[0], the HTTP one.
        vhostOptions.initialize(repeating: lws_protocol_vhost_options(), count: 2)
        vhostOptions[1].name = UnsafePointer(keep("default"))
        vhostOptions[1].value = UnsafePointer(keep("1"))
        vhostOptions[0].name = UnsafePointer(keep(Self.webSocketProtocolName))
        vhostOptions[0].value = UnsafePointer(keep(""))
        vhostOptions[0].options = UnsafePointer(vhostOptions + 1)

        idlePolicy.initialize(to: lws_retry_bo_t())
        idlePolicy.pointee.secs_since_valid_ping = UInt16(clamping: max(1, configuration.webSocketPingSeconds))
        idlePolicy.pointee.secs_since_valid_hangup = UInt16(
            clamping: max(configuration.webSocketPingSeconds + 1, configuration.webSocketHangupSeconds))
    }

    deinit {
        protocols.deinitialize(count: 4)
        protocols.deallocate()
        vhostOptions.deinitialize(count: 2)
        vhostOptions.deallocate()
        idlePolicy.deinitialize(count: 1)
        idlePolicy.deallocate()
        free(interface)
        strings.forEach { free($0) }
    }

    private func keep(_ text: String) -> UnsafeMutablePointer<CChar> {
        let copy = strdup(text)!
        strings.append(copy)
        return copy
    }
}
