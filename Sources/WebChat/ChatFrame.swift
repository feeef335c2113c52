import Commerce
import Engine
import Foundation
import Wire

/// The frames the server sends to a web chat page: compact JSON, `type` first (CONTRACT.md).
package enum ChatFrame {
    /// `welcome{session, conversation_id}`: the session to keep for resuming, and its conversation.
    package static func welcome(session: String, conversationID: Int64) -> String {
        #"{"type":"welcome","session":"# + JSONText.quoted(session) + #","conversation_id":\#(conversationID)}"#
    }

    /// `ack{client_id}`: the customer message is stored (and was handled once).
    package static func ack(_ clientID: String) -> String {
        #"{"type":"ack","client_id":"# + JSONText.quoted(clientID) + "}"
    }

    /// `error{code, message}`.
    package static func error(code: String, message: String) -> String { RequestFrame.error(code: code, message: message) }

    /// A reply from the outbox: `message{from:"bot"|"agent", text, quick_replies?}`; the quick
    /// replies (`[{title, payload}]`) only when the reply offers some.
    package static func message(_ item: OutboxItem) -> String {
        let from = item.author == .agent ? "agent" : "bot"
        let chips = quickReplies(item.quickRepliesJSON)
        return #"{"type":"message","from":"\#(from)","text":"# + JSONText.quoted(item.text)
            + (chips.isEmpty ? "" : #","quick_replies":["# + chips.joined(separator: ",") + "]") + "}"
    }

    /// `handoff{status, agent?}`: who answers the customer now.
    package static func handoff(_ change: HandoffChange) -> String {
        let (status, agent): (String, String?) = switch change {
        case .waiting: ("waiting", nil)
        case .agentJoined(let agent): ("agent_joined", agent)
        case .returnedToBot: ("returned_to_bot", nil)
        }
        return #"{"type":"handoff","status":"# + JSONText.quoted(status)
            + (agent.map { #","agent":"# + JSONText.quoted($0) } ?? "") + "}"
    }

    /// The stored quick replies, each as a `{title, payload}` object; none when the stored text
    /// is not the list the engine writes (a frame is never built from text that is not JSON).
    private static func quickReplies(_ stored: String) -> [String] {
        guard stored != "[]", let chips = try? JSONDecoder().decode([StoredQuickReply].self, from: Data(stored.utf8)) else {
            return []
        }
        return chips.map { #"{"title":"# + JSONText.quoted($0.title) + #","payload":"# + JSONText.quoted($0.payload) + "}" }
    }

    private struct StoredQuickReply: Decodable {
        let title: String
        let payload: String
    }
}
