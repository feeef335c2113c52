import Commerce
import Dialogue
import Lifecycle
import WebServer

/// Who answers a conversation now, as a channel tells its customer.
public enum HandoffChange: Sendable, Equatable {
    /// Handed to the agents' queue; nobody has taken it yet.
    case waiting
    /// An agent (by name, when known) has taken the conversation.
    case agentJoined(String?)
    /// The agent handed the conversation back to the bot.
    case returnedToBot
}

/// What the engine needs to know of a channel to run a turn: where its conversations are
/// stored, how the dialogue speaks on it, and whether its replies are returned with the turn
/// (a phone call's) or pushed later through the outbox (Messenger's, the web chat's).
///
/// Each channel module defines its own (`ChannelProfile.messenger`, `.voice`, `.web`); an
/// adapter stamps it on every `InboundMessage` it makes.
public struct ChannelProfile: Sendable, Hashable {
    /// The channel its conversations, identities and outbox rows are stored under.
    public let stored: ConversationChannel
    /// How the dialogue words its replies on it.
    public let dialogue: DialogueChannel
    /// Whether replies go through the outbox to be pushed (true), or are returned with the turn.
    public let pushesReplies: Bool

    public init(stored: ConversationChannel, dialogue: DialogueChannel, pushesReplies: Bool) {
        self.stored = stored
        self.dialogue = dialogue
        self.pushesReplies = pushesReplies
    }

    /// A chat typed at a terminal or replayed from a transcript: stored like the web chat,
    /// answered at once.
    public static let terminal = ChannelProfile(stored: .web, dialogue: .terminal, pushesReplies: false)
}

/// The way back to a channel's customers, for whoever acts outside their own turns (the human
/// handoff): every channel module implements it, and the handoff knows only this protocol.
public protocol CustomerChannel: Sendable {
    /// The channel whose conversations this one carries.
    var stored: ConversationChannel { get }
    /// Whether an agent's typed words can reach the customer (a phone call cannot: it is put
    /// through to the agents' phone queue instead).
    var carriesTypedText: Bool { get }
    /// Replies for `conversation` were queued in the outbox: deliver them soon. Must not block.
    func repliesQueued(conversation: Int64)
    /// Who answers `conversation` changed: tell its customer now, after the replies queued for
    /// them before, if the channel can and the customer is there.
    func handoffChanged(_ change: HandoffChange, conversation: Int64) async
}

/// Every channel of the running gateway, by the channel its conversations are stored under.
public struct ChannelDirectory: Sendable {
    private let channels: [ConversationChannel: any CustomerChannel]

    public init(_ channels: [any CustomerChannel]) {
        self.channels = Dictionary(channels.map { ($0.stored, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The channel that carries conversations stored under `stored`, if the gateway has one.
    public subscript(stored: ConversationChannel) -> (any CustomerChannel)? { channels[stored] }
}

/// A channel as the gateway mounts it: the HTTP routes and WebSocket endpoints customers (or
/// their platform) reach it through, the workers it runs, and the request headers it reads
/// beyond the standard ones. Adding a channel is a module that implements this, and one line in
/// the gateway's list of channels.
public protocol MountedChannel: CustomerChannel {
    /// Adds the channel's HTTP endpoints (webhooks) to `router`.
    func install(in router: inout Router)
    /// The channel's WebSocket endpoints.
    var webSocketRoutes: [WebSocketRoute] { get }
    /// The channel's long-running workers, in the order they start (they stop in reverse).
    var services: [any Service] { get }
    /// Request headers the channel reads that the server must keep (signatures, say).
    var requestHeaders: [String] { get }
}

extension MountedChannel {
    /// No HTTP endpoints.
    public func install(in router: inout Router) {}
    /// No WebSocket endpoints.
    public var webSocketRoutes: [WebSocketRoute] { [] }
    /// No workers.
    public var services: [any Service] { [] }
    /// No headers beyond the standard ones.
    public var requestHeaders: [String] { [] }
}
