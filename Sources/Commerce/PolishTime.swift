import Foundation

/// Local time in Poland (CET, CEST from the last Sunday of March to the last Sunday of October,
/// switching at 01:00 UTC, as everywhere in the EU), worked out without the system's time-zone
/// data, which a slim server image may lack.
public struct PolishTime: Sendable, Equatable {
    /// 1 Monday … 7 Sunday.
    public let weekday: Int
    /// Minutes since local midnight.
    public let minuteOfDay: Int

    public init(_ date: Date) {
        let offset = Self.isSummerTime(date) ? 7_200 : 3_600
        let local = date.addingTimeInterval(TimeInterval(offset))
        let components = Self.utc.dateComponents([.weekday, .hour, .minute], from: local)
        weekday = ((components.weekday ?? 1) + 5) % 7 + 1
        minuteOfDay = (components.hour ?? 0) * 60 + (components.minute ?? 0)
    }

    static func isSummerTime(_ date: Date) -> Bool {
        let year = utc.component(.year, from: date)
        return date >= switchMoment(year: year, month: 3) && date < switchMoment(year: year, month: 10)
    }

    /// 01:00 UTC on the last Sunday of `month`.
    private static func switchMoment(year: Int, month: Int) -> Date {
        let firstOfNext = utc.date(from: DateComponents(year: year, month: month + 1, day: 1, hour: 1)) ?? Date.distantPast
        let weekday = utc.component(.weekday, from: firstOfNext)
        let back = weekday == 1 ? 7 : weekday - 1
        return firstOfNext.addingTimeInterval(-TimeInterval(back) * 86_400)
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? .current
        return calendar
    }()
}

extension ShopFacts.OpeningHours {
    /// Whether these hours cover `time` ("mon-fri", "sat", "sun", "mon-sun"; "HH:MM" open and close).
    public func covers(_ time: PolishTime) -> Bool {
        guard closed != true, let open = Self.minutes(open), let close = Self.minutes(close),
              Self.weekdays(days).contains(time.weekday)
        else { return false }
        return time.minuteOfDay >= open && time.minuteOfDay < close
    }

    private static let dayNames = ["mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7]

    private static func weekdays(_ days: String) -> Set<Int> {
        let parts = days.lowercased().split(separator: "-").compactMap { dayNames[String($0)] }
        guard let first = parts.first else { return [] }
        let last = parts.count > 1 ? parts[1] : first
        return Set(first <= last ? Array(first...last) : [first])
    }

    private static func minutes(_ text: String?) -> Int? {
        let parts = (text ?? "").split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2 else { return nil }
        return parts[0] * 60 + parts[1]
    }
}

extension ShopFacts.Contact {
    /// Whether agents answer at `date` (always, when the shop gives no hours).
    public func agentsWork(at date: Date) -> Bool {
        guard let agentHours else { return true }
        let time = PolishTime(date)
        return agentHours.contains { $0.covers(time) }
    }
}
