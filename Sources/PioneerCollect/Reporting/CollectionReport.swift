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
        if total.skipped > 0 {
            lines.append("\nSkipped \(total.skipped) indicator-period\(total.skipped == 1 ? "" : "s") not yet due (the period has not ended).")
        }
        return lines.joined(separator: "\n")
    }

    /// Only the failures, for `--quiet`; empty when nothing failed.
    public static func renderFailures(_ summary: CollectionSummary) -> String {
        let failed = results(summary, .failed)
        guard !failed.isEmpty else { return "" }
        return (["\(summary.site): \(summary.counts.failed) failed:"] + failed).joined(separator: "\n")
    }

    /// `torbay: run 12, periods 2026-01…2026-06, 4.2 s, 9 URLs (2 not modified, 1 failed), store …`
    static func heading(_ summary: CollectionSummary) -> String {
        let fetches = summary.fetches
        var urls = "\(fetches.distinctURLs) URL\(fetches.distinctURLs == 1 ? "" : "s")"
        let notes = [fetches.notModified > 0 ? "\(fetches.notModified) not modified" : nil,
                     fetches.failed > 0 ? "\(fetches.failed) failed" : nil].compactMap { $0 }
        if !notes.isEmpty { urls += " (\(notes.joined(separator: ", ")))" }
        let seconds = String(format: "%.1f s", summary.elapsed)
        return "\(summary.site): run \(summary.runID), periods \(summary.periods), \(seconds), \(urls), store \(summary.store)"
    }

    private static func results(_ summary: CollectionSummary, _ outcome: RunOutcomeKind) -> [String] {
        summary.indicators.flatMap { indicator in
            indicator.results.filter { $0.outcome == outcome }.map { "  \($0.indicator) \($0.period): \($0.reason ?? "")" }
        }
    }
}
