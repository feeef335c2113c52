import Foundation
@testable import Messenger
import Testing

/// How an event is kept in the inbox: the hand-written JSON reads back as the same event (through
/// the reader the inbox uses and through Codable), and is the text JSONEncoder wrote for rows
/// stored by earlier versions, which the inbox reads too.
struct MessengerEventStorageTests {
    static let awkward = "cudzysłów \" ukośnik \\ / nowa\nlinia\ttab \u{01} zażółć 👟 \u{2028}"

    static let events: [MessengerEvent] = [
        MessengerEvent(kind: .message, psid: "4000000000000001", timestamp: 1_718_010_600_000, mid: "m_1", text: awkward),
        MessengerEvent(kind: .message, psid: "1", timestamp: nil, mid: nil, text: nil, attachments: [
            .init(type: "image", url: "https://cdn.example.com/a.jpg?x=1&y=\"2\""), .init(type: "fallback", url: nil),
        ], stickerID: MessengerEvent.thumbsUpSticker),
        MessengerEvent(kind: .postback, psid: "2", timestamp: 5, payload: "{\"start\":\"order\"}", detail: "Zamów"),
        MessengerEvent(kind: .read, psid: "3", timestamp: 7, detail: "1718010600000"),
        MessengerEvent(kind: .threadPassed, psid: "", timestamp: -1, text: ""),
    ]

    @Test(arguments: events)
    func storedEventReadsBackTheSame(_ event: MessengerEvent) throws {
        let stored = MessengerEvent.encoded(event)
        #expect(try JSONDecoder().decode(MessengerEvent.self, from: Data(stored.utf8)) == event)
        #expect(MessengerEvent.stored(stored) == event)
        let object = try JSONSerialization.jsonObject(with: Data(stored.utf8))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let earlier = try JSONSerialization.jsonObject(with: encoder.encode(event))
        #expect(NSDictionary(dictionary: object as! [String: Any]) == NSDictionary(dictionary: earlier as! [String: Any]))
        #expect(MessengerEvent.stored(String(decoding: try encoder.encode(event), as: UTF8.self)) == event)
    }

    @Test(arguments: ["", "{}", "[]", #"{"kind":"message","psid":"1"}"#, #"{"kind":"nonsense","psid":"1","attachments":[]}"#,
                      #"{"kind":"message","psid":1,"attachments":[]}"#, #"{"kind":"message","psid":"1","attachments":[{"url":"x"}]}"#])
    func rowsThatAreNoEventAreRefused(_ text: String) {
        #expect(MessengerEvent.stored(text) == nil)
    }
}
