import Commerce
import Foundation
import WebServer

/// The days a listing covers, `from` and `to` inclusive, as calendar days in Poland
/// (Europe/Warsaw: a day starts at local midnight, 23:00 or 22:00 UTC the day before). Either
/// end may be open.
struct MissPeriod: Sendable, Equatable {
    let start: Date?
    /// The first instant after the period.
    let end: Date?

    /// The period `?from=YYYY-MM-DD&to=YYYY-MM-DD` names; 400 for a malformed date or `to`
    /// before `from`.
    init(from: String?, to: String?) throws(HTTPError) {
        let first = try from.map { text throws(HTTPError) in try Self.day(text, named: "from") }
        let last = try to.map { text throws(HTTPError) in try Self.day(text, named: "to") }
        if let first, let last, last < first {
            throw HTTPError(.badRequest, code: "invalid_query", message: "to must not be before from.")
        }
        start = first.map(Self.localMidnight)
        end = last.map { Self.localMidnight(of: $0.addingTimeInterval(86_400)) }
    }

    func contains(_ date: Date) -> Bool {
        (start.map { date >= $0 } ?? true) && (end.map { date < $0 } ?? true)
    }

    /// Midnight UTC of the day `text` names.
    private static func day(_ text: String, named name: String) throws(HTTPError) -> Date {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts.allSatisfy({ $0.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              let date = utc.date(from: DateComponents(year: year, month: month, day: day)),
              utc.dateComponents([.year, .month, .day], from: date) == DateComponents(year: year, month: month, day: day)
        else {
            throw HTTPError(.badRequest, code: "invalid_query", message: "\(name) must be a date as YYYY-MM-DD.")
        }
        return date
    }

    /// When the Polish day of `day` (midnight UTC) begins: an hour before in winter, two in summer.
    private static func localMidnight(of day: Date) -> Date {
        let winter = day.addingTimeInterval(-3_600)
        return PolishTime(winter).minuteOfDay == 0 ? winter : winter.addingTimeInterval(-3_600)
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? .current
        return calendar
    }()
}
