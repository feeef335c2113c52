import Foundation
import Wire

/// Why a signed webhook body could not be read.
enum MessengerPayloadError: Error, Equatable, CustomStringConvertible {
    /// Not JSON, or not the shape of a webhook body.
    case malformed(String)

    var description: String {
        switch self {
        case .malformed(let detail): "The body is not a Messenger webhook payload: \(detail)"
        }
    }
}

/// Turns a webhook body into its events: every entry, every event of `messaging` and `standby`,
/// in the order Meta sent them.
enum MessengerEventParser {
    /// The events of a page webhook; none for other objects (Instagram, …), which are
    /// acknowledged and ignored.
    static func events(in body: Data) throws(MessengerPayloadError) -> [MessengerEvent] {
        let json: JSONValue
        do {
            json = try JSONReader.value(of: body)
        } catch {
            throw .malformed("not valid JSON (\(error))")
        }
        let payload = try MessengerWirePayload(WireObject(json))
        guard payload.object == "page" else { return [] }
        var events: [MessengerEvent] = []
        for entry in payload.entry ?? [] {
            for event in entry.messaging ?? [] {
                if let parsed = Self.event(event, standby: false) { events.append(parsed) }
            }
            for event in entry.standby ?? [] {
                if let parsed = Self.event(event, standby: true) { events.append(parsed) }
            }
        }
        return events
    }

    private static func event(_ event: MessengerWirePayload.Event, standby: Bool) -> MessengerEvent? {
        let sender = event.sender?.id ?? event.sender?.userRef
        let time = event.timestamp
        if let message = event.message {
            if message.isEcho == true {
                guard let psid = event.recipient?.id ?? event.recipient?.userRef else { return nil }
                return MessengerEvent(kind: .echo, psid: psid, timestamp: time, mid: message.mid, text: message.text)
            }
            guard let sender else { return nil }
            let attachments = (message.attachments ?? []).map {
                MessengerEvent.Attachment(type: $0.type ?? "other", url: $0.payload?.url)
            }
            let sticker = message.stickerID ?? message.attachments?.lazy.compactMap { $0.payload?.stickerID }.first
            return MessengerEvent(
                kind: standby ? .standby : .message, psid: sender, timestamp: time, mid: message.mid, text: message.text,
                payload: message.quickReply?.payload, attachments: attachments, stickerID: sticker)
        }
        guard let sender else { return nil }
        if standby {
            return MessengerEvent(kind: .other, psid: sender, timestamp: time, detail: "standby")
        }
        if let postback = event.postback {
            return MessengerEvent(
                kind: .postback, psid: sender, timestamp: time, mid: postback.mid, text: postback.title, payload: postback.payload)
        }
        if let delivery = event.delivery {
            return MessengerEvent(kind: .delivery, psid: sender, timestamp: time, detail: delivery.watermark.map(String.init))
        }
        if let read = event.read {
            return MessengerEvent(kind: .read, psid: sender, timestamp: time, detail: read.watermark.map(String.init))
        }
        if let reaction = event.reaction {
            let detail = [reaction.action, reaction.reaction, reaction.mid].map { $0 ?? "" }.joined(separator: " ")
            return MessengerEvent(kind: .reaction, psid: sender, timestamp: time, mid: reaction.mid, detail: detail)
        }
        if let passed = event.passThreadControl {
            return MessengerEvent(
                kind: .threadPassed, psid: sender, timestamp: time,
                detail: "from \(passed.previousOwnerAppID ?? "?")" + (passed.metadata.map { " (\($0))" } ?? ""))
        }
        if let taken = event.takeThreadControl {
            return MessengerEvent(
                kind: .threadTaken, psid: sender, timestamp: time,
                detail: "by \(taken.newOwnerAppID ?? "?")" + (taken.metadata.map { " (\($0))" } ?? ""))
        }
        if let requested = event.requestThreadControl {
            return MessengerEvent(
                kind: .threadRequested, psid: sender, timestamp: time,
                detail: "by \(requested.requestedOwnerAppID ?? "?")" + (requested.metadata.map { " (\($0))" } ?? ""))
        }
        return MessengerEvent(kind: .other, psid: sender, timestamp: time)
    }
}
