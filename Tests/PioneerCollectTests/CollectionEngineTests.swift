// The collection engine against a real loopback HTTP feed and a real store.
import Foundation
import PioneerCollect
import PioneerFeeds
import PioneerKit
import PioneerStore
import PioneerTesting
import Testing
import PioneerCore

@Suite(.timeLimit(.minutes(5)))
struct CollectionEngineTests {
    private func engine(_ store: MeasureStore, today: CalendarDate = TestSite.julyFirst) -> CollectionEngine {
        CollectionEngine(store: store, fetcher: FeedClient(environment: [:]),
                         options: .init(maxParallel: 4, today: today, command: "test"))
    }

    private func result(_ summary: CollectionSummary, _ indicator: String, _ period: String) -> PeriodResult? {
        summary.indicators.first { $0.id == indicator }?.results.first { $0.period == period }
    }

    @Test func distinctURLIsFetchedOnceEvenWhenSeveralIndicatorsNeedIt() async throws {
        let feed = LocalFeedServer()
        feed.serve("/shared", .json(#"{"value": 12, "numerator": 12, "denominator": 40}"#))
        feed.serve("/own", .json(#"{"value": 0.5, "numerator": 5, "denominator": 10}"#))
        try await TestSite.withStore { store, folder in
            try await feed.run { _ in
                let (site, plugins) = TestSite.site(baseURL: feed.baseURL, [
                    TestSite.indicator("first", path: "/shared"),
                    TestSite.indicator("second", path: "/shared"),
                    TestSite.indicator("third", path: "/own", valueType: .proportion),
                ])
                let summary = try await engine(store).collect(site: site, plugins: plugins, periods: PeriodSelection(.month(2026, 5)))
                #expect(feed.responses(to: "/shared") == [200])
                #expect(feed.responses(to: "/own") == [200])
                #expect(summary.fetches.distinctURLs == 2)
                #expect(summary.counts == RunCounts(collected: 3))
                #expect(summary.exitStatus == 0)
                #expect(result(summary, "third", "2026-05")?.formatted == "50.0%")
                let stored = try #require(try store.currentMeasure(site: "testshire", indicator: "second", period: .month(2026, 5)))
                #expect(stored.measure.observation == .value(12, numerator: 12, denominator: 40))
                #expect(stored.measure.provenance.plugin == "fields")
                #expect(stored.measure.provenance.sources.map(\.url) == [feed.baseURL + "/shared"])
                #expect(stored.measure.provenance.sources.first?.contentHash
                        == ContentHash.of(Data(#"{"value": 12, "numerator": 12, "denominator": 40}"#.utf8)))
            }
        }
    }

    @Test func failingFeedFailsItsIndicatorOnlyAndKeepsTheStoredValue() async throws {
        let feed = LocalFeedServer()
        feed.serve("/good", .json(#"{"value": 7}"#))
        feed.serve("/flaky", .json(#"{"value": 3}"#))
        try await TestSite.withStore { store, folder in
            try await feed.run { _ in
                let (site, plugins) = TestSite.site(baseURL: feed.baseURL, [
                    TestSite.indicator("good", path: "/good"),
                    TestSite.indicator("flaky", path: "/flaky"),
                ])
                let period = PeriodSelection(.month(2026, 5))
                let first = try await engine(store).collect(site: site, plugins: plugins, periods: period)
                #expect(first.counts == RunCounts(collected: 2))

                feed.serve("/flaky", .json("down for maintenance", status: 503))
                feed.serve("/good", .json(#"{"value": 8}"#))
                let second = try await engine(store).collect(site: site, plugins: plugins, periods: period)
                #expect(second.counts == RunCounts(collected: 1, failed: 1))
                #expect(second.exitStatus == 3)
                let failure = try #require(result(second, "flaky", "2026-05"))
                #expect(failure.outcome == .failed)
                #expect(failure.reason == "feed \"bi\": GET \(feed.baseURL)/flaky failed: HTTP 503 Service Unavailable")
                // The good value from the first run is still the current one.
                let kept = try #require(try store.currentMeasure(site: "testshire", indicator: "flaky", period: .month(2026, 5)))
                #expect(kept.measure.observation.value == 3)
                #expect(kept.runID == first.runID)
                #expect(try store.outcomes(runID: second.runID).first { $0.indicator == "flaky" }?.kind == .failed)
                #expect(try store.currentMeasure(site: "testshire", indicator: "good", period: .month(2026, 5))?.measure.observation.value == 8)
            }
        }
    }

    @Test func notModifiedReusesTheCachedBodyAndReportsUnchanged() async throws {
        let feed = LocalFeedServer()
        feed.serve("/cached", .json(#"{"value": 41}"#, etag: "\"v1\""))
        try await TestSite.withStore { store, folder in
            try await feed.run { _ in
                let (site, plugins) = TestSite.site(baseURL: feed.baseURL, [TestSite.indicator("cached", path: "/cached")])
                let period = PeriodSelection(.month(2026, 4))
                let first = try await engine(store).collect(site: site, plugins: plugins, periods: period)
                #expect(first.counts == RunCounts(collected: 1))
                let cached = try store.cachedFeedBody(feed: "testshire/bi", url: feed.baseURL + "/cached")
                #expect(cached?.etag == "\"v1\"", "cached: \(String(describing: cached))")

                let second = try await engine(store).collect(site: site, plugins: plugins, periods: period)
                #expect(feed.responses(to: "/cached") == [200, 304])
                #expect(second.fetches.notModified == 1)
                #expect(second.counts == RunCounts(unchanged: 1))
                #expect(result(second, "cached", "2026-04")?.outcome == .unchanged)
                #expect(try store.measureCount() == 1)
                let current = try #require(try store.currentMeasure(site: "testshire", indicator: "cached", period: .month(2026, 4)))
                #expect(current.confirmedRunID == second.runID)
            }
        }
    }

    /// Two sites sharing a store, with a feed of the same name at the same URL: the same URL can
    /// answer each site's credentials differently, so one site's validators must not get it the
    /// other's body back on a 304 (it did: the cache was keyed by feed name and URL alone).
    @Test func sitesSharingAStoreDoNotShareCachedBodies() async throws {
        let feed = LocalFeedServer()
        feed.serve("/regional", .json(#"{"value": 41}"#, etag: "\"v1\""))
        try await TestSite.withStore { store, folder in
            try await feed.run { _ in
                let period = PeriodSelection(.month(2026, 4))
                let (first, plugins) = TestSite.site(baseURL: feed.baseURL, [TestSite.indicator("beds", path: "/regional")], id: "site-a")
                _ = try await engine(store).collect(site: first, plugins: plugins, periods: period)
                let (second, _) = TestSite.site(baseURL: feed.baseURL, [TestSite.indicator("beds", path: "/regional")], id: "site-b")
                let summary = try await engine(store).collect(site: second, plugins: plugins, periods: period)
                #expect(feed.responses(to: "/regional") == [200, 200], "site-b sent site-a's validators")
                #expect(summary.counts == RunCounts(collected: 1))
                #expect(try store.cachedFeedBody(feed: "site-a/bi", url: feed.baseURL + "/regional")?.etag == "\"v1\"")
                #expect(try store.cachedFeedBody(feed: "site-b/bi", url: feed.baseURL + "/regional")?.etag == "\"v1\"")
                // Each site's own next run still asks "changed since?".
                _ = try await engine(store).collect(site: first, plugins: plugins, periods: period)
                #expect(feed.responses(to: "/regional") == [200, 200, 304])
            }
        }
    }

    /// Two collects of one store at once: the one that finishes first removes the cached file of
    /// a body it replaced, while the other, which got a 304 for it, still has plugins to run on
    /// it. Those plugins failed with "The file doesn't exist"; now the run holds the body under
    /// a name of its own (a hard link) until they are done, and removes that name after.
    @Test func aReusedCachedFileRemovedByAnotherRunIsStillReadByThisRunsPlugins() async throws {
        let feed = LocalFeedServer()
        let padding = String(repeating: "x", count: 9 << 20)
        feed.serve("/extract", .json(#"{"value": 3, "pad": "\#(padding)"}"#, etag: "\"e1\""))
        try await TestSite.withStore { store, folder in
            try await feed.run { _ in
                let period = PeriodSelection(.month(2026, 4))
                let (site, plugins) = TestSite.site(baseURL: feed.baseURL, [TestSite.indicator("beds", path: "/extract")])
                let first = try await engine(store).collect(site: site, plugins: plugins, periods: period)
                #expect(first.counts == RunCounts(collected: 1))
                let kept = try FileManager.default.contentsOfDirectory(atPath: store.bodyFolder.path)
                #expect(kept.count == 1, "\(kept)")

                var removing = plugins
                removing["beds"] = RemovingBodiesPlugin(inner: FieldsPlugin(feed: "bi", path: "/extract"), folder: store.bodyFolder)
                let second = try await engine(store).collect(site: site, plugins: removing, periods: period)
                #expect(feed.responses(to: "/extract") == [200, 304])
                #expect(second.counts == RunCounts(unchanged: 1), "\(second.indicators.flatMap(\.results).map(\.reason))")
                // The run's own name for the body goes with its plugins (released as the run's
                // last references to the body go, which may be a moment after it returns).
                var left = try FileManager.default.contentsOfDirectory(atPath: store.bodyFolder.path)
                for _ in 0..<100 where !left.isEmpty {
                    try await Task.sleep(for: .milliseconds(20))
                    left = try FileManager.default.contentsOfDirectory(atPath: store.bodyFolder.path)
                }
                #expect(left.isEmpty, "\(left)")
            }
        }
    }

    @Test func invalidObservationIsRejectedWithAMessageAndNotStored() async throws {
        let feed = LocalFeedServer()
        feed.serve("/share", .json(#"{"value": 1.4, "numerator": 14, "denominator": 10}"#))
        try await TestSite.withStore { store, folder in
            try await feed.run { _ in
                let (site, plugins) = TestSite.site(baseURL: feed.baseURL, [TestSite.indicator("share", path: "/share", valueType: .proportion)])
                let summary = try await engine(store).collect(site: site, plugins: plugins, periods: PeriodSelection(.month(2026, 5)))
                let failure = try #require(result(summary, "share", "2026-05"))
                #expect(failure.outcome == .failed)
                #expect(failure.reason == "plugin `fields` returned an invalid observation: proportion 1.4 is outside 0 to 1 (a proportion is a share: 0.25 for 25%); numerator 14 is larger than denominator 10 in a proportion")
                #expect(try store.measureCount() == 0)
                #expect(summary.exitStatus == 3)
            }
        }
    }

    @Test func pluginErrorsAndNotAvailableValuesAreReportedWithTheirReasons() async throws {
        let feed = LocalFeedServer()
        feed.serve("/broken", .json(#"{"broken": "column `admissions` is missing"}"#))
        feed.serve("/empty", .json(#"{"missing": "the extract has no rows for May"}"#))
        try await TestSite.withStore { store, folder in
            try await feed.run { _ in
                var indicators = [TestSite.indicator("broken", path: "/broken"), TestSite.indicator("empty", path: "/empty")]
                var refusing = TestSite.indicator("refusing", path: "/unused").0
                refusing.plugin = RefusingPlugin.name
                indicators.append((refusing, RefusingPlugin()))
                let (site, plugins) = TestSite.site(baseURL: feed.baseURL, indicators)
                let summary = try await engine(store).collect(site: site, plugins: plugins, periods: PeriodSelection(.month(2026, 5)))
                #expect(result(summary, "broken", "2026-05")?.reason == "plugin `fields`: column `admissions` is missing")
                #expect(result(summary, "refusing", "2026-05")?.reason == "plugin `refusing`: period 2026-05 is before the feed's first month")
                let empty = try #require(result(summary, "empty", "2026-05"))
                #expect(empty.outcome == .notAvailable)
                #expect(empty.reason == "no data for the period: the extract has no rows for May")
                #expect(try store.currentMeasure(site: "testshire", indicator: "empty", period: .month(2026, 5))?.measure.observation.notAvailable?.reason == .noData)
                #expect(summary.counts == RunCounts(notAvailable: 1, failed: 2))
                #expect(feed.responses(to: "/unused").isEmpty)
            }
        }
    }

    @Test func periodsNotYetEndedAreSkippedWithoutFetching() async throws {
        let feed = LocalFeedServer()
        feed.serve("/data", .json(#"{"value": 1}"#))
        try await TestSite.withStore { store, folder in
            try await feed.run { _ in
                let (site, plugins) = TestSite.site(baseURL: feed.baseURL, [
                    TestSite.indicator("monthly", path: "/data"),
                    TestSite.indicator("quarterly", path: "/data", period: .quarter),
                ])
                // 2026-06-30 is the last day of June and of 2026Q2: neither has ended yet.
                let today = try #require(CalendarDate(year: 2026, month: 6, day: 30))
                let summary = try await engine(store, today: today)
                    .collect(site: site, plugins: plugins, periods: try PeriodSelection(from: .month(2026, 5), to: .month(2026, 6)))
                #expect(summary.indicators.map { $0.results.map(\.period) } == [["2026-05", "2026-06"], ["2026Q2"]])
                #expect(result(summary, "monthly", "2026-06")?.reason == "not yet due: 2026-06 is due on 2026-07-01 (the day after the period ends)")
                #expect(result(summary, "quarterly", "2026Q2")?.outcome == .skipped)
                #expect(summary.counts == RunCounts(collected: 1, skipped: 2))
                #expect(summary.exitStatus == 0)
                #expect(feed.totalRequests == 1)
            }
        }
    }

    @Test func unreachableFeedFailsEveryIndicatorThatNeedsIt() async throws {
        try await TestSite.withStore { store, folder in
            // A port that refuses connections.
            let port = try await LoopbackServer.closedPort()
            let (site, plugins) = TestSite.site(baseURL: "http://127.0.0.1:\(port)", [TestSite.indicator("a", path: "/x")])
            let summary = try await engine(store).collect(site: site, plugins: plugins, periods: PeriodSelection(.month(2026, 1)))
            #expect(summary.counts == RunCounts(failed: 1))
            #expect(summary.fetches.failed == 1)
            let reason = result(summary, "a", "2026-01")?.reason ?? ""
            // Refused or "could not connect", depending on how libcurl words it.
            #expect(reason.hasPrefix("feed \"bi\": GET http://127.0.0.1:\(port)/x failed: "), "\(reason)")
            #expect(reason.contains("connect"), "\(reason)")
            #expect(try store.run(id: summary.runID)?.status == .finished)
            #expect(try store.run(id: summary.runID)?.counts.failed == 1)
        }
    }

    @Test func progressEventsCountIndicatorsAndFeeds() async throws {
        let feed = LocalFeedServer()
        feed.serve("/data?m=2026-02", .json(#"{"value": 2}"#))
        feed.serve("/data?m=2026-03", .json(#"{"value": 3}"#))
        try await TestSite.withStore { store, folder in
            try await feed.run { _ in
                let (site, plugins) = TestSite.site(baseURL: feed.baseURL, [TestSite.indicator("a", path: "/data?m={period}")])
                let lines = LineSink()
                let progress = CollectionProgress(style: .lines) { lines.append($0) }
                let summary = try await engine(store).collect(site: site, plugins: plugins,
                                                              periods: try PeriodSelection(from: .month(2026, 1), to: .month(2026, 3)),
                                                              onEvent: progress.handle)
                #expect(summary.fetches.distinctURLs == 3)
                #expect(progress.statusLine == "testshire: indicators 3/3 · feeds awaited 0 · failed 1")
                #expect(lines.text.contains("testshire a 2026-02: collected 2.0\n"))
                #expect(lines.text.contains("testshire a 2026-01: failed (feed \"bi\": GET \(feed.baseURL)/data?m=2026-01 failed: HTTP 404 Not Found)"))
            }
        }
    }
}

/// Collects progress output in memory.
final class LineSink: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [String] = []

    func append(_ text: String) { lock.withLock { parts.append(text) } }
    var text: String { lock.withLock { parts.joined() } }
}

/// Removes every cached body file in `folder` (as another run's tidy-up would) before letting
/// `inner` read the responses.
private struct RemovingBodiesPlugin: IndicatorPlugin {
    static let name = "removing-bodies"
    static let summary = "Removes the cached body files, then reads (tests)."
    var inner: FieldsPlugin
    var folder: URL

    static func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> RemovingBodiesPlugin? { nil }

    func requests(for period: Period, context: PluginContext) throws -> [FeedRequest] {
        try inner.requests(for: period, context: context)
    }

    func observe(period: Period, responses: FeedResponses, context: PluginContext) throws -> Observation {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where !name.hasPrefix(".") {
            try FileManager.default.removeItem(at: folder.appending(path: name))
        }
        return try inner.observe(period: period, responses: responses, context: context)
    }
}
