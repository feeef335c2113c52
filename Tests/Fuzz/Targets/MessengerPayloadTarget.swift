import Foundation
@testable import Messenger

/// A webhook body as Meta posts it, through the parser, the masking the inbox applies and the
/// inbox's own encoding (what `stored` reads back must be the event that was written).
enum MessengerPayloadTarget {
    static func run(_ body: Data) {
        guard let events = try? MessengerEventParser.events(in: body) else { return }
        for event in events {
            let entry = event.inboxEntry
            let stored = MessengerEvent.stored(entry.event)
            require(stored == event.masked, "the inbox's copy of \(event) reads back as \(String(describing: stored))")
            _ = event.dedupKey
        }
    }
}
