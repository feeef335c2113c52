import Commerce
import Foundation

/// The requests that deliver one outbox reply: its parts, quick replies on the last one.
struct SendPlan: Sendable {
    let item: OutboxItem
    let parts: [String]
    let messagingType: SendMessagingType
    let quickReplies: [SendQuickReply]

    init(item: OutboxItem, now: Date) {
        self.item = item
        parts = MessageSplitter.split(item.text)
        messagingType = SendMessagingType.of(item, now: now)
        quickReplies = SendQuickReply.list(fromJSON: item.quickRepliesJSON)
    }

    /// The request for part `index` (0-based).
    func request(part index: Int) -> SendRequest {
        SendRequest(
            recipient: item.recipient, messagingType: messagingType, text: parts[index],
            quickReplies: index == parts.count - 1 ? quickReplies : [], metadata: SendRequest.metadata(outboxID: item.id))
    }
}
