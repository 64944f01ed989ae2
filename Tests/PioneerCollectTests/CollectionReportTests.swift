// The summary table, the exit status and the JSON summary of a run.
import Foundation
import PioneerCollect
import PioneerStore
import Testing

@Suite struct CollectionReportTests {
    private func summary(_ results: [PeriodResult]) -> CollectionSummary {
        var counts = RunCounts()
        for result in results { counts.add(result.outcome) }
        var fetches = FetchCounts()
        fetches.distinctURLs = 3
        fetches.notModified = 1
        fetches.failed = 1
        return CollectionSummary(
            site: "torbay", runID: 12, store: "sites/torbay/.pioneer/store.sqlite", periods: "2026-01…2026-02",
            startedAt: Date(timeIntervalSince1970: 1_780_000_000), elapsed: 4.25, counts: counts, fetches: fetches,
            indicators: [IndicatorSummary(id: "admissions", name: "Admissions", counts: counts, results: results)])
    }

    @Test func tableListsCountsThenFailuresAndMissingValuesWithReasons() {
        let report = CollectionReport.render(summary([
            PeriodResult(indicator: "admissions", period: "2026-01", outcome: .collected, value: 23.1, formatted: "23.1"),
            PeriodResult(indicator: "admissions", period: "2026-02", outcome: .failed, reason: "feed \"bi\": GET http://127.0.0.1/a failed: HTTP 503 Service Unavailable"),
            PeriodResult(indicator: "admissions", period: "2026-03", outcome: .notAvailable, reason: "suppressed small number: n = 4"),
        ]))
        #expect(report == """
            torbay: run 12, periods 2026-01…2026-02, 4.2 s, 3 URLs (1 not modified, 1 failed), store sites/torbay/.pioneer/store.sqlite
            INDICATOR   COLLECTED  UNCHANGED  NOT AVAILABLE  FAILED  SKIPPED
            admissions          1          0              1       1        0
            total               1          0              1       1        0

            Failed:
              admissions 2026-02: feed "bi": GET http://127.0.0.1/a failed: HTTP 503 Service Unavailable

            Not available:
              admissions 2026-03: suppressed small number: n = 4
            """)
    }

    @Test func exitStatusIsThreeOnlyWhenSomethingFailed() {
        let fine = summary([
            PeriodResult(indicator: "admissions", period: "2026-01", outcome: .unchanged),
            PeriodResult(indicator: "admissions", period: "2026-02", outcome: .notAvailable, reason: "no data"),
            PeriodResult(indicator: "admissions", period: "2026-03", outcome: .skipped, reason: "not yet due"),
        ])
        #expect(fine.exitStatus == 0)
        #expect(CollectionReport.renderFailures(fine) == "")
        let failed = summary([PeriodResult(indicator: "admissions", period: "2026-01", outcome: .failed, reason: "boom")])
        #expect(failed.exitStatus == 3)
        #expect(CollectionReport.renderFailures(failed) == "torbay: 1 failed:\n  admissions 2026-01: boom")
    }

    @Test func summaryEncodesAsJSONWithOutcomeNames() throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(summary([
            PeriodResult(indicator: "admissions", period: "2026-01", outcome: .notAvailable, reason: "no data"),
        ])), as: UTF8.self)
        #expect(json.contains(#""outcome":"not-available""#))
        #expect(json.contains(#""not_available":1"#))
        #expect(json.contains(#""run_id":12"#))
        #expect(json.contains(#""distinct_urls":3"#))
    }

    @Test func textTableAlignsColumnsAndTrimsTrailingSpace() {
        var table = TextTable(["NAME", "N"], rightAligned: [1])
        table.add(["a", "100"])
        table.add(["longer name", "7"])
        #expect(table.render() == "NAME           N\na            100\nlonger name    7")
    }
}
