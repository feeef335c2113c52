import Commerce
import Engine
import Lifecycle
import RateLimits
import Telemetry
import WebServer

extension ChannelProfile {
    /// Messenger: stored as `messenger`, replies pushed through the outbox by the Send API.
    public static let messenger = ChannelProfile(stored: .messenger, dialogue: .messenger, pushesReplies: true)
}

/// Messenger as the gateway mounts it: the webhook accepts events into the inbox, the inbox
/// worker runs them through the engine, and the delivery worker sends the replies through the
/// Send API.
package final class MessengerChannel: MountedChannel {
    let webhook: MessengerWebhook
    let inbox: MessengerInbox
    package let delivery: MessengerDelivery

    /// `escalated` is told when the delivery worker opened an escalation (a reply given up).
    package init(
        settings: MessengerSettings, engine: ConversationEngine, metrics: MetricsRegistry, logger: Logger,
        webhookLimit: RateLimiter? = nil, senderLimit: RateLimiter? = nil, escalated: @escaping @Sendable () -> Void
    ) {
        let delivery = MessengerDelivery(
            database: engine.database, configuration: settings.delivery, metrics: metrics, logger: logger, escalated: escalated)
        let inbox = MessengerInbox(engine: engine, logger: logger, metrics: metrics, repliesQueued: { delivery.wake() })
        webhook = MessengerWebhook(
            settings: settings, database: engine.database, metrics: MessengerWebhookMetrics(metrics), accepted: { inbox.wake() },
            limit: webhookLimit, senderLimit: senderLimit)
        self.inbox = inbox
        self.delivery = delivery
    }

    package var stored: ConversationChannel { .messenger }

    package var carriesTypedText: Bool { true }

    package func repliesQueued(conversation: Int64) {
        delivery.wake()
    }

    /// Nothing to say: the bot's own reply told the customer a person will answer, and the
    /// agent's first message says who.
    package func handoffChanged(_ change: HandoffChange, conversation: Int64) async {}

    package func install(in router: inout Router) {
        webhook.install(in: &router)
    }

    /// The inbox stops before the delivery worker, which then sends the replies of its last turns.
    package var services: [any Service] { [delivery, inbox] }

    package var requestHeaders: [String] { [MessengerWebhook.signatureHeader] }
}
