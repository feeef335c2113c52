import CLibWebSockets
import Telemetry

/// WebSocket connections on the I/O thread: upgrade, messages in, frames out, close.
extension ServiceLoop {
    /// `LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION`: accept the upgrade only on a configured path
    /// and only while running. A refused upgrade is a dropped connection (libwebsockets 4.1.6).
    func upgradeAllowed(_ wsi: OpaquePointer) -> Bool {
        guard !isDraining, let path = requestReader.header(WSI_TOKEN_GET_URI, of: wsi), webSocketRoutes[path] != nil
        else { return false }
        guard configuration.webSocketOrigins.allows(
            origin: requestReader.header(WSI_TOKEN_ORIGIN, of: wsi), host: requestReader.header(WSI_TOKEN_HOST, of: wsi))
        else {
            metrics.refusedUpgrades.increment("origin")
            return false
        }
        return true
    }

    /// `LWS_CALLBACK_ESTABLISHED`: registers the connection and starts its handler.
    func socketOpened(_ wsi: OpaquePointer, session: UnsafeMutableRawPointer?) -> Int32 {
        guard let session, let path = requestReader.header(WSI_TOKEN_GET_URI, of: wsi),
              let route = webSocketRoutes[path] else { return -1 }
        let id = nextID()
        session.storeBytes(of: id, as: UInt64.self)
        let upgrade = WebSocketUpgrade(
            path: path, query: requestReader.query(of: wsi), headers: requestReader.headers(of: wsi),
            clientAddress: clientAddress(of: wsi))
        let (messages, continuation) = AsyncStream.makeStream(
            of: String.self, bufferingPolicy: .bufferingOldest(max(1, configuration.webSocketReceiveQueueMessages)))
        sockets[id] = WebSocketSession(id: id, wsi: wsi, path: path, inbound: continuation, headroom: Self.headroom)
        metrics.webSocketConnections.add(1, path)

        let connection = WebSocketConnection(id: id, upgrade: upgrade, messages: messages, mailbox: mailbox)
        let handler = route.handler
        let mailbox = self.mailbox
        Task(executorPreference: handlers) {
            await handler(connection)
            mailbox.post(.closeSocket(socket: id, code: .normalClosure, reason: ""))
        }
        return 0
    }

    /// `LWS_CALLBACK_RECEIVE`: a piece of a message. Joins fragments; hands complete text
    /// messages to the handler. Returning -1 closes with the reason set by `lws_close_reason`.
    func socketReceived(_ wsi: OpaquePointer, session: UnsafeMutableRawPointer?, bytes: UnsafeMutableRawPointer?,
                        count: Int) -> Int32 {
        guard let socket = socket(for: session), !socket.isClosing else { return 0 }
        if lws_frame_is_binary(wsi) != 0 {
            return closeNow(socket, .unsupportedData, "text frames only")
        }
        if socket.partialMessage.count + count > configuration.maxWebSocketMessageBytes {
            return closeNow(socket, .messageTooBig, "message larger than \(configuration.maxWebSocketMessageBytes) bytes")
        }
        if let bytes, count > 0 {
            socket.partialMessage.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: count))
        }
        guard lws_is_final_fragment(wsi) != 0 else { return 0 }
        guard let text = String(validating: socket.partialMessage, as: UTF8.self) else {
            return closeNow(socket, .invalidPayload, "text frames must be UTF-8")
        }
        // Keep a small buffer for the next message; give a large one's memory back.
        socket.partialMessage.removeAll(keepingCapacity: socket.partialMessage.count <= 16 << 10)
        metrics.webSocketMessages.increment(socket.path, "in")
        if case .dropped = socket.inbound.yield(text) {
            logger.warning("websocket peer sends faster than it is served", ["path": .string(socket.path)])
            return closeNow(socket, .policyViolation, "too many unprocessed messages")
        }
        return 0
    }

    /// Queues a text frame; a peer whose queue is full is disconnected at once.
    func queueText(_ text: String, on id: UInt64) {
        guard let socket = sockets[id], !socket.isClosing, socket.pendingClose == nil else { return }
        var frame = [UInt8](repeating: 0, count: Self.headroom)
        frame.append(contentsOf: text.utf8)
        let payload = frame.count - Self.headroom
        guard socket.outbound.count < configuration.webSocketSendQueueFrames,
              socket.outbound.byteCount + payload <= configuration.webSocketSendQueueBytes else {
            metrics.webSocketOverflows.increment(socket.path)
            logger.warning("websocket peer is not reading; disconnecting", [
                "path": .string(socket.path), "queued_frames": .int(socket.outbound.count),
                "queued_bytes": .int(socket.outbound.byteCount),
            ])
            // A peer that does not read cannot receive a close frame either: drop the connection.
            socket.isClosing = true
            lws_set_timeout(socket.wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC)
            return
        }
        socket.outbound.append(frame)
        lws_callback_on_writable(socket.wsi)
    }

    /// Asks for a close after the queued frames are sent.
    func requestClose(socket id: UInt64, code: WebSocketCloseCode, reason: String) {
        guard let socket = sockets[id], !socket.isClosing, socket.pendingClose == nil else { return }
        socket.pendingClose = (code, reason)
        lws_callback_on_writable(socket.wsi)
    }

    /// `LWS_CALLBACK_SERVER_WRITEABLE`: one frame per call, then the close once the queue is empty.
    func socketWritable(_ wsi: OpaquePointer, session: UnsafeMutableRawPointer?) -> Int32 {
        guard let socket = socket(for: session), !socket.isClosing else { return 0 }
        if var frame = socket.outbound.popFirst() {
            let payload = frame.count - Self.headroom
            let written = frame.withUnsafeMutableBufferPointer { buffer in
                lws_write(wsi, buffer.baseAddress! + Self.headroom, payload, LWS_WRITE_TEXT)
            }
            guard written >= payload else { return -1 }
            metrics.webSocketMessages.increment(socket.path, "out")
            if !socket.outbound.isEmpty || socket.pendingClose != nil {
                lws_callback_on_writable(wsi)
            }
            return 0
        }
        if let close = socket.pendingClose {
            return closeNow(socket, close.code, close.reason)
        }
        return 0
    }

    /// `LWS_CALLBACK_CLOSED`: the connection is gone; its handler's message stream ends.
    func socketClosed(session: UnsafeMutableRawPointer?) {
        guard let session else { return }
        let id = session.load(as: UInt64.self)
        session.storeBytes(of: 0, as: UInt64.self)
        guard let socket = sockets.removeValue(forKey: id) else { return }
        socket.inbound.finish()
        metrics.webSocketConnections.add(-1, socket.path)
        stopIfDrained()
    }

    /// Sets the close frame's code and reason; the caller returns -1 so libwebsockets sends it
    /// and closes.
    private func closeNow(_ socket: WebSocketSession, _ code: WebSocketCloseCode, _ reason: String) -> Int32 {
        socket.isClosing = true
        var reasonBytes = Array(reason.utf8.prefix(123))
        reasonBytes.withUnsafeMutableBufferPointer { buffer in
            lws_close_reason(socket.wsi, lws_close_status(rawValue: UInt32(code.rawValue)), buffer.baseAddress, buffer.count)
        }
        return -1
    }

    private func socket(for session: UnsafeMutableRawPointer?) -> WebSocketSession? {
        guard let session else { return nil }
        return sockets[session.load(as: UInt64.self)]
    }
}
