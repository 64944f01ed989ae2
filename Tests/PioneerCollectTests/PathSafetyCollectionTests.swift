// A plugin that builds a path climbing out of base_url: that indicator-period fails with
// a clear message and nothing is sent, while the other indicators are collected.
import Foundation
import PioneerCollect
import PioneerFeeds
import PioneerKit
import PioneerStore
import PioneerTesting
import Testing

@Suite(.timeLimit(.minutes(5)))
struct PathSafetyCollectionTests {
    @Test func aPathThatClimbsOutOfBaseURLFailsItsIndicatorPeriodAndSendsNothing() async throws {
        let feed = LocalFeedServer()
        feed.serve("/api/good", .json(#"{"value": 7}"#))
        feed.serve("/etc/passwd", .json(#"{"value": 1}"#))
        try await TestSite.withStore { store, folder in
            try await feed.run { _ in
                // The plugin is built directly, as a site-local plugin might build its own paths:
                // only the check at request time stands between it and the server.
                let (site, plugins) = TestSite.site(baseURL: feed.baseURL + "/api", [
                    TestSite.indicator("good", path: "/reports/../good"),
                    TestSite.indicator("climber", path: "/../../etc/passwd"),
                ])
                let engine = CollectionEngine(store: store, fetcher: FeedClient(environment: [:]),
                                              options: .init(maxParallel: 4, today: TestSite.julyFirst, command: "test"))
                let summary = try await engine.collect(site: site, plugins: plugins, periods: PeriodSelection(.month(2026, 5)))
                #expect(summary.exitStatus == 3)
                let climber = summary.indicators.first { $0.id == "climber" }?.results.first
                #expect(climber?.outcome == .failed)
                #expect(climber?.reason?.contains(
                    "\(feed.baseURL)/api/../../etc/passwd: invalid URL: the path climbs out of base_url `\(feed.baseURL)/api` with `..` (it would request \(feed.baseURL)/etc/passwd); nothing was sent") == true,
                    "\(climber?.reason ?? "no reason")")
                #expect(feed.responses(to: "/etc/passwd").isEmpty)
                #expect(summary.indicators.first { $0.id == "good" }?.results.first?.outcome == .collected)
                #expect(feed.responses(to: "/api/good") == [200])
            }
        }
    }
}
