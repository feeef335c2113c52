import Foundation
import ShopValues

/// The days a summary covers: `from` to `to`, both included, as UTC calendar days
/// (`?from=2026-03-01&to=2026-03-31`; by default the last 30 days up to today).
package struct SummaryPeriod: Sendable, Equatable {
    /// The first day, `YYYY-MM-DD`.
    package let from: String
    /// The last day, `YYYY-MM-DD`.
    package let to: String
    /// The day after `to`: timestamps before it are in the period.
    package let end: String
    /// Every day of the period, in order.
    package let days: [String]

    /// The longest period asked for at once (ten years).
    package static let longest = 3_660

    /// Why a period cannot be read.
    package enum Problem: Error, Equatable, CustomStringConvertible {
        case notADay(String, parameter: String)
        case backwards(from: String, to: String)
        case tooLong(days: Int)

        package var description: String {
            switch self {
            case .notADay(let text, let parameter): "\(parameter) must be a day written YYYY-MM-DD (got \"\(text.prefix(40))\")."
            case .backwards(let from, let to): "from (\(from)) must not be after to (\(to))."
            case .tooLong(let days): "A summary covers at most \(SummaryPeriod.longest) days (asked for \(days))."
            }
        }
    }

    /// The period `from`…`to`; a missing `to` is today, a missing `from` 29 days before `to`.
    package init(from: String?, to: String?, today: Date = Date()) throws(Problem) {
        let last = try to.map { text throws(Problem) in try Self.day(text, parameter: "to") } ?? Self.calendar.startOfDay(for: today)
        let first = try from.map { text throws(Problem) in try Self.day(text, parameter: "from") }
            ?? Self.calendar.date(byAdding: .day, value: -29, to: last) ?? last
        guard first <= last else { throw .backwards(from: Self.text(first), to: Self.text(last)) }
        let count = (Self.calendar.dateComponents([.day], from: first, to: last).day ?? 0) + 1
        guard count <= Self.longest else { throw .tooLong(days: count) }
        self.from = Self.text(first)
        self.to = Self.text(last)
        days = (0..<count).compactMap { Self.calendar.date(byAdding: .day, value: $0, to: first) }.map(Self.text)
        end = Self.text(Self.calendar.date(byAdding: .day, value: 1, to: last) ?? last)
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        return calendar
    }()

    private static func day(_ text: String, parameter: String) throws(Problem) -> Date {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month),
              let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              Self.text(date) == text
        else { throw .notADay(text, parameter: parameter) }
        return date
    }

    private static func text(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
