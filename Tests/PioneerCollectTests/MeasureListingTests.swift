// `pioneer measures` output: values in the indicator's format, history rows, CSV quoting.
import Foundation
import PioneerCollect
import PioneerKit
import PioneerStore
import PioneerCore
import Testing

@Suite struct MeasureListingTests {
    private func stored(_ id: Int64, _ observation: Observation, run: Int64, current: Bool = true,
                        supersededBy: Int64? = nil) -> StoredMeasure {
        let fetched = Date(timeIntervalSince1970: 1_780_000_000)
        let source = FeedSource(feed: "survey", url: "http://127.0.0.1/responses?q=1,2", fetchedAt: fetched,
                                contentHash: "sha256:00", status: 200)
        return StoredMeasure(
            id: id, site: "testshire",
            measure: Measure(indicatorID: "share", period: .quarter(2026, 1), observation: observation,
                             provenance: Provenance(plugin: "survey", sources: [source], collectedAt: fetched)),
            runID: run, confirmedRunID: current ? run + 1 : run, confirmedAt: fetched, recordedAt: fetched,
            isCurrent: current, supersededBy: supersededBy)
    }

    private var site: Site {
        TestSite.site(baseURL: "http://127.0.0.1", [TestSite.indicator("share", path: "/x", valueType: .proportion, period: .quarter)]).0
    }

    @Test func tableShowsFormattedValuesPartsStatusAndRuns() {
        let rows = [
            stored(1, .value(0.38, numerator: 38, denominator: 100, sampleSize: 100), run: 2, current: false, supersededBy: 2),
            stored(2, .value(0.413, numerator: 1239, denominator: 3000, sampleSize: 3000,
                             interval: ConfidenceInterval(lower: 0.395, upper: 0.431, method: "wilson")), run: 5),
        ]
        let table = MeasureListing(site: site, rows: rows).table()
        #expect(table == """
            INDICATOR  PERIOD  VALUE  NUMERATOR  DENOMINATOR      N  INTERVAL     STATUS               RUN              FETCHED
            share      2026Q1  38.0%         38          100    100               superseded by run 5  2                2026-05-28T20:26:40Z
            share      2026Q1  41.3%      1,239        3,000  3,000  39.5%–43.1%  ok                   5 (confirmed 6)  2026-05-28T20:26:40Z
            """)
    }

    @Test func notAvailableShowsItsReason() {
        let rows = [stored(3, .notAvailable(.suppressed, "n = 7, below the minimum of 30", sampleSize: 7), run: 4)]
        let table = MeasureListing(site: site, rows: rows).table()
        #expect(table.contains("–"))
        #expect(table.contains("not available: suppressed small number: n = 7, below the minimum of 30"))
    }

    @Test func csvQuotesFieldsWithCommas() {
        let csv = MeasureListing(site: site, rows: [stored(2, .value(0.5, numerator: 1, denominator: 2), run: 1)]).csv()
        let lines = csv.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("site,indicator,period,period_type,period_start,period_end,value,formatted,"))
        #expect(lines[1].hasPrefix("testshire,share,2026Q1,quarter,2026-01-01,2026-03-31,0.5,50.0%,1,2,"))
        #expect(lines[1].hasSuffix(",survey,\"survey http://127.0.0.1/responses?q=1,2\""))
    }

    @Test func jsonCarriesProvenance() throws {
        let json = try MeasureListing(site: site, rows: [stored(2, .value(0.5), run: 1)]).json()
        #expect(json.contains(#""content_hash" : "sha256:00""#))
        #expect(json.contains(#""formatted" : "50.0%""#))
    }
}
