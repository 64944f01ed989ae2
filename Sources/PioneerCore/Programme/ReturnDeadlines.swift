// When a return is due: a soft deadline (on time up to it) and a hard one (late up to
// it; after it the return counts as missing), each a wait after the period ends.
public import PioneerKit

/// The soft and hard deadlines of a return, counted from the end of its period.
///
/// `soft: 15 days` makes March's return on time up to and including 15 April; `hard:
/// 30 days`, late up to 30 April. A wait in months counts from the day after the period
/// ends, so `1 month` is the last day of the following month.
public struct ReturnDeadlines: Sendable, Hashable {
    public var soft: DueLag
    public var hard: DueLag

    public init(soft: DueLag, hard: DueLag) {
        self.soft = soft
        self.hard = hard
    }

    /// The last day a return for `period` is on time.
    public func softDeadline(of period: Period) -> CalendarDate {
        Self.lastDay(soft, period)
    }

    /// The last day a return for `period` is accepted at all.
    public func hardDeadline(of period: Period) -> CalendarDate {
        Self.lastDay(hard, period)
    }

    /// The lag's due date is the first day after the wait; the deadline is the day before it.
    private static func lastDay(_ lag: DueLag, _ period: Period) -> CalendarDate {
        lag.dueDate(of: period).adding(days: -1)
    }
}
