import Commerce
import Foundation
import Testing

/// Polish local time without time-zone data, and agents' hours read from the shop facts.
struct PolishTimeTests {
    private static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test("winter is UTC+1, summer UTC+2, switching on the last Sundays of March and October at 01:00 UTC", arguments: [
        ("2026-01-14T07:30:00Z", 3, 8 * 60 + 30),
        ("2026-03-29T00:59:00Z", 7, 1 * 60 + 59),
        ("2026-03-29T01:00:00Z", 7, 3 * 60),
        ("2026-07-04T16:00:00Z", 6, 18 * 60),
        ("2026-10-25T00:59:00Z", 7, 2 * 60 + 59),
        ("2026-10-25T01:00:00Z", 7, 2 * 60),
        ("2026-11-22T23:30:00Z", 1, 30),
    ])
    func localTime(instant: String, weekday: Int, minute: Int) {
        let time = PolishTime(Self.utc(instant))
        #expect(time.weekday == weekday)
        #expect(time.minuteOfDay == minute)
    }

    @Test("the demo shop's agents work Monday to Friday 8–18 and Saturday 9–14, Polish time")
    func demoAgentHours() {
        let contact = ShopFacts.demo().contact
        #expect(contact.agentsWork(at: Self.utc("2026-03-02T09:00:00Z")))   // Monday 10:00
        #expect(!contact.agentsWork(at: Self.utc("2026-03-02T17:00:00Z")))  // Monday 18:00
        #expect(contact.agentsWork(at: Self.utc("2026-03-07T12:59:00Z")))   // Saturday 13:59
        #expect(!contact.agentsWork(at: Self.utc("2026-03-07T13:00:00Z")))  // Saturday 14:00
        #expect(!contact.agentsWork(at: Self.utc("2026-03-08T10:00:00Z")))  // Sunday
        #expect(contact.agentsWork(at: Self.utc("2026-07-06T06:00:00Z")))   // Monday 08:00 in summer
    }
}
