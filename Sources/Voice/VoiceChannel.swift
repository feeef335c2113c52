import Commerce
import Engine
import RateLimits
import Telemetry
import WebServer
import Wire

extension ChannelProfile {
    /// A phone call: stored as `voice`, each reply returned in the answer to its transcript.
    public static let voice = ChannelProfile(stored: .voice, dialogue: .voice, pushesReplies: false)
}

/// Phone calls as the gateway mounts them: the speech platform's webhook (`/webhooks/voice`,
/// bearer token) and Twilio's (`/webhooks/voice/twilio`, signed), both answered by `calls`.
/// Nothing is pushed later and no typed text reaches a caller: a call handed to a person is
/// put through to the agents' phone queue.
package struct VoiceChannel: MountedChannel {
    package let calls: VoiceCalls
    private let settings: VoiceSettings
    private let metrics: VoiceMetrics
    private let webhookLimit: RateLimiter?
    private let lockout: RateLimiter?

    /// `webhookLimit` counts both webhooks' POSTs by client address; `lockout` the voice token's
    /// failed checks (both shared with the rest of the gateway; nil limits nothing).
    package init(
        settings: VoiceSettings, engine: ConversationEngine, metrics: MetricsRegistry, logger: Logger,
        webhookLimit: RateLimiter? = nil, lockout: RateLimiter? = nil
    ) {
        calls = VoiceCalls(engine: engine, metrics: metrics)
        self.settings = settings
        self.webhookLimit = webhookLimit
        self.lockout = lockout
        self.metrics = VoiceMetrics(metrics)
        if settings.twilioSigningToken == nil {
            logger.warning("ORDERBOT_TWILIO_AUTH_TOKEN is not set: Twilio voice requests are refused (403)")
        }
    }

    package var stored: ConversationChannel { .voice }

    package var carriesTypedText: Bool { false }

    package func repliesQueued(conversation: Int64) {}

    package func handoffChanged(_ change: HandoffChange, conversation: Int64) async {}

    package func install(in router: inout Router) {
        VoiceWebhook(
            calls: calls, authorization: .voice(token: settings.token).limitingFailures(with: lockout), metrics: metrics,
            limit: webhookLimit
        ).install(in: &router)
        TwilioWebhook(calls: calls, settings: settings, metrics: metrics, limit: webhookLimit).install(in: &router)
    }

    package var requestHeaders: [String] { [TwilioWebhook.signatureHeader, TwilioWebhook.forwardedProtoHeader] }
}

extension BearerAuthorization {
    /// The voice webhook's guard: the token the speech platform's relay was given.
    static func voice(token: String?) -> BearerAuthorization {
        BearerAuthorization(
            token: token, what: "voice token", refusal: "Voice webhooks are refused", setting: "ORDERBOT_VOICE_TOKEN")
    }
}
