// A reporting period: parsing, printing, ordering, boundaries and arithmetic.

/// One reporting period of a given ``PeriodType``.
///
/// A period is stored as its type and an ordinal index, so ordering, `next`,
/// `previous` and ranges are integer arithmetic; dates and labels are derived.
///
/// ```swift
/// let q1 = try Period(parsing: "FY2026-27 Q1")   // April to June 2026
/// q1.start        // 2026-04-01
/// q1.next.label   // "FY2026-27 Q2"
/// ```
public struct Period: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let type: PeriodType
    /// Ordinal within the type: months since year 0, quarters since year 0,
    /// financial years by their starting calendar year, ISO weeks since 1970.
    public let index: Int

    public init(type: PeriodType, index: Int) {
        self.type = type
        self.index = index
    }

    // MARK: Construction

    public static func month(_ year: Int, _ month: Int) -> Period {
        Period(type: .month, index: year * 12 + (month - 1))
    }

    public static func quarter(_ year: Int, _ quarter: Int) -> Period {
        Period(type: .quarter, index: year * 4 + (quarter - 1))
    }

    /// Quarter `quarter` (1–4) of the financial year that starts in April of `startYear`.
    public static func financialQuarter(_ startYear: Int, _ quarter: Int) -> Period {
        Period(type: .financialQuarter, index: startYear * 4 + (quarter - 1))
    }

    /// The financial year that starts in April of `startYear`.
    public static func financialYear(_ startYear: Int) -> Period {
        Period(type: .financialYear, index: startYear)
    }

    /// ISO week `week` of ISO week-numbering year `year`, or nil when the year has no such week.
    public static func isoWeek(_ year: Int, _ week: Int) -> Period? {
        guard (1...weeksIn(isoYear: year)).contains(week), let monday = firstMonday(ofISOYear: year) else { return nil }
        return Period(containing: monday.adding(days: (week - 1) * 7), type: .isoWeek)
    }

    /// The period of `type` that contains `date`.
    public init(containing date: CalendarDate, type: PeriodType) {
        self.type = type
        switch type {
        case .month:
            index = date.year * 12 + (date.month - 1)
        case .quarter:
            index = date.year * 4 + (date.month - 1) / 3
        case .financialQuarter:
            let startYear = date.month >= 4 ? date.year : date.year - 1
            index = startYear * 4 + ((date.month + 8) % 12) / 3
        case .financialYear:
            index = date.month >= 4 ? date.year : date.year - 1
        case .isoWeek:
            // Weeks counted from Monday 1969-12-29 (day number -3).
            index = Period.floorDiv(date.dayNumber + 3, 7)
        }
    }

    // MARK: Boundaries

    /// The first day of the period.
    public var start: CalendarDate {
        switch type {
        case .month:
            return CalendarDate(validYear: Period.floorDiv(index, 12), month: Period.mod(index, 12) + 1, day: 1)
        case .quarter:
            return CalendarDate(validYear: Period.floorDiv(index, 4), month: Period.mod(index, 4) * 3 + 1, day: 1)
        case .financialQuarter:
            let startYear = Period.floorDiv(index, 4), q = Period.mod(index, 4)
            let month = (q * 3 + 3) % 12 + 1
            return CalendarDate(validYear: q == 3 ? startYear + 1 : startYear, month: month, day: 1)
        case .financialYear:
            return CalendarDate(validYear: index, month: 4, day: 1)
        case .isoWeek:
            return CalendarDate(dayNumber: index * 7 - 3)
        }
    }

    /// The last day of the period (inclusive).
    public var end: CalendarDate {
        next.start.adding(days: -1)
    }

    /// Number of days in the period.
    public var dayCount: Int { start.days(to: next.start) }

    public func contains(_ date: CalendarDate) -> Bool {
        start <= date && date <= end
    }

    // MARK: Arithmetic

    public var next: Period { advanced(by: 1) }
    public var previous: Period { advanced(by: -1) }

    public func advanced(by count: Int) -> Period {
        Period(type: type, index: index + count)
    }

    /// Periods from `self` to `last` inclusive; empty when `last` is earlier or of another type.
    public func through(_ last: Period) -> [Period] {
        guard last.type == type, last.index >= index else { return [] }
        return (index...last.index).map { Period(type: type, index: $0) }
    }

    /// Number of periods from `self` to `other` (positive when `other` is later).
    public func distance(to other: Period) -> Int {
        other.index - index
    }

    // MARK: Labels

    /// The canonical label: `2026-06`, `2026Q3`, `FY2026-27 Q1`, `FY2026-27`, `2026-W53`.
    public var label: String {
        switch type {
        case .month:
            return "\(Period.pad(Period.floorDiv(index, 12), 4))-\(Period.pad(Period.mod(index, 12) + 1, 2))"
        case .quarter:
            return "\(Period.pad(Period.floorDiv(index, 4), 4))Q\(Period.mod(index, 4) + 1)"
        case .financialQuarter:
            return "\(Period.financialYearLabel(Period.floorDiv(index, 4))) Q\(Period.mod(index, 4) + 1)"
        case .financialYear:
            return Period.financialYearLabel(index)
        case .isoWeek:
            let (year, week) = isoYearAndWeek
            return "\(Period.pad(year, 4))-W\(Period.pad(week, 2))"
        }
    }

    public var description: String { label }

    /// IHE ADX's form: the start date and an ISO 8601 duration, `2026-04-01/P3M`.
    public var adxLabel: String {
        "\(start)/\(type.isoDuration)"
    }

    /// The ISO week-numbering year and week of an `.isoWeek` period (of its Thursday otherwise).
    public var isoYearAndWeek: (year: Int, week: Int) {
        let thursday = type == .isoWeek ? start.adding(days: 3) : start.adding(days: 4 - start.weekday)
        return (thursday.year, (thursday.ordinal - 1) / 7 + 1)
    }

    // MARK: Ordering and coding

    /// Periods order by start date, then by type (shorter periods first on a tie).
    public static func < (lhs: Period, rhs: Period) -> Bool {
        if lhs.type == rhs.type { return lhs.index < rhs.index }
        if lhs.start != rhs.start { return lhs.start < rhs.start }
        return lhs.dayCount < rhs.dayCount
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Period(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(label)
    }

    // MARK: Helpers

    static func financialYearLabel(_ startYear: Int) -> String {
        "FY\(pad(startYear, 4))-\(pad(mod(startYear + 1, 100), 2))"
    }

    /// The Monday that starts week 1 of an ISO week-numbering year.
    static func firstMonday(ofISOYear year: Int) -> CalendarDate? {
        guard let january4 = CalendarDate(year: year, month: 1, day: 4) else { return nil }
        return january4.adding(days: 1 - january4.weekday)
    }

    /// 53 when the year starts on a Thursday, or is a leap year starting on a Wednesday; else 52.
    public static func weeksIn(isoYear year: Int) -> Int {
        guard let january1 = CalendarDate(year: year, month: 1, day: 1) else { return 52 }
        let weekday = january1.weekday
        return weekday == 4 || (weekday == 3 && CalendarDate.isLeap(year)) ? 53 : 52
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func mod(_ a: Int, _ b: Int) -> Int {
        let r = a % b
        return r < 0 ? r + b : r
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
