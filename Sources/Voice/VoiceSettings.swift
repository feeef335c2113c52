/// The phone channel's settings.
public struct VoiceSettings: Sendable, Equatable {
    /// The bearer token a speech platform's relay presents on `POST /webhooks/voice`; nil
    /// refuses every request (401).
    public var token: String?
    /// Twilio's auth token: `POST /webhooks/voice/twilio` requires a valid `X-Twilio-Signature`
    /// made with it (403 otherwise); nil or empty refuses every Twilio request (403).
    public var twilioAuthToken: String?

    /// The Twilio auth token when one is set (an empty one is none): without it every Twilio
    /// request is refused.
    var twilioSigningToken: String? { twilioAuthToken.flatMap { $0.isEmpty ? nil : $0 } }
    /// The public URL Twilio is configured to call (behind a proxy it differs from what the
    /// gateway sees); the signature is computed over it. Nil: rebuilt from the request's
    /// `Host` and `X-Forwarded-Proto`.
    public var twilioWebhookURL: String?
    /// The Twilio text-to-speech voice (`Polly.Ewa`, say); nil leaves it to Twilio.
    public var twilioVoice: String?

    public init(token: String? = nil, twilioAuthToken: String? = nil, twilioWebhookURL: String? = nil, twilioVoice: String? = nil) {
        self.token = token
        self.twilioAuthToken = twilioAuthToken
        self.twilioWebhookURL = twilioWebhookURL
        self.twilioVoice = twilioVoice
    }
}
