// A run whose every indicator-period was committed but whose end the store then refuses to
// record (the disk filled up with that last write): the summary is kept and says so, rather
// than the whole report giving way to the store's error.
import Foundation
import GRDB
import PioneerCollect
import PioneerCore
import PioneerFeeds
import PioneerKit
import PioneerStore
import PioneerTesting
import Testing

@Suite(.timeLimit(.minutes(2)))
struct RunNotClosedTests {
    @Test func aRunWhoseEndCannotBeRecordedKeepsItsSummaryAndSaysEverythingIsStored() async throws {
        let feed = LocalFeedServer()
        feed.serve("/a", .json(#"{"value": 7}"#))
        feed.serve("/b", .json(#"{"value": 9}"#))
        try await TestSite.withStore { store, _ in
            // Every write but the one that closes a run goes through.
            try await DatabaseQueue(path: store.path).write { db in
                try db.execute(sql: """
                    CREATE TRIGGER refuse_closing BEFORE UPDATE OF status ON collection_run
                    WHEN NEW.status <> 'running' BEGIN SELECT RAISE(FAIL, 'no room to close the run'); END
                    """)
            }
            try await feed.run { _ in
                let (site, plugins) = TestSite.site(baseURL: feed.baseURL, [
                    TestSite.indicator("a", path: "/a"),
                    TestSite.indicator("b", path: "/b"),
                ])
                let engine = CollectionEngine(store: store, fetcher: FeedClient(environment: [:]),
                                              options: .init(maxParallel: 2, today: TestSite.julyFirst, command: "test"))
                let summary = try await engine.collect(site: site, plugins: plugins, periods: PeriodSelection(.month(2026, 5)))
                let reason = "measure store \(store.path): SQLite reported: no room to close the run"
                #expect(summary.notClosed == reason)
                #expect(summary.counts == RunCounts(collected: 2))
                #expect(summary.exitStatus == 1)
                #expect(try store.measureCount() == 2)
                #expect(try store.run(id: summary.runID)?.status == .running)

                let report = CollectionReport.render(summary)
                #expect(report.contains("\nNot closed: \(reason). Every indicator-period above is stored, but the end of the run "
                                        + "is not recorded; once there is room, the next collect marks the run interrupted."),
                        "\(report)")
                #expect(CollectionReport.renderFailures(summary).hasPrefix("testshire: not closed: \(reason). "))
            }
        }
    }
}
