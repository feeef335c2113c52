import Foundation

/// The body of a Messenger webhook POST as Meta sends it (shared/protocols/messenger.md,
/// section 2), decoded leniently: unknown keys are ignored, optional fields may be missing, ids
/// stay strings, and the few numeric ids (`app_id`, `sticker_id`) are read whether they arrive as
/// numbers or strings.
struct MessengerWirePayload: Decodable {
    let object: String?
    let entry: [Entry]?

    struct Entry: Decodable {
        let id: String?
        let time: Int64?
        let messaging: [Event]?
        let standby: [Event]?
    }

    struct Party: Decodable {
        let id: String?
        let userRef: String?

        enum CodingKeys: String, CodingKey {
            case id
            case userRef = "user_ref"
        }
    }

    struct Event: Decodable {
        let sender: Party?
        let recipient: Party?
        let timestamp: Int64?
        let message: Message?
        let postback: Postback?
        let delivery: Watermark?
        let read: Watermark?
        let reaction: Reaction?
        let passThreadControl: Handover?
        let takeThreadControl: Handover?
        let requestThreadControl: Handover?

        enum CodingKeys: String, CodingKey {
            case sender, recipient, timestamp, message, postback, delivery, read, reaction
            case passThreadControl = "pass_thread_control"
            case takeThreadControl = "take_thread_control"
            case requestThreadControl = "request_thread_control"
        }
    }

    struct Message: Decodable {
        let mid: String?
        let text: String?
        let isEcho: Bool?
        let quickReply: QuickReply?
        let attachments: [Attachment]?
        let stickerID: LenientID?

        enum CodingKeys: String, CodingKey {
            case mid, text, attachments
            case isEcho = "is_echo"
            case quickReply = "quick_reply"
            case stickerID = "sticker_id"
        }
    }

    struct QuickReply: Decodable {
        let payload: String?
    }

    struct Attachment: Decodable {
        let type: String?
        let payload: AttachmentPayload?
    }

    struct AttachmentPayload: Decodable {
        let url: String?
        let stickerID: LenientID?

        enum CodingKeys: String, CodingKey {
            case url
            case stickerID = "sticker_id"
        }
    }

    struct Postback: Decodable {
        let mid: String?
        let title: String?
        let payload: String?
    }

    struct Watermark: Decodable {
        let watermark: Int64?
        let mids: [String]?
    }

    struct Reaction: Decodable {
        let reaction: String?
        let emoji: String?
        let action: String?
        let mid: String?
    }

    struct Handover: Decodable {
        let previousOwnerAppID: LenientID?
        let newOwnerAppID: LenientID?
        let requestedOwnerAppID: LenientID?
        let metadata: String?

        enum CodingKeys: String, CodingKey {
            case metadata
            case previousOwnerAppID = "previous_owner_app_id"
            case newOwnerAppID = "new_owner_app_id"
            case requestedOwnerAppID = "requested_owner_app_id"
        }
    }

    /// An id Meta sends as a JSON number in some places and a string in others.
    struct LenientID: Decodable {
        let text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int64.self) {
                text = String(number)
            } else {
                text = try container.decode(String.self)
            }
        }
    }
}
