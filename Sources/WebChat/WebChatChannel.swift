import Commerce
import Engine
import Lifecycle
import WebServer

extension ChannelProfile {
    /// The web chat: stored as `web`, replies pushed to the page's sockets through the outbox.
    public static let web = ChannelProfile(stored: .web, dialogue: .web, pushesReplies: true)
}

extension WebChat: CustomerChannel {
    package var stored: ConversationChannel { .web }

    package var carriesTypedText: Bool { true }

    /// An agent's reply was queued: the delivery worker pushes it to the session's sockets.
    package func repliesQueued(conversation: Int64) {
        delivery.wake()
    }

    /// `handoff{…}` to the conversation's open sockets, after the replies queued before it.
    package func handoffChanged(_ change: HandoffChange, conversation: Int64) async {
        await sessions.pushAfterReplies(ChatFrame.handoff(change), toConversation: conversation)
    }
}

extension WebChat: MountedChannel {
    package var webSocketRoutes: [WebSocketRoute] { [route] }

    package var services: [any Service] { [delivery] }
}
