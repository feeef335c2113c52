/// A photo, video, recording or file the customer sent with a message, as a link the channel
/// gives (the bot never downloads it; an agent opens it).
public struct Attachment: Sendable, Hashable, Codable {
    /// What the channel says the attachment is.
    public enum Kind: String, Sendable, Hashable, Codable {
        case image, video, audio, file, other
    }

    public let kind: Kind
    /// Where the attachment can be fetched, as the channel gave it.
    public let url: String

    public init(kind: Kind, url: String) {
        self.kind = kind
        self.url = url
    }
}
