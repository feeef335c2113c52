import CLibWebSockets
import Synchronization

/// Work handed to the I/O thread from other threads.
enum LoopCommand: Sendable {
    /// A handler finished: send `response` on exchange `exchange` (if its client is still there).
    case respond(exchange: UInt64, response: HTTPResponse)
    /// Queue one text frame on WebSocket `socket`.
    case sendText(socket: UInt64, text: String)
    /// Send what is queued on `socket`, then close it.
    case closeSocket(socket: UInt64, code: WebSocketCloseCode, reason: String)
    /// Stop taking work and drain.
    case beginShutdown
    /// A second passed: check handler timeouts and the drain deadline.
    case tick
}

/// The only way into the I/O thread from outside: a locked queue plus `lws_cancel_service`,
/// which wakes the service loop; the loop drains the queue in `LWS_CALLBACK_EVENT_WAIT_CANCELLED`.
///
/// Wake-ups are coalesced: many posts between two drains cost one `lws_cancel_service`.
/// `lws_cancel_service` is called with the lock held, and the loop closes the mailbox (under
/// the same lock) before it destroys the context, so no post can touch a destroyed context.
final class Mailbox: Sendable {
    private struct State {
        var commands: [LoopCommand] = []
        var wakePending = false
        /// Set while the loop runs; nil before it starts and after it stops.
        var context: WakeHandle?
        /// A shutdown asked for before the loop opened the mailbox; delivered when it does.
        var shutdownBeforeOpen = false
    }

    private let state = Mutex(State())

    /// Queues `command` and wakes the loop; false when the loop is not running.
    @discardableResult
    func post(_ command: LoopCommand) -> Bool {
        state.withLock { state in
            guard let context = state.context else {
                if case .beginShutdown = command { state.shutdownBeforeOpen = true }
                return false
            }
            state.commands.append(command)
            if !state.wakePending {
                state.wakePending = true
                lws_cancel_service(context.pointer)
            }
            return true
        }
    }

    /// Starts accepting posts for the loop of `context`.
    func open(context: OpaquePointer) {
        let handle = WakeHandle(pointer: context)
        state.withLock { state in
            state.context = handle
            if state.shutdownBeforeOpen {
                state.commands.append(.beginShutdown)
                state.wakePending = true
                lws_cancel_service(context)
            }
        }
    }

    /// Takes every queued command, oldest first. Called by the loop only.
    func takeAll() -> [LoopCommand] {
        state.withLock { state in
            state.wakePending = false
            defer { state.commands.removeAll(keepingCapacity: true) }
            return state.commands
        }
    }

    /// Refuses further posts and drops what is queued. Called by the loop before it destroys the context.
    func close() {
        state.withLock { state in
            state.context = nil
            state.commands.removeAll()
        }
    }
}

/// The context pointer as the mailbox keeps it: used for `lws_cancel_service` only, which
/// libwebsockets documents as the one call that is safe from any thread. `@unchecked Sendable`
/// because a C pointer is not `Sendable`; the mailbox's lock keeps it from outliving the context.
private struct WakeHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}
