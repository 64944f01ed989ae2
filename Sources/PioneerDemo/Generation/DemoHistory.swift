// The stretch of time the simulated systems hold data for.
public import PioneerKit

/// The simulator's history: 36 months, April 2023 to March 2026.
///
/// Three whole NHS financial years (FY2023-24 to FY2025-26), so monthly,
/// financial-quarter and financial-year indicators all have complete data.
/// Requests for later periods get well-formed but empty answers (an empty
/// list, a CSV with only its header), which the plugins report as "no data".
public enum DemoHistory {
    /// April 2023.
    public static let firstMonth = Period.month(2023, 4)
    /// March 2026.
    public static let lastMonth = Period.month(2026, 3)

    /// Every month of the history, oldest first.
    public static var months: [Period] {
        firstMonth.through(lastMonth)
    }

    /// The first day of the history, 2023-04-01.
    public static var start: CalendarDate { firstMonth.start }
    /// The last day of the history, 2026-03-31.
    public static var end: CalendarDate { lastMonth.end }

    /// Every period of `type` that lies wholly inside the history, oldest first.
    ///
    /// These are the periods `pioneer demo` collects.
    public static func periods(of type: PeriodType) -> [Period] {
        let first = Period(containing: start, type: type)
        let last = Period(containing: end, type: type)
        return first.through(last).filter { $0.start >= start && $0.end <= end }
    }

    /// The months of the history that overlap the dates `from...to`.
    static func months(overlapping from: CalendarDate, _ to: CalendarDate) -> [Period] {
        guard from <= to else { return [] }
        let first = max(Period(containing: from, type: .month), firstMonth)
        let last = min(Period(containing: to, type: .month), lastMonth)
        return first.through(last)
    }
}
