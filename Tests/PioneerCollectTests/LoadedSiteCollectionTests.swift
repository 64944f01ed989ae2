// Collecting a site read from YAML by the real loader, as `pioneer collect` does.
import Foundation
import PioneerCollect
import PioneerConfig
import PioneerFeeds
import PioneerKit
import PioneerStore
import PioneerCore
import PioneerTesting
import Testing
import PioneerCore

@Suite(.timeLimit(.minutes(5)))
struct LoadedSiteCollectionTests {
    private func yaml(port: Int) -> String {
        """
        site:
          id: yamlshire
          name: Yamlshire
          region: Test
          wave: Test wave
          focus: [tests]
        feeds:
          bi:
            base_url: http://127.0.0.1:\(port)/api
            auth:
              type: bearer
              token: ${YAMLSHIRE_TOKEN}
            retries: 0
        indicators:
          - id: admissions
            name: Admissions
            kind: outcome
            value_type: count
            unit: admissions
            period: quarter
            better: lower
            plugin: fields
            config:
              feed: bi
              path: /admissions/{period.start}
        """
    }

    /// Calls `body` with the `yamlshire` site for `port`, in a temporary folder removed afterwards.
    private func withSite<T>(port: Int, _ body: (URL) async throws -> T) async throws -> T {
        try await withTemporaryFolder(prefix: "pioneer-yaml") { folder in
            let site = folder.appendingPathComponent("yamlshire")
            try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
            try yaml(port: port).write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
            return try await body(site)
        }
    }

    @Test func siteLoadedFromYAMLIsCollectedForTheQuartersOverlappingAMonthRange() async throws {
        let feed = LocalFeedServer()
        feed.serve("/api/admissions/2026-01-01", .json(#"{"value": 120}"#))
        feed.serve("/api/admissions/2026-04-01", .json(#"{"value": 131}"#))
        try await feed.run { _ in
            try await withSite(port: feed.port) { directory in
                let environment = ["YAMLSHIRE_TOKEN": "s3cret"]
                let loaded = try SiteLoader(plugins: .testing([PluginFactory(FieldsPlugin.self)]), environment: environment, requireSecrets: true)
                    .load(directory: directory.path)
                let store = try MeasureStore(path: MeasureStore.defaultPath(siteDirectory: loaded.site.directory))
                #expect(store.path.hasPrefix(directory.path))
                let engine = CollectionEngine(store: store, fetcher: FeedClient(environment: environment),
                                              options: .init(today: TestSite.julyFirst))
                let summary = try await engine.collect(loaded, periods: try PeriodSelection(from: .month(2026, 3), to: .month(2026, 4)))
                #expect(summary.indicators.first?.results.map(\.period) == ["2026Q1", "2026Q2"])
                #expect(summary.counts == RunCounts(collected: 2))
                let measures = try store.measures(MeasureQuery(site: "yamlshire"))
                #expect(measures.map(\.measure.observation.value) == [120, 131])
                // The secret is sent but never stored.
                #expect(measures.allSatisfy { !$0.measure.provenance.sources.contains { $0.url.contains("s3cret") } })
            }
        }
    }

    @Test func collectingRequiresTheSecretsTheFeedsName() async throws {
        try await withSite(port: 1) { directory in
            let error = #expect(throws: ConfigError.self) {
                try SiteLoader(plugins: .testing([PluginFactory(FieldsPlugin.self)]), environment: [:], requireSecrets: true).load(directory: directory.path)
            }
            #expect(error?.description.contains("YAMLSHIRE_TOKEN") == true)
            #expect(error?.description.contains("site.yaml:") == true)
        }
    }
}
