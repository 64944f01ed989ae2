// Collection runs as `pioneer runs` prints them: a table of runs, one run's detail
// with what failed and why, or JSON.
import Foundation
import PioneerCore
public import PioneerStore

/// A site's recorded collection runs, and the outcomes of the ones asked about.
///
/// ```text
/// RUN  STARTED               FINISHED              STATUS       PERIODS          COLLECTED  ...  FAILED  SKIPPED
///  12  2026-07-02T06:00:01Z  2026-07-02T06:00:04Z  finished     2026-01…2026-06         40  ...       1        0
/// ```
public struct RunListing: Sendable {
    public var runs: [CollectionRun]
    /// Outcomes by run id, for the runs whose problems are shown.
    public var outcomes: [Int64: [RunOutcome]]

    public init(runs: [CollectionRun], outcomes: [Int64: [RunOutcome]] = [:]) {
        self.runs = runs
        self.outcomes = outcomes
    }

    /// The runs, newest first, then the failures and values not available of each run
    /// whose outcomes are held.
    public func table() -> String {
        var table = TextTable(["RUN", "STARTED", "FINISHED", "STATUS", "PERIODS", "COLLECTED", "UNCHANGED",
                               "NOT AVAILABLE", "FAILED", "SKIPPED"], rightAligned: [0, 5, 6, 7, 8, 9])
        for run in runs {
            let counts = run.counts
            table.add(["\(run.id)", Self.timestamp(run.startedAt), run.finishedAt.map(Self.timestamp) ?? "–",
                       run.status.rawValue, run.periods, "\(counts.collected)", "\(counts.unchanged)",
                       "\(counts.notAvailable)", "\(counts.failed)", "\(counts.skipped)"])
        }
        var lines = [table.render()]
        for run in runs {
            var problems = Self.problems(outcomes[run.id] ?? [])
            if let line = Self.notReachedLine(run) { problems.insert(line, at: 0) }
            guard !problems.isEmpty else { continue }
            lines.append("\nRun \(run.id):")
            lines += problems
        }
        return lines.joined(separator: "\n")
    }

    /// One run in full: what was asked, when, its counts, and every outcome that was
    /// not a stored value (failed, not available, not yet due) with its reason.
    public static func detail(_ run: CollectionRun, outcomes: [RunOutcome]) -> String {
        let counts = run.counts
        var lines = [
            "Run \(run.id) of \(run.site): \(run.status.rawValue)",
            "  command:  \(run.command)",
            "  periods:  \(run.periods)",
            "  started:  \(timestamp(run.startedAt))",
            "  finished: \(run.finishedAt.map(timestamp) ?? "–")",
            "  outcomes: \(counts.collected) collected, \(counts.unchanged) unchanged, \(counts.notAvailable) not available, "
                + "\(counts.failed) failed, \(counts.skipped) not yet due",
        ]
        if run.status == .running {
            lines.append("  (still running, or ended without closing the run; the next collect marks it interrupted if its process is gone)")
        }
        let problems = problems(outcomes)
        if let line = notReachedLine(run) {
            lines += ["", line]
            if !problems.isEmpty { lines += [""] + problems }
        } else {
            lines += problems.isEmpty ? ["", "Nothing failed."] : [""] + problems
        }
        return lines.joined(separator: "\n")
    }

    /// What an interrupted run never reached, when it recorded how much it planned.
    static func notReachedLine(_ run: CollectionRun) -> String? {
        guard let missing = run.notReached, let planned = run.planned else { return nil }
        let noun = missing == 1 ? "indicator-period was" : "indicator-periods were"
        return "Not reached: \(missing) of the run's \(planned) \(noun) never collected: the run was stopped "
            + "before it got to them (nothing was recorded for them). Collect the same periods again to fill them in."
    }

    /// Failures, values not available and periods not yet due, each under its heading.
    static func problems(_ outcomes: [RunOutcome]) -> [String] {
        var lines: [String] = []
        for (kind, heading) in [(RunOutcomeKind.failed, "Failed:"), (.notAvailable, "Not available:"), (.skipped, "Not yet due:")] {
            let matching = outcomes.filter { $0.kind == kind }
            guard !matching.isEmpty else { continue }
            lines.append(heading)
            lines += matching.map { "  \($0.indicator) \($0.period): \($0.reason ?? "")" }
        }
        return lines
    }

    /// A JSON array of runs, each with its outcomes when they are held.
    public func json() throws -> String {
        let entries = runs.map { run in
            Entry(id: run.id, site: run.site, status: run.status.rawValue, command: run.command, periods: run.periods,
                  startedAt: run.startedAt, finishedAt: run.finishedAt, counts: run.counts,
                  planned: run.planned, notReached: run.notReached,
                  outcomes: outcomes[run.id].map { $0.map(OutcomeEntry.init) })
        }
        return try ReportJSON.encode(entries)
    }

    private struct Entry: Encodable {
        var id: Int64
        var site, status, command, periods: String
        var startedAt: Date
        var finishedAt: Date?
        var counts: RunCounts
        /// The indicator-periods the run set out to record, and of an interrupted run those it
        /// never reached.
        var planned: Int?
        var notReached: Int?
        var outcomes: [OutcomeEntry]?
    }

    /// One outcome as JSON; `measure_id` names the measure row that was current after the run.
    struct OutcomeEntry: Encodable {
        var indicator, period, outcome: String
        var reason: String?
        var measureId: Int64?

        init(_ outcome: RunOutcome) {
            indicator = outcome.indicator
            period = outcome.period
            self.outcome = outcome.kind.rawValue
            reason = outcome.reason
            measureId = outcome.measureID
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
