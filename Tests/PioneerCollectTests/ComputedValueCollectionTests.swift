// Computed values through the real loader, engine, feed client and store: a cost per patient
// from formatted amounts, and a suppressed rate whose parts are stored but not listed.
import Foundation
import PioneerCollect
import PioneerConfig
import PioneerCore
import PioneerFeeds
import PioneerKit
import PioneerStore
import PioneerTesting
import Testing
import PioneerExtraction

@Suite(.timeLimit(.minutes(5)))
struct ComputedValueCollectionTests {
    private func yaml(_ baseURL: String) -> String {
        """
        site:
          id: computedshire
          name: Computedshire
          region: Test
          wave: Test wave
          focus: [tests]
        population:
          aged_65_plus: 35400
        feeds:
          finance:
            base_url: \(baseURL)/finance
            retries: 0
          bi:
            base_url: \(baseURL)/bi
            retries: 0
        indicators:
          - id: cost-per-patient
            name: Spend per patient seen
            kind: cost
            value_type: amount
            unit: £
            period: month
            better: lower
            decimals: 2
            plugin: rate
            config:
              numerator:
                json: { feed: finance, path: "/spend?month={period}", select: $.spend_gbp, number_format: readable }
              denominator:
                json: { feed: finance, path: "/spend?month={period}", select: $.patients_seen, number_format: readable }
          - id: readmissions
            name: Readmissions, aged 65+
            kind: outcome
            value_type: rate
            per: 1000
            unit: per 1,000 aged 65+
            period: month
            better: lower
            plugin: rate
            config:
              numerator:
                json: { feed: bi, path: "/readmissions?month={period}", select: $.count }
              denominator:
                population: aged_65_plus
              suppress_below: 5
        """
    }

    @Test func aCostPerPatientIsStoredWithItsPartsAndASuppressedRateKeepsThemUnlisted() async throws {
        let routes: [String: LocalFeedRoute] = [
            "/finance/spend": .json(#"{"spend_gbp": "4,644,924.12", "patients_seen": "13,622"}"#),
            "/bi/readmissions": .json(#"{"count": 3}"#),
        ]
        try await withLocalFeedServer(routes) { baseURL in
            try await withTemporaryFolder(prefix: "pioneer-computed") { folder in
                let directory = folder.appendingPathComponent("computedshire")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try yaml(baseURL).write(to: directory.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)

                let loaded = try SiteLoader(plugins: .builtIn(adding: []), environment: [:]).load(directory: directory.path)
                let store = try MeasureStore(path: folder.appendingPathComponent("store.sqlite").path)
                let engine = CollectionEngine(store: store, fetcher: FeedClient(environment: [:]),
                                              options: .init(today: TestSite.julyFirst))
                let summary = try await engine.collect(loaded, periods: PeriodSelection(.month(2026, 3)))
                #expect(summary.counts == RunCounts(collected: 1, notAvailable: 1), "\(summary.indicators.flatMap(\.results))")

                let cost = try #require(try store.currentMeasure(site: "computedshire", indicator: "cost-per-patient", period: .month(2026, 3)))
                #expect(cost.measure.observation.numerator == 4_644_924.12)
                #expect(cost.measure.observation.denominator == 13_622)
                #expect(loaded.site.indicator(id: "cost-per-patient")?.definition.format(cost.measure.observation.value ?? 0) == "£340.99")

                let readmissions = try #require(try store.currentMeasure(site: "computedshire", indicator: "readmissions", period: .month(2026, 3)))
                #expect(readmissions.measure.observation.value == nil)
                #expect(readmissions.measure.observation.numerator == 3)
                #expect(readmissions.measure.observation.denominator == 35_400)
                #expect(readmissions.measure.observation.notAvailable?.reason == .suppressed)

                let listing = MeasureListing(site: loaded.site, rows: try store.measures(MeasureQuery(site: "computedshire")))
                let table = listing.table()
                #expect(table.contains("4,644,924.12"))
                #expect(!table.contains("35,400"), "\(table)")
                #expect(!(try listing.json()).contains("35400"))
            }
        }
    }
}
