// Many sites collected at once on one feed client: the same stores as one site after another,
// a failing site failing alone, the per-host and overall limits holding across the sites, and
// a slow server kept busy.
import Foundation
import PioneerCollect
import PioneerCore
import PioneerFeeds
import PioneerKit
import PioneerStore
import PioneerTesting
import Testing

@Suite(.timeLimit(.minutes(5)))
struct MultiSiteCollectionTests {

    /// A site `id` on `baseURL` with `count` indicators, `<id>-1`…; indicator i reads `?n=<offset + i>`,
    /// and one more, `<id>-gone`, reads a path the feed answers with 404.
    private static func site(_ id: String, baseURL: String, count: Int, offset: Int) -> LoadedSite {
        var indicators = (1...count).map { TestSite.indicator("\(id)-\($0)", path: "/v?n=\(offset + $0)") }
        indicators.append(TestSite.indicator("\(id)-gone", path: "/gone"))
        let (site, plugins) = TestSite.site(baseURL: baseURL, indicators, id: id)
        return LoadedSite(site: site, plugins: plugins, warnings: [])
    }

    private static func client(maxParallel: Int, maxPerHost: Int) -> FeedClient {
        FeedClient(environment: [:], limits: FeedClientLimits(maxParallel: maxParallel, maxPerHost: maxPerHost))
    }

    private static func options(maxParallel: Int) -> CollectionEngine.Options {
        .init(maxParallel: maxParallel, today: TestSite.julyFirst, command: "test")
    }

    /// Each site with a new store `<site id>.sqlite` in `folder`.
    private static func entries(_ sites: [LoadedSite], in folder: URL) throws -> [MultiSiteCollection.Entry] {
        try sites.map { site in
            MultiSiteCollection.Entry(site: site, store: try MeasureStore(
                path: folder.appendingPathComponent("\(site.site.id).sqlite").path))
        }
    }

    /// Collects `entries` for May 2026 through a client with these limits; every run's summary.
    private static func collectMay(_ entries: [MultiSiteCollection.Entry], maxParallel: Int,
                                   maxPerHost: Int) async throws -> [CollectionSummary] {
        let collection = MultiSiteCollection(fetcher: client(maxParallel: maxParallel, maxPerHost: maxPerHost),
                                             options: options(maxParallel: maxParallel))
        return try await collection.collect(entries, periods: PeriodSelection(.month(2026, 5))).map { try $0.get() }
    }

    /// What a store holds for `site`, without the row ids and times that differ between runs.
    private static func contents(_ store: MeasureStore, site: String) throws -> [String] {
        let measures = try store.measures(MeasureQuery(site: site, includeHistory: true)).map { stored in
            let measure = stored.measure
            let sources = measure.provenance.sources.map { "\($0.feed) \($0.url) \($0.status) \($0.contentHash)" }
            return "measure \(measure.indicatorID) \(measure.period.label) \(measure.observation) current=\(stored.isCurrent) "
                + "\(measure.provenance.plugin) \(sources)"
        }
        let outcomes = try store.outcomes(site: site).map { outcome in
            "outcome \(outcome.indicator) \(outcome.period) \(outcome.kind) \(outcome.reason ?? "")"
        }
        return (measures + outcomes).sorted()
    }

    @Test func sitesCollectedAtOnceStoreWhatTheyStoreOneAfterAnother() async throws {
        let tally = ConcurrencyTally()
        try await ConcurrencyCountingFeed.run(name: "feed", delay: .milliseconds(5), tally: tally) { baseURL in
            try await withTemporaryFolder(prefix: "pioneer-multisite") { folder in
                let sites = (1...3).map { Self.site("site\($0)", baseURL: baseURL, count: 6, offset: $0 * 100) }
                func stores(_ name: String) throws -> [MeasureStore] {
                    try sites.map { try MeasureStore(path: folder.appendingPathComponent("\(name)-\($0.site.id).sqlite").path) }
                }
                let together = try stores("together"), apart = try stores("apart")

                let periods = try PeriodSelection(from: .month(2026, 3), to: .month(2026, 5))
                let collection = MultiSiteCollection(fetcher: Self.client(maxParallel: 8, maxPerHost: 8),
                                                     options: Self.options(maxParallel: 8))
                var order: [Int] = []
                let results = await collection.collect(
                    zip(sites, together).map { MultiSiteCollection.Entry(site: $0, store: $1) }, periods: periods,
                    onFinished: { index, _ in order.append(index) })
                #expect(order == [0, 1, 2])

                for (site, store) in zip(sites, apart) {
                    let engine = CollectionEngine(store: store, fetcher: Self.client(maxParallel: 8, maxPerHost: 8),
                                                  options: Self.options(maxParallel: 8))
                    _ = try await engine.collect(site, periods: periods)
                }

                for (index, site) in sites.enumerated() {
                    let summary = try results[index].get()
                    #expect(summary.site == site.site.id)
                    // 6 indicators and a missing one, 3 months each.
                    #expect(summary.counts == RunCounts(collected: 18, failed: 3))
                    let expected = try Self.contents(apart[index], site: site.site.id)
                    #expect(expected.count == 18 + 21)
                    #expect(try Self.contents(together[index], site: site.site.id) == expected)
                }
            }
        }
    }

    @Test func anUnreachableSiteFailsAloneAndItsSummarySaysWhy() async throws {
        let tally = ConcurrencyTally()
        try await ConcurrencyCountingFeed.run(name: "feed", delay: .milliseconds(5), tally: tally) { baseURL in
            try await withTemporaryFolder(prefix: "pioneer-multisite") { folder in
                // Port 1 on loopback: nothing listens there, so every connection is refused at once.
                let sites = [Self.site("up1", baseURL: baseURL, count: 4, offset: 0),
                             Self.site("down", baseURL: "http://127.0.0.1:1", count: 4, offset: 0),
                             Self.site("up2", baseURL: baseURL, count: 4, offset: 10)]
                let entries = try Self.entries(sites, in: folder)
                let summaries = try await Self.collectMay(entries, maxParallel: 4, maxPerHost: 4)

                #expect(summaries.map(\.site) == ["up1", "down", "up2"])
                #expect(summaries[0].counts == RunCounts(collected: 4, failed: 1))
                #expect(summaries[2].counts == RunCounts(collected: 4, failed: 1))
                #expect(summaries[1].counts == RunCounts(failed: 5))
                #expect(summaries.map(\.exitStatus) == [3, 3, 3])
                let reasons = summaries[1].indicators.flatMap(\.results).compactMap(\.reason)
                #expect(reasons.count == 5)
                for reason in reasons {
                    #expect(reason.contains("http://127.0.0.1:1/"), "\(reason)")
                }
                #expect(try entries[0].store.measureCount() == 4)
                #expect(try entries[1].store.measureCount() == 0)
                #expect(try entries[2].store.measureCount() == 4)
            }
        }
    }

    @Test func thePerHostAndOverallLimitsHoldAcrossSites() async throws {
        let tally = ConcurrencyTally()
        try await ConcurrencyCountingFeed.run(name: "x", delay: .milliseconds(40), tally: tally) { hostX in
            try await ConcurrencyCountingFeed.run(name: "y", delay: .milliseconds(40), tally: tally) { hostY in
                try await withTemporaryFolder(prefix: "pioneer-multisite") { folder in
                    // Two sites on host x and one on host y; alone, each site would fill the overall limit.
                    let sites = [Self.site("a", baseURL: hostX, count: 8, offset: 0),
                                 Self.site("b", baseURL: hostX, count: 8, offset: 100),
                                 Self.site("c", baseURL: hostY, count: 8, offset: 200)]
                    let entries = try Self.entries(sites, in: folder)
                    let summaries = try await Self.collectMay(entries, maxParallel: 3, maxPerHost: 2)
                    #expect(summaries.map(\.counts) == Array(repeating: RunCounts(collected: 8, failed: 1), count: 3))
                    #expect(tally.answered == 27)
                    #expect(tally.peak("x") <= 2)
                    #expect(tally.peak("y") <= 2)
                    #expect(tally.overallPeak <= 3)
                    // Sites a and b shared host x's two slots rather than getting two each.
                    #expect(tally.peak("x") == 2)
                }
            }
        }
    }

    @Test func aSlowServerGetsEveryTransferTheLimitAllows() async throws {
        let tally = ConcurrencyTally()
        let feeds = 64
        try await ConcurrencyCountingFeed.run(name: "slow", delay: .milliseconds(50), tally: tally) { baseURL in
            try await withTemporaryFolder(prefix: "pioneer-multisite") { folder in
                let indicators = (1...feeds).map { TestSite.indicator("slow-\($0)", path: "/v?n=\($0)") }
                let (site, plugins) = TestSite.site(baseURL: baseURL, indicators, id: "slowshire")
                let entries = try Self.entries([LoadedSite(site: site, plugins: plugins, warnings: [])], in: folder)
                let summary = try #require(try await Self.collectMay(entries, maxParallel: 16, maxPerHost: 16).first)
                #expect(summary.counts == RunCounts(collected: feeds))
                // The time it takes is CollectManySitesEndToEndTests' (this process's server shares
                // its threads with every other suite) and scripts/bench-scale.sh's.
                #expect(tally.peak("slow") <= 16)
                #expect(tally.peak("slow") > 4, "at most \(tally.peak("slow")) requests in flight")
            }
        }
    }
}
