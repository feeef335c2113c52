import CLibWebSockets

/// The C entry points libwebsockets calls, one per protocol. Each finds its `ServiceLoop`
/// through the context's user pointer and hands over; all of them run on the I/O thread.

func httpProtocolCallback(
    _ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ session: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?, _ length: Int
) -> Int32 {
    guard let wsi, let loop = ServiceLoop.owning(wsi) else {
        return lws_callback_http_dummy(wsi, reason, session, input, length)
    }
    switch reason {
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        loop.drainMailbox()
        return 0
    case LWS_CALLBACK_FILTER_NETWORK_CONNECTION:
        // The wsi is still the listener's; `session` points at the accepted peer's address
        // (`lws_filter_network_conn_args`), so no system call is needed to learn it.
        let peer = session.flatMap { ClientAddress.of($0.assumingMemoryBound(to: lws_filter_network_conn_args.self).pointee.cli_addr) }
        return loop.admitsConnection(from: peer) ? 0 : 1
    case LWS_CALLBACK_WSI_CREATE:
        loop.connectionOpened(wsi)
        return 0
    case LWS_CALLBACK_WSI_DESTROY:
        loop.connectionClosed(wsi)
        return 0
    case LWS_CALLBACK_HTTP:
        let path = input.map { String(cString: $0.assumingMemoryBound(to: CChar.self)) } ?? "/"
        return loop.requestHeadReceived(wsi, session: session, path: path)
    case LWS_CALLBACK_HTTP_BODY:
        return loop.bodyReceived(session: session, bytes: input, count: length)
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        return loop.bodyCompleted(session: session)
    case LWS_CALLBACK_HTTP_WRITEABLE:
        return loop.responseWritable(wsi, session: session)
    case LWS_CALLBACK_HTTP_DROP_PROTOCOL, LWS_CALLBACK_CLOSED_HTTP:
        loop.exchangeEnded(session: session)
        return 0
    default:
        return lws_callback_http_dummy(wsi, reason, session, input, length)
    }
}

func webSocketProtocolCallback(
    _ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ session: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?, _ length: Int
) -> Int32 {
    guard let wsi, let loop = ServiceLoop.owning(wsi) else { return 0 }
    switch reason {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        return loop.upgradeAllowed(wsi) ? 0 : 1
    case LWS_CALLBACK_ESTABLISHED:
        return loop.socketOpened(wsi, session: session)
    case LWS_CALLBACK_RECEIVE:
        return loop.socketReceived(wsi, session: session, bytes: input, count: length)
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return loop.socketWritable(wsi, session: session)
    case LWS_CALLBACK_CLOSED:
        loop.socketClosed(session: session)
        return 0
    default:
        return 0
    }
}

func malformedRequestCallback(
    _ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ session: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?, _ length: Int
) -> Int32 {
    guard let wsi, let loop = ServiceLoop.owning(wsi) else { return 0 }
    switch reason {
    case LWS_CALLBACK_RAW_ADOPT:
        return loop.malformedRequestAdopted(wsi)
    case LWS_CALLBACK_RAW_RX:
        return loop.malformedRequestReceived(wsi, session: session, bytes: input, count: length)
    case LWS_CALLBACK_RAW_WRITEABLE:
        return loop.malformedRequestWritable(wsi, session: session)
    default:
        return 0
    }
}

extension ServiceLoop {
    /// The loop whose context `wsi` belongs to (set as the context's user pointer at creation;
    /// the loop outlives its context).
    static func owning(_ wsi: OpaquePointer) -> ServiceLoop? {
        guard let context = lws_get_context(wsi), let user = lws_context_user(context) else { return nil }
        return Unmanaged<ServiceLoop>.fromOpaque(user).takeUnretainedValue()
    }
}
