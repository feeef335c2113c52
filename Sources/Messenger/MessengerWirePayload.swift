import Wire

/// The body of a Messenger webhook POST as Meta sends it (shared/protocols/messenger.md,
/// section 2), read leniently: unknown keys are ignored, any field may be missing or null, ids
/// stay strings, and the few numeric ids (`app_id`, `sticker_id`) are read whether they arrive as
/// numbers or strings. A known field of the wrong type makes the body malformed.
struct MessengerWirePayload {
    let object: String?
    let entry: [Entry]?

    init(_ json: WireObject) throws(MessengerPayloadError) {
        object = try json.string("object")
        entry = try json.objects("entry", Entry.init)
    }

    struct Entry {
        let id: String?
        let time: Int64?
        let messaging: [Event]?
        let standby: [Event]?

        init(_ json: WireObject) throws(MessengerPayloadError) {
            id = try json.string("id")
            time = try json.int64("time")
            messaging = try json.objects("messaging", Event.init)
            standby = try json.objects("standby", Event.init)
        }
    }

    struct Party {
        let id: String?
        let userRef: String?

        init(_ json: WireObject) throws(MessengerPayloadError) {
            id = try json.string("id")
            userRef = try json.string("user_ref")
        }
    }

    struct Event {
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

        init(_ json: WireObject) throws(MessengerPayloadError) {
            sender = try json.object("sender", Party.init)
            recipient = try json.object("recipient", Party.init)
            timestamp = try json.int64("timestamp")
            message = try json.object("message", Message.init)
            postback = try json.object("postback", Postback.init)
            delivery = try json.object("delivery", Watermark.init)
            read = try json.object("read", Watermark.init)
            reaction = try json.object("reaction", Reaction.init)
            passThreadControl = try json.object("pass_thread_control", Handover.init)
            takeThreadControl = try json.object("take_thread_control", Handover.init)
            requestThreadControl = try json.object("request_thread_control", Handover.init)
        }
    }

    struct Message {
        let mid: String?
        let text: String?
        let isEcho: Bool?
        let quickReply: QuickReply?
        let attachments: [Attachment]?
        let stickerID: String?

        init(_ json: WireObject) throws(MessengerPayloadError) {
            mid = try json.string("mid")
            text = try json.string("text")
            isEcho = try json.bool("is_echo")
            quickReply = try json.object("quick_reply", QuickReply.init)
            attachments = try json.objects("attachments", Attachment.init)
            stickerID = try json.lenientID("sticker_id")
        }
    }

    struct QuickReply {
        let payload: String?

        init(_ json: WireObject) throws(MessengerPayloadError) {
            payload = try json.string("payload")
        }
    }

    struct Attachment {
        let type: String?
        let payload: AttachmentPayload?

        init(_ json: WireObject) throws(MessengerPayloadError) {
            type = try json.string("type")
            payload = try json.object("payload", AttachmentPayload.init)
        }
    }

    struct AttachmentPayload {
        let url: String?
        let stickerID: String?

        init(_ json: WireObject) throws(MessengerPayloadError) {
            url = try json.string("url")
            stickerID = try json.lenientID("sticker_id")
        }
    }

    struct Postback {
        let mid: String?
        let title: String?
        let payload: String?

        init(_ json: WireObject) throws(MessengerPayloadError) {
            mid = try json.string("mid")
            title = try json.string("title")
            payload = try json.string("payload")
        }
    }

    struct Watermark {
        let watermark: Int64?
        let mids: [String]?

        init(_ json: WireObject) throws(MessengerPayloadError) {
            watermark = try json.int64("watermark")
            mids = try json.strings("mids")
        }
    }

    struct Reaction {
        let reaction: String?
        let emoji: String?
        let action: String?
        let mid: String?

        init(_ json: WireObject) throws(MessengerPayloadError) {
            reaction = try json.string("reaction")
            emoji = try json.string("emoji")
            action = try json.string("action")
            mid = try json.string("mid")
        }
    }

    struct Handover {
        let previousOwnerAppID: String?
        let newOwnerAppID: String?
        let requestedOwnerAppID: String?
        let metadata: String?

        init(_ json: WireObject) throws(MessengerPayloadError) {
            previousOwnerAppID = try json.lenientID("previous_owner_app_id")
            newOwnerAppID = try json.lenientID("new_owner_app_id")
            requestedOwnerAppID = try json.lenientID("requested_owner_app_id")
            metadata = try json.string("metadata")
        }
    }
}
