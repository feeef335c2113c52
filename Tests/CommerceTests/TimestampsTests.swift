import Commerce
import Foundation
import Testing

@Suite struct TimestampsTests {
    /// Times are written as ISO 8601 UTC with milliseconds and read back to the same millisecond.
    @Test(arguments: [0, 1_795_000_000.123, 951_782_400.5, -86_400.25, 4_102_444_799.999])
    func roundTrips(_ seconds: TimeInterval) throws {
        let date = Date(timeIntervalSince1970: seconds)
        let text = Timestamps.text(date)
        #expect(text.count == 24)
        let read = try #require(Timestamps.date(text))
        #expect(abs(read.timeIntervalSince1970 - seconds) < 0.0005)
    }

    /// The text form is the one the database sorts and the API shows.
    @Test func writesTheKnownForm() {
        #expect(Timestamps.text(Date(timeIntervalSince1970: 1_795_000_000.123)) == "2026-11-18T11:06:40.123Z")
        #expect(Timestamps.text(Date(timeIntervalSince1970: -0.25)) == "1969-12-31T23:59:59.750Z")
        #expect(Timestamps.date("2026-11-18T11:06:40Z") == Date(timeIntervalSince1970: 1_795_000_000))
    }

    /// Anything but the exact form is refused rather than misread.
    @Test(arguments: ["", "2026-11-18", "2026-11-18T08:26:40.123", "2026-13-18T08:26:40.123Z", "2026-11-18 08:26:40.123Z",
                      "2026-11-18T08:26:40,123Z", "2026-11-18T24:00:00.000Z", "x026-11-18T08:26:40.123Z"])
    func refusesMalformed(_ text: String) {
        #expect(Timestamps.date(text) == nil)
    }
}
