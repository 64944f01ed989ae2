// Which periods a collection covers: a range given by labels, mapped onto each
// indicator's own period type by overlap.
public import PioneerKit

/// The periods a collection covers, from the first to the last inclusive.
///
/// The range is given as labels (`--period 2026-06`, or `--from 2026-01 --to 2026-06`).
/// Each indicator collects the periods of its own type that overlap the range's
/// dates: a month range `2026-02…2026-04` gives a monthly indicator February to
/// April, a calendar-quarter indicator `2026Q1` and `2026Q2`, an NHS financial-year
/// quarter indicator `FY2025-26 Q4` and `FY2026-27 Q1`. When the labels are of the
/// indicator's own type the periods are exactly the ones named.
public struct PeriodSelection: Sendable, Hashable, CustomStringConvertible {
    public var first: Period
    public var last: Period

    /// One period.
    public init(_ period: Period) {
        first = period
        last = period
    }

    /// A range; `last` must not end before `first` starts.
    public init(from first: Period, to last: Period) throws(PeriodSelectionError) {
        guard last.end >= first.start else {
            throw PeriodSelectionError("the range ends (\(last.label), \(last.start) to \(last.end)) before it starts (\(first.label), \(first.start) to \(first.end)); give --from the earlier period")
        }
        self.first = first
        self.last = last
    }

    /// The dates the range covers, inclusive.
    public var dates: ClosedRange<CalendarDate> {
        first.start...max(first.end, last.end)
    }

    /// The periods of `type` that overlap the range, in order.
    public func periods(of type: PeriodType) -> [Period] {
        let dates = dates
        return Period(containing: dates.lowerBound, type: type).through(Period(containing: dates.upperBound, type: type))
    }

    /// `2026-06`, or `2026-01…2026-06` for a range.
    public var description: String {
        first == last ? first.label : "\(first.label)…\(last.label)"
    }
}

/// Why a period range is unusable.
public struct PeriodSelectionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension PeriodSelection {
    /// The selection given on a command line: `--period P`, or `--from P --to P`; nil when none is given.
    ///
    /// - Parameter offersPeriod: whether the command has `--period`; a command without it
    ///   (`measures`) is told to give both ends of the range instead.
    /// - Throws: ``PeriodSelectionError`` naming the option, for a label that is not a
    ///   period, a half-given range, or both forms at once.
    public static func parse(period: String?, from: String?, to: String?,
                             offersPeriod: Bool = true) throws(PeriodSelectionError) -> PeriodSelection? {
        func parse(_ text: String?, option: String) throws(PeriodSelectionError) -> Period? {
            guard let text else { return nil }
            do {
                return try Period(parsing: text)
            } catch {
                throw PeriodSelectionError("\(option): \(error.description)")
            }
        }
        return try choose(period: try parse(period, option: "--period"), from: try parse(from, option: "--from"),
                          to: try parse(to, option: "--to"), offersPeriod: offersPeriod)
    }

    /// The selection of periods already read (a command's options read by argument-parser):
    /// `--period P`, or `--from P --to P`; nil when none is given.
    ///
    /// - Throws: ``PeriodSelectionError`` for a half-given range, both forms at once, or a
    ///   range that ends before it starts.
    public static func choose(period: Period?, from: Period?, to: Period?,
                              offersPeriod: Bool = true) throws(PeriodSelectionError) -> PeriodSelection? {
        switch (period, from, to) {
        case (nil, nil, nil):
            return nil
        case (let period?, nil, nil):
            return PeriodSelection(period)
        case (nil, let from?, let to?):
            return try PeriodSelection(from: from, to: to)
        case (.some, _, _):
            throw PeriodSelectionError("give either --period or --from and --to, not both")
        case (nil, let from?, nil):
            throw PeriodSelectionError("--from needs --to; " + (offersPeriod
                ? "for one period use --period"
                : "for one period give it to both: --from \(from.label) --to \(from.label)"))
        case (nil, nil, let to?):
            throw PeriodSelectionError("--to needs --from; " + (offersPeriod
                ? "for one period use --period"
                : "for one period give it to both: --from \(to.label) --to \(to.label)"))
        }
    }
}
