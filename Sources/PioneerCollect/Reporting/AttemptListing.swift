// Every run's attempt at each indicator-period, for `pioneer measures --history`:
// the failures and not-available answers that stored no new value are shown beside
// the values that were stored.
public import Foundation
import PioneerCore
public import PioneerKit
public import PioneerStore

/// The attempts the runs of a site made at its indicator-periods, oldest run first.
public struct AttemptListing: Sendable {
    /// One run's outcome for one indicator-period, with when the run started.
    public struct Attempt: Sendable, Hashable {
        public var outcome: RunOutcome
        public var startedAt: Date?
    }

    public var attempts: [Attempt]

    /// The attempts among `outcomes` for periods overlapping `dates` (all when nil), by
    /// indicator, then period, then run.
    ///
    /// - Parameter runs: the site's runs, for their start times.
    public init(outcomes: [RunOutcome], runs: [CollectionRun], overlapping dates: ClosedRange<CalendarDate>?) {
        var started: [Int64: Date] = [:]
        for run in runs { started[run.id] = run.startedAt }
        var kept: [(Attempt, Period?)] = []
        for outcome in outcomes {
            let period = try? Period(parsing: outcome.period)
            if let dates {
                // A label that no longer parses cannot be placed in the range: leave it out.
                guard let period, period.end >= dates.lowerBound, period.start <= dates.upperBound else { continue }
            }
            kept.append((Attempt(outcome: outcome, startedAt: started[outcome.runID]), period))
        }
        kept.sort { lhs, rhs in
            if lhs.0.outcome.indicator != rhs.0.outcome.indicator { return lhs.0.outcome.indicator < rhs.0.outcome.indicator }
            if let left = lhs.1, let right = rhs.1, left != right { return left.start < right.start }
            return lhs.0.outcome.runID < rhs.0.outcome.runID
        }
        attempts = kept.map(\.0)
    }

    /// Aligned columns: indicator, period, run, started, outcome, reason.
    public func table() -> String {
        var table = TextTable(["INDICATOR", "PERIOD", "RUN", "STARTED", "OUTCOME", "REASON"], rightAligned: [2])
        for attempt in attempts {
            let outcome = attempt.outcome
            table.add([outcome.indicator, outcome.period, "\(outcome.runID)",
                       attempt.startedAt.map(RunListing.timestamp) ?? "", outcome.kind.rawValue, outcome.reason ?? ""])
        }
        return table.render()
    }

    /// `{"attempts": [...], "measures": [...]}`: `measures` as ``MeasureListing/json()``
    /// writes them, for `measures --history --format json`.
    public func json(measures: MeasureListing) throws -> String {
        try ReportJSON.encode(Document(attempts: entries(), measures: measures.entries()))
    }

    private struct Document: Encodable {
        var attempts: [Entry]
        var measures: [MeasureListing.Entry]
    }

    func entries() -> [Entry] {
        attempts.map { attempt in
            Entry(indicator: attempt.outcome.indicator, period: attempt.outcome.period, run: attempt.outcome.runID,
                  startedAt: attempt.startedAt, outcome: attempt.outcome.kind.rawValue, reason: attempt.outcome.reason,
                  measureId: attempt.outcome.measureID)
        }
    }

    struct Entry: Encodable {
        var indicator, period: String
        var run: Int64
        var startedAt: Date?
        var outcome: String
        var reason: String?
        var measureId: Int64?
    }
}
