// How long after a period ends its data is complete: a 30-day readmission rate for
// March can only be counted 30 days after March ends.

/// The wait between the end of a period and the day it may be collected: `30 days`,
/// `6 weeks`, `2 months`.
///
/// A period is due on the day after it ends, moved on by the lag:
///
/// ```swift
/// let lag = try DueLag(parsing: "30 days")
/// lag.dueDate(of: .month(2026, 3))   // 2026-05-01 (April 1st + 30 days)
/// ```
public struct DueLag: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The unit the lag is counted in.
    public enum Unit: String, Sendable, Hashable, Codable, CaseIterable {
        case days, weeks, months
    }

    public var count: Int
    public var unit: Unit

    /// The longest lag accepted, in each unit: about three years, well past any
    /// follow-up window, and far from date arithmetic's limits.
    public static func maximum(_ unit: Unit) -> Int {
        switch unit {
        case .days: return 1096
        case .weeks: return 156
        case .months: return 36
        }
    }

    public init(count: Int, unit: Unit) {
        self.count = count
        self.unit = unit
    }

    /// Parses `N days`, `N weeks` or `N months` (singular or plural, case-blind).
    ///
    /// - Throws: ``DueLagError`` with a sentence saying what is expected.
    public init(parsing text: String) throws(DueLagError) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        let example = "write a count and a unit, such as `30 days`, `6 weeks` or `2 months`"
        guard words.count == 2 else {
            throw DueLagError("expected a wait after the period ends, found `\(text)`; \(example)")
        }
        guard let count = Int(words[0]) else {
            throw DueLagError("`\(words[0])` is not a whole number of days, weeks or months; \(example)")
        }
        let unitWord = words[1].lowercased()
        guard let unit = Unit.allCases.first(where: { unitWord == $0.rawValue || unitWord + "s" == $0.rawValue }) else {
            throw DueLagError("unknown unit `\(words[1])`; use days, weeks or months, as in `30 days`")
        }
        guard count >= 0 else {
            throw DueLagError("a wait cannot be negative, found `\(text)`")
        }
        guard count <= Self.maximum(unit) else {
            throw DueLagError("at most \(Self.maximum(unit)) \(unit.rawValue) (about three years), found `\(text)`")
        }
        self.init(count: count, unit: unit)
    }

    /// The first day `period` may be collected: the day after it ends, plus the lag.
    public func dueDate(of period: Period) -> CalendarDate {
        let dayAfter = period.end.adding(days: 1)
        switch unit {
        case .days:
            return dayAfter.adding(days: count)
        case .weeks:
            return dayAfter.adding(days: count * 7)
        case .months:
            let months = dayAfter.year * 12 + (dayAfter.month - 1) + count
            let year = Period.floorDiv(months, 12), month = Period.mod(months, 12) + 1
            let day = min(dayAfter.day, CalendarDate.daysIn(month: month, year: year))
            return CalendarDate(validYear: year, month: month, day: day)
        }
    }

    /// `30 days`, `1 week`.
    public var description: String {
        "\(count) " + (count == 1 ? String(unit.rawValue.dropLast()) : unit.rawValue)
    }
}

/// Why a `due_after:` text is not a wait.
public struct DueLagError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
