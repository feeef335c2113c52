import CLibWebSockets
import Dispatch
import Telemetry

/// Owns the libwebsockets context and every connection's state, on one dedicated I/O thread.
///
/// Everything here except the immutable configuration and `mailbox` is touched only on that
/// thread: inside `run()` and the C callbacks it drives. Other threads reach the loop only
/// through `mailbox`. That confinement is what makes the `@unchecked Sendable` below safe; it is
/// the C boundary, and `assertOnServiceThread()` checks it in debug builds.
final class ServiceLoop: @unchecked Sendable {
    /// Largest piece of a body or frame handed to `lws_write` at once.
    static let writeChunkBytes = 64 << 10
    /// Bytes libwebsockets needs in front of every write for its framing.
    static let headroom = Int(orderbot_lws_pre)

    let configuration: ServerConfiguration
    let router: Router
    let webSocketRoutes: [String: WebSocketRoute]
    let logger: Logger
    let metrics: ServerMetrics
    let mailbox = Mailbox()

    // MARK: I/O thread state

    enum Phase {
        case running
        case draining(deadline: UInt64)
    }

    var context: OpaquePointer?
    var phase = Phase.running
    var stopRequested = false
    var exchanges: [UInt64: HTTPExchange] = [:]
    var sockets: [UInt64: WebSocketSession] = [:]
    /// The answer each fallen-back connection is owed, once its first bytes arrived (see
    /// `ServiceLoop+Malformed`).
    var malformedAnswers: [OpaquePointer: HTTPError] = [:]
    /// Open client connections and the address each came from.
    var clientConnections: [OpaquePointer: String] = [:]
    /// Open client connections by address (`ClientAddress`), for the per-address cap.
    var connectionsByAddress: [String: Int] = [:]
    /// The address of the connection just admitted, for the `WSI_CREATE` that follows it on this
    /// thread (the new wsi has no socket yet when it is created).
    var admittedAddress: String?
    var requestSeries: [RequestSeriesKey: RequestSeries] = [:]
    var requestReader: LWSRequestReader
    /// Counts `lws_service` calls, to tell a callback repeated within one call from one per call.
    var serviceIteration: UInt64 = 1
    /// Reused for response headers and body chunks: headroom, then up to `writeChunkBytes` + headers.
    let scratch: UnsafeMutableRawBufferPointer
    private var lastID: UInt64 = 0
    private var serviceThread: pthread_t?
    /// Where handlers and WebSocket sessions run.
    let handlers: HandlerExecutor

    init(configuration: ServerConfiguration, router: Router, webSocketRoutes: [WebSocketRoute], logger: Logger,
         metrics: ServerMetrics) {
        self.configuration = configuration
        self.router = router
        self.webSocketRoutes = Dictionary(webSocketRoutes.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        self.logger = logger
        self.metrics = metrics
        self.requestReader = LWSRequestReader(extraHeaderNames: configuration.extraHeaderNames)
        self.scratch = .allocate(byteCount: Self.headroom + Self.writeChunkBytes + 16 << 10, alignment: 16)
        self.handlers = HandlerExecutor(threads: configuration.handlerThreads)
    }

    deinit {
        handlers.shutdown()
        scratch.deallocate()
    }

    /// A fresh id for an exchange or a WebSocket; never reused in this process.
    func nextID() -> UInt64 {
        lastID += 1
        return lastID
    }

    func assertOnServiceThread() {
        assert(serviceThread.map { pthread_equal($0, pthread_self()) != 0 } ?? true, "not on the I/O thread")
    }

    // MARK: Running

    /// Creates the context, listens, reports the bound port through `started`, and services
    /// connections until a shutdown has drained (or hit its deadline). Blocks the calling thread,
    /// which becomes the I/O thread.
    func run(started: (Result<Int, WebServerError>) -> Void) {
        serviceThread = pthread_self()
        LWSLog.install(logger)
        let listen: ListenAddress
        do {
            listen = try ListenAddress(host: configuration.host)
        } catch {
            started(.failure(error))
            return
        }
        let resources = LWSResources(configuration: configuration, interface: listen.interface)
        guard let context = createContext(resources: resources, listen: listen) else {
            started(.failure(.cannotListen(host: configuration.host, port: configuration.port)))
            return
        }
        self.context = context
        guard let vhost = createVirtualHost(context: context, resources: resources, listen: listen),
              case let port = Int(lws_get_vhost_listen_port(vhost)), port > 0 else {
            lws_context_destroy(context)
            self.context = nil
            started(.failure(.cannotListen(host: configuration.host, port: configuration.port)))
            return
        }
        mailbox.open(context: context)
        let ticker = startTicker()
        logger.info("listening", ["host": .string(configuration.host), "port": .int(port)])
        started(.success(port))

        while !stopRequested {
            if lws_service(context, 0) < 0 { break }
            serviceIteration += 1
            // Also drained here, not only on EVENT_WAIT_CANCELLED: while libwebsockets has
            // buffered input to replay it may service without looking at the cancel pipe.
            drainMailbox()
        }

        ticker.cancel()
        mailbox.close()
        lws_context_destroy(context)
        self.context = nil
        for session in sockets.values { session.inbound.finish() }
        sockets.removeAll()
        exchanges.removeAll()
        withExtendedLifetime(resources) {}
        handlers.shutdown()
        logger.info("stopped")
    }

    private func createContext(resources: LWSResources, listen: ListenAddress) -> OpaquePointer? {
        var info = lws_context_creation_info()
        info.options = UInt64(LWS_SERVER_OPTION_EXPLICIT_VHOSTS) | listen.options
        if configuration.tls != nil { info.options |= UInt64(LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT) }
        info.user = Unmanaged.passUnretained(self).toOpaque()
        info.gid = -1
        info.uid = -1
        info.timeout_secs = UInt32(max(1, configuration.idleTimeoutSeconds))
        info.max_http_header_data = 8 << 10
        info.max_http_header_pool = UInt16(clamping: configuration.maxConnections)
        info.pt_serv_buf_size = 32 << 10
        return lws_create_context(&info)
    }

    private func createVirtualHost(context: OpaquePointer, resources: LWSResources, listen: ListenAddress) -> OpaquePointer? {
        var info = lws_context_creation_info()
        info.options = UInt64(LWS_SERVER_OPTION_FALLBACK_TO_APPLY_LISTEN_ACCEPT_CONFIG) | listen.options
        info.port = Int32(configuration.port)
        info.iface = UnsafePointer(resources.interface)
        info.protocols = UnsafePointer(resources.protocols)
        info.pvo = UnsafePointer(resources.vhostOptions)
        info.vhost_name = UnsafePointer(resources.vhostName)
        info.keepalive_timeout = Int32(max(1, configuration.idleTimeoutSeconds))
        info.timeout_secs_ah_idle = UInt32(max(1, configuration.idleTimeoutSeconds))
        info.retry_and_idle_policy = UnsafePointer(resources.idlePolicy)
        info.listen_accept_role = UnsafePointer(resources.fallbackRole)
        info.listen_accept_protocol = UnsafePointer(resources.fallbackProtocol)
        if let certificate = resources.certificatePath, let key = resources.privateKeyPath {
            // libwebsockets 4.1.6 reads this option from the vhost's info as well: without it the
            // vhost silently serves plain HTTP.
            info.options |= UInt64(LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT)
            info.ssl_cert_filepath = UnsafePointer(certificate)
            info.ssl_private_key_filepath = UnsafePointer(key)
            // Without it libwebsockets offers h2 too, and a client that takes it gets nothing.
            info.alpn = UnsafePointer(resources.alpn)
        }
        return lws_create_vhost(context, &info)
    }

    /// Posts a `.tick` every second so timeouts and the drain deadline are checked even when idle.
    private func startTicker() -> DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [mailbox] in mailbox.post(.tick) }
        timer.resume()
        return timer
    }

    // MARK: Commands from other threads

    /// Performs what other threads posted. Runs in `LWS_CALLBACK_EVENT_WAIT_CANCELLED`.
    func drainMailbox() {
        for command in mailbox.takeAll() {
            switch command {
            case .respond(let id, let response):
                handlerAnswered(exchange: id, response: response)
            case .sendText(let id, let text):
                queueText(text, on: id)
            case .closeSocket(let id, let code, let reason):
                requestClose(socket: id, code: code, reason: reason)
            case .beginShutdown:
                beginShutdown()
            case .tick:
                tick()
            }
        }
    }

    private func beginShutdown() {
        guard case .running = phase else { return }
        phase = .draining(deadline: MonotonicClock.now() + MonotonicClock.seconds(configuration.shutdownGraceSeconds))
        logger.info("draining", [
            "in_flight_requests": .int(exchanges.values.filter(\.isInFlight).count), "websockets": .int(sockets.count),
        ])
        for id in sockets.keys {
            requestClose(socket: id, code: .goingAway, reason: "server shutting down")
        }
        stopIfDrained()
    }

    private func tick() {
        let now = MonotonicClock.now()
        let limit = MonotonicClock.seconds(configuration.handlerTimeoutSeconds)
        for exchange in exchanges.values {
            if case .awaitingHandler(let since) = exchange.state, now - since > limit {
                logger.warning("handler timed out", ["route": .string(exchange.routeLabel)])
                respond(exchange, with: .error(.handlerTimeout), closeAfter: false)
            }
        }
        if case .draining(let deadline) = phase, now >= deadline {
            logger.warning("shutdown grace period over; closing what is left", [
                "in_flight_requests": .int(exchanges.values.filter(\.isInFlight).count),
                "websockets": .int(sockets.count),
            ])
            stopRequested = true
        }
    }

    /// Ends the loop once a shutdown has nothing left in flight.
    func stopIfDrained() {
        guard case .draining = phase, sockets.isEmpty, !exchanges.values.contains(where: \.isInFlight) else { return }
        stopRequested = true
    }

    var isDraining: Bool {
        if case .draining = phase { return true }
        return false
    }

    // MARK: Connection accounting

    /// Whether a just-accepted connection from `peer` (`ClientAddress`) may stay: not while
    /// draining, not beyond the cap, not beyond the cap of its address.
    func admitsConnection(from peer: String?) -> Bool {
        admittedAddress = nil
        guard !isDraining, clientConnections.count < configuration.maxConnections else {
            metrics.refusedConnections.increment()
            return false
        }
        let address = peer ?? "unknown"
        guard connectionsByAddress[address, default: 0] < configuration.maxConnectionsPerAddress else {
            metrics.refusedConnections.increment()
            metrics.rateLimited.increment("connections_per_address")
            return false
        }
        admittedAddress = address
        return true
    }

    func connectionOpened(_ wsi: OpaquePointer) {
        let address = admittedAddress ?? "unknown"
        admittedAddress = nil
        clientConnections[wsi] = address
        connectionsByAddress[address, default: 0] += 1
        metrics.openConnections.set(Double(clientConnections.count))
    }

    func connectionClosed(_ wsi: OpaquePointer) {
        malformedAnswers[wsi] = nil
        guard let address = clientConnections.removeValue(forKey: wsi) else { return }
        let remaining = connectionsByAddress[address, default: 1] - 1
        connectionsByAddress[address] = remaining > 0 ? remaining : nil
        metrics.openConnections.set(Double(clientConnections.count))
    }

    /// The address `wsi`'s client connected from.
    func clientAddress(of wsi: OpaquePointer) -> String {
        if let known = clientConnections[wsi], known != "unknown" { return known }
        return ClientAddress.of(socket: lws_get_socket_fd(wsi)) ?? "unknown"
    }
}
