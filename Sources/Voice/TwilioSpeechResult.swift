/// Why a Twilio speech callback could not be read from its form parameters. Only numbers are
/// echoed; never what the caller said or their phone number.
public enum TwilioSpeechResultError: Error, Equatable, CustomStringConvertible {
    /// A parameter the callback cannot do without (`CallSid`; `SequenceNumber` of a partial) is
    /// absent or empty.
    case missingParameter(String)
    /// `Confidence` is not a decimal from 0 to 1.
    case invalidConfidence(String)
    /// `SequenceNumber` is not a non-negative integer.
    case invalidSequenceNumber(String)
    /// A parameter is longer than the phone channel takes (the same limits as the neutral JSON).
    case tooLong(String, maximum: Int)

    public var description: String {
        switch self {
        case .missingParameter(let name): "The Twilio callback has no \(name)"
        case .invalidConfidence(let value):
            "The Twilio callback's Confidence \"\(value.prefix(20))\" is not a decimal from 0 to 1"
        case .invalidSequenceNumber(let value): "The Twilio callback's SequenceNumber \"\(value.prefix(20))\" is not an integer"
        case .tooLong(let name, let maximum): "The Twilio callback's \(name) is longer than \(maximum) characters"
        }
    }
}

/// What a Twilio `<Gather input="speech">` posted: the turn's answer to the `action` URL, or an
/// interim hypothesis to the `partialResultCallback` URL (never the turn's answer; Twilio ignores
/// the response to it).
public struct TwilioSpeechResult: Sendable, Equatable {
    /// `CallSid`: Twilio's id of the call.
    public let callSID: String
    /// `From`, as Twilio sends it (E.164 for phones); nil when absent or empty.
    public let from: String?
    /// `To`, the number called; nil when absent or empty.
    public let to: String?
    /// `Language`, the gather's language echoed back; Twilio does not promise to send it.
    public let language: String?
    /// Which callback this is, with what it carries.
    public let kind: Kind

    /// The two callbacks a speech gather makes.
    public enum Kind: Sendable, Equatable {
        /// The `action` callback that ends the gather.
        case final(Utterance)
        /// A `partialResultCallback` while the caller is still speaking.
        case partial(Partial)
    }

    /// The answer of a finished gather.
    public struct Utterance: Sendable, Equatable {
        /// `SpeechResult`; nil when nothing was heard.
        public let transcript: String?
        /// `Confidence` from 0 to 1; Twilio warns it may be absent or inaccurate.
        public let confidence: Double?
        /// `Digits` pressed, when the gather allowed DTMF.
        public let digits: String?

        /// An answer as given; `init(parameters:)` reads one from a callback.
        public init(transcript: String?, confidence: Double?, digits: String?) {
            self.transcript = transcript
            self.confidence = confidence
            self.digits = digits
        }

        /// Whether the caller neither said nor pressed anything.
        public var isEmpty: Bool { transcript == nil && digits == nil }
    }

    /// An interim hypothesis: `stable` is unlikely to change, `unstable` is the newest tail.
    public struct Partial: Sendable, Equatable {
        /// `SequenceNumber`: increases within a gather.
        public let sequenceNumber: Int
        /// `StableSpeechResult`.
        public let stable: String
        /// `UnstableSpeechResult` (often with a leading space).
        public let unstable: String

        /// A hypothesis as given; `init(parameters:)` reads one from a callback.
        public init(sequenceNumber: Int, stable: String, unstable: String) {
            self.sequenceNumber = sequenceNumber
            self.stable = stable
            self.unstable = unstable
        }

        /// The whole hypothesis so far.
        public var text: String { stable + unstable }
    }

    /// A callback as given; `init(parameters:)` reads one from a form.
    public init(callSID: String, from: String?, to: String?, language: String?, kind: Kind) {
        self.callSID = callSID
        self.from = from
        self.to = to
        self.language = language
        self.kind = kind
    }

    /// Reads a callback from its form parameters (`TwilioForm.parameters(in:)`). A callback with
    /// `UnstableSpeechResult`, `StableSpeechResult` or `SequenceNumber` and no `SpeechResult` is a
    /// partial; anything else is final, an absent or empty `SpeechResult` meaning nothing was heard.
    public init(parameters: [String: String]) throws(TwilioSpeechResultError) {
        for (name, maximum) in Self.maximumLengths {
            if let value = parameters[name], value.count > maximum { throw .tooLong(name, maximum: maximum) }
        }
        guard let callSID = Self.nonEmpty("CallSid", in: parameters) else { throw .missingParameter("CallSid") }
        let isPartial = parameters["SpeechResult"] == nil
            && Self.partialNames.contains { parameters[$0] != nil }
        self.init(
            callSID: callSID, from: Self.nonEmpty("From", in: parameters), to: Self.nonEmpty("To", in: parameters),
            language: Self.nonEmpty("Language", in: parameters),
            kind: isPartial ? .partial(try Self.partial(parameters)) : .final(try Self.utterance(parameters)))
    }

    /// Whether this is the turn's answer rather than an interim hypothesis.
    public var isFinal: Bool {
        switch kind {
        case .final: true
        case .partial: false
        }
    }

    private static let partialNames = ["UnstableSpeechResult", "StableSpeechResult", "SequenceNumber"]

    /// The longest value of each parameter read, as the neutral JSON's fields are bounded.
    static let maximumLengths: [(String, Int)] = [
        ("CallSid", 200), ("From", 64), ("To", 64), ("Language", 35), ("Confidence", 32), ("SequenceNumber", 20),
        ("Digits", VoiceTranscript.maximumDTMFLength),
        ("SpeechResult", VoiceTranscript.maximumTranscriptLength),
        ("StableSpeechResult", VoiceTranscript.maximumTranscriptLength),
        ("UnstableSpeechResult", VoiceTranscript.maximumTranscriptLength),
    ]

    private static func utterance(_ parameters: [String: String]) throws(TwilioSpeechResultError) -> Utterance {
        var confidence: Double?
        if let text = nonEmpty("Confidence", in: parameters) {
            guard let value = Double(text), (0...1).contains(value) else { throw .invalidConfidence(text) }
            confidence = value
        }
        return Utterance(
            transcript: nonEmpty("SpeechResult", in: parameters).flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 },
            confidence: confidence, digits: nonEmpty("Digits", in: parameters))
    }

    private static func partial(_ parameters: [String: String]) throws(TwilioSpeechResultError) -> Partial {
        guard let text = nonEmpty("SequenceNumber", in: parameters) else { throw .missingParameter("SequenceNumber") }
        guard let sequenceNumber = Int(text), sequenceNumber >= 0 else { throw .invalidSequenceNumber(text) }
        return Partial(
            sequenceNumber: sequenceNumber, stable: parameters["StableSpeechResult"] ?? "",
            unstable: parameters["UnstableSpeechResult"] ?? "")
    }

    private static func nonEmpty(_ name: String, in parameters: [String: String]) -> String? {
        guard let value = parameters[name], !value.isEmpty else { return nil }
        return value
    }
}
