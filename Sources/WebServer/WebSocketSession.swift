/// The I/O thread's record of one open WebSocket.
final class WebSocketSession {
    let id: UInt64
    let wsi: OpaquePointer
    let path: String
    let inbound: AsyncStream<String>.Continuation
    /// Fragments of the message being received.
    var partialMessage: [UInt8] = []
    /// Frames waiting for the socket to be writable, each with `LWS_PRE` bytes of headroom.
    var outbound: FrameQueue
    /// Set once a close was asked for; sent after the queued frames.
    var pendingClose: (code: WebSocketCloseCode, reason: String)?
    /// The connection is being torn down; nothing more is queued.
    var isClosing = false

    init(id: UInt64, wsi: OpaquePointer, path: String, inbound: AsyncStream<String>.Continuation, headroom: Int) {
        self.id = id
        self.outbound = FrameQueue(headroom: headroom)
        self.wsi = wsi
        self.path = path
        self.inbound = inbound
    }
}

/// A FIFO of outgoing frames that knows how many payload bytes it holds.
struct FrameQueue {
    /// Bytes reserved in front of each frame for libwebsockets' framing.
    let headroom: Int
    private var frames: [[UInt8]] = []
    private var head = 0
    /// Payload bytes queued, headroom not counted.
    private(set) var byteCount = 0

    init(headroom: Int) {
        self.headroom = headroom
    }

    var count: Int { frames.count - head }
    var isEmpty: Bool { count == 0 }

    /// Queues a frame laid out as `headroom` spare bytes followed by the payload.
    mutating func append(_ frame: [UInt8]) {
        frames.append(frame)
        byteCount += frame.count - headroom
    }

    mutating func popFirst() -> [UInt8]? {
        guard head < frames.count else { return nil }
        let frame = frames[head]
        frames[head] = []
        head += 1
        byteCount -= frame.count - headroom
        if head >= 64, head * 2 >= frames.count {
            frames.removeFirst(head)
            head = 0
        }
        return frame
    }
}
