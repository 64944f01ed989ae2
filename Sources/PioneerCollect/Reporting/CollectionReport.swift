// The summary `pioneer collect` prints at the end of a run.
import Foundation
import PioneerStore

/// Renders a ``CollectionSummary`` as the table and lists a person reads.
///
/// ```text
/// torbay: run 12, periods 2026-01…2026-06, 4.2 s, store sites/torbay/.pioneer/store.sqlite
/// INDICATOR                COLLECTED  UNCHANGED  NOT AVAILABLE  FAILED  SKIPPED
/// emergency-admissions-65          5          0              0       1        0
///
/// Failed:
///   emergency-admissions-65 2026-03: feed "bi": GET http://… failed: HTTP 503 Service Unavailable after 3 attempts
/// Not available:
///   tell-story-once 2026Q1: suppressed small number: n = 12, below the minimum of 30
/// Not yet due (skipped):
///   readmissions-30d 2026-06: 2026-06 is due on 2026-07-31 (30 days after the period ends on 2026-06-30)
/// ```
public enum CollectionReport {
    /// The full report: heading, per-indicator counts, then failures and missing values with reasons.
    public static func render(_ summary: CollectionSummary) -> String {
        var lines = [heading(summary)]
        var table = TextTable(["INDICATOR", "COLLECTED", "UNCHANGED", "NOT AVAILABLE", "FAILED", "SKIPPED"],
                              rightAligned: [1, 2, 3, 4, 5])
        for indicator in summary.indicators {
            let counts = indicator.counts
            table.add([indicator.id, "\(counts.collected)", "\(counts.unchanged)", "\(counts.notAvailable)",
                       "\(counts.failed)", "\(counts.skipped)"])
        }
        let total = summary.counts
        table.add(["total", "\(total.collected)", "\(total.unchanged)", "\(total.notAvailable)",
                   "\(total.failed)", "\(total.skipped)"])
        lines.append(table.render())
        if summary.interrupted {
            // The failures of an interrupted run are mostly fetches it cancelled: the count says enough.
            let done = total.total - total.failed
            lines.append("\nInterrupted: \(done) indicator-period\(done == 1 ? "" : "s") done and kept; "
                         + "the rest were not collected. Run the same command again to finish.")
            return lines.joined(separator: "\n")
        }
        if let stopped = summary.stopped {
            lines.append("\nStopped: " + stoppedText(summary, stopped))
        }
        if let notClosed = summary.notClosed {
            lines.append("\nNot closed: " + notClosedText(notClosed))
        }
        let failed = results(summary, .failed)
        if !failed.isEmpty {
            lines.append("\nFailed:")
            lines += failed
        }
        let missing = results(summary, .notAvailable)
        if !missing.isEmpty {
            lines.append("\nNot available:")
            lines += missing
        }
        let notDue = notYetDue(summary)
        if !notDue.isEmpty {
            lines.append("\nNot yet due (skipped):")
            lines += notDue
        }
        return lines.joined(separator: "\n")
    }

    /// Per indicator, its periods not yet due and when the first of them will be:
    /// `  readmissions-30d 2026-03: due on 2026-05-01 (30 days after the period ends on 2026-03-31)`,
    /// with `and 2 later periods` when more are waiting.
    static func notYetDue(_ summary: CollectionSummary) -> [String] {
        summary.indicators.compactMap { indicator in
            let skipped = indicator.results.filter { $0.outcome == .skipped }
            guard let first = skipped.first else { return nil }
            let reason = first.reason.map { $0.hasPrefix("not yet due: ") ? String($0.dropFirst("not yet due: ".count)) : $0 }
            var line = "  \(indicator.id) \(first.period): \(reason ?? "not yet due")"
            let later = skipped.count - 1
            if later > 0 { line += "; and \(later) later period\(later == 1 ? "" : "s")" }
            return line
        }
    }

    /// Only the failures, for `--quiet`; empty when nothing failed.
    public static func renderFailures(_ summary: CollectionSummary) -> String {
        let failed = results(summary, .failed)
        var lines: [String] = []
        if let stopped = summary.stopped {
            lines.append("\(summary.site): stopped: " + stoppedText(summary, stopped))
        }
        if let notClosed = summary.notClosed {
            lines.append("\(summary.site): not closed: " + notClosedText(notClosed))
        }
        if !failed.isEmpty {
            lines += ["\(summary.site): \(failed.count) failed:"] + failed
        }
        return lines.joined(separator: "\n")
    }

    /// `measure store …: the disk is full. 510 indicator-periods done and kept, 490 not
    /// collected. Once the store can be written again, run the same command to finish.`
    static func stoppedText(_ summary: CollectionSummary, _ reason: String) -> String {
        let left = notCollected(summary).count
        let done = summary.counts.total - left
        return "\(reason). \(done) indicator-period\(done == 1 ? "" : "s") done and kept, \(left) not collected. "
            + "Once the store can be written again, run the same command to finish."
    }

    /// `measure store …: the disk is full. Every indicator-period above is stored, but the end of
    /// the run is not recorded; once there is room, the next collect marks the run interrupted.`
    static func notClosedText(_ reason: String) -> String {
        "\(reason). Every indicator-period above is stored, but the end of the run is not recorded; "
            + "once there is room, the next collect marks the run interrupted."
    }

    /// The indicator-periods left when the run stopped.
    private static func notCollected(_ summary: CollectionSummary) -> [PeriodResult] {
        guard let stopped = summary.stopped else { return [] }
        let reason = CollectionSummary.notCollectedReason(stopped: stopped)
        return summary.indicators.flatMap { $0.results.filter { $0.reason == reason } }
    }

    /// `torbay: run 12, periods 2026-01…2026-06, 4.2 s, 9 URLs (2 not modified, 1 failed), store …`
    static func heading(_ summary: CollectionSummary) -> String {
        let fetches = summary.fetches
        var urls = "\(fetches.distinctURLs) URL\(fetches.distinctURLs == 1 ? "" : "s")"
        let notes = [fetches.notModified > 0 ? "\(fetches.notModified) not modified" : nil,
                     fetches.failed > 0 ? "\(fetches.failed) failed" : nil,
                     fetches.cancelled > 0 ? "\(fetches.cancelled) cancelled" : nil].compactMap { $0 }
        if !notes.isEmpty { urls += " (\(notes.joined(separator: ", ")))" }
        let seconds = String(format: "%.1f s", summary.elapsed)
        return "\(summary.site): run \(summary.runID), periods \(summary.periods), \(seconds), \(urls), store \(summary.store)"
    }

    /// The indicator-periods with `outcome`, leaving out those a stopped run did not reach (its
    /// stop is said once).
    private static func results(_ summary: CollectionSummary, _ outcome: RunOutcomeKind) -> [String] {
        let left = summary.stopped.map(CollectionSummary.notCollectedReason(stopped:))
        return summary.indicators.flatMap { indicator in
            indicator.results.filter { $0.outcome == outcome && $0.reason != left }.map { "  \($0.indicator) \($0.period): \($0.reason ?? "")" }
        }
    }
}
