// What a run lets a person see and choose: only some indicators, the numbers behind
// each result, an interrupted run on record, and every run's attempts and failures.
import Foundation
import Hummingbird
import PioneerCollect
import PioneerFeeds
import PioneerKit
import PioneerStore
import PioneerTesting
import Testing

@Suite(.timeLimit(.minutes(5)))
struct CollectionVisibilityTests {
    private func engine(_ store: MeasureStore, maxParallel: Int = 4) -> CollectionEngine {
        CollectionEngine(store: store, fetcher: FeedClient(environment: [:]),
                         options: .init(maxParallel: maxParallel, today: TestSite.julyFirst, command: "test"))
    }

    @Test func onlyTheChosenIndicatorsAreFetchedCollectedAndSummarised() async throws {
        let feed = LocalFeedServer()
        feed.serve("/a", .json(#"{"value": 1}"#))
        feed.serve("/b", .json(#"{"value": 2}"#))
        feed.serve("/c", .json(#"{"value": 3}"#))
        try await TestSite.withStore { store, folder in
            try await feed.run { _ in
                let (site, plugins) = TestSite.site(baseURL: feed.baseURL, [
                    TestSite.indicator("a", path: "/a"), TestSite.indicator("b", path: "/b"), TestSite.indicator("c", path: "/c"),
                ])
                let summary = try await engine(store).collect(site: site, plugins: plugins, periods: PeriodSelection(.month(2026, 5)),
                                                              indicators: ["a", "c"])
                #expect(summary.indicators.map(\.id) == ["a", "c"])
                #expect(summary.counts == RunCounts(collected: 2))
                #expect(feed.responses(to: "/b").isEmpty)
                #expect(try store.currentMeasure(site: "testshire", indicator: "b", period: .month(2026, 5)) == nil)
            }
        }
    }

    @Test func eachResultCarriesItsNumeratorDenominatorSampleSizeAndInterval() async throws {
        let feed = LocalFeedServer()
        feed.serve("/share", .json(#"{"value": 0.25, "numerator": 10, "denominator": 40}"#))
        feed.serve("/gone", .json(#"{"missing": "the team did not report"}"#))
        try await TestSite.withStore { store, folder in
            try await feed.run { _ in
                let (site, plugins) = TestSite.site(baseURL: feed.baseURL, [
                    TestSite.indicator("share", path: "/share", valueType: .proportion),
                    TestSite.indicator("gone", path: "/gone"),
                ])
                let summary = try await engine(store).collect(site: site, plugins: plugins, periods: PeriodSelection(.month(2026, 5)))
                let share = try #require(summary.indicators.first { $0.id == "share" }?.results.first)
                #expect(share.numerator == 10)
                #expect(share.denominator == 40)
                #expect(share.formatted == "25.0%")
                let gone = try #require(summary.indicators.first { $0.id == "gone" }?.results.first)
                #expect(gone.outcome == .notAvailable)
                #expect(gone.numerator == nil && gone.denominator == nil && gone.interval == nil)

                let encoder = JSONEncoder()
                encoder.keyEncodingStrategy = .convertToSnakeCase
                let json = try #require(try JSONSerialization.jsonObject(with: encoder.encode(share)) as? [String: Any])
                #expect(json["numerator"] as? Double == 10)
                #expect(json["denominator"] as? Double == 40)
            }
        }
    }

    @Test func aResultCarriesTheWilsonIntervalAndSampleSizeAPluginGives() {
        var result = PeriodResult(indicator: "x", period: "2026-05", outcome: .collected, value: 0.5)
        result.describe(Observation(value: 0.5, numerator: 5, denominator: 10, sampleSize: 10,
                                    interval: ConfidenceInterval(lower: 0.24, upper: 0.76, level: 0.95, method: "wilson")))
        #expect(result.sampleSize == 10)
        #expect(result.interval?.method == "wilson")
    }

    @Test func cancellingARunKeepsWhatWasCommittedAndRecordsItInterrupted() async throws {
        let router = Router()
        router.get("**") { _, _ -> Response in
            try await Task.sleep(for: .milliseconds(150))
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"value": 5}"#)))
        }
        try await TestSite.withStore { store, folder in
            try await withLoopbackServer(router, label: "pioneer.interrupt-test.feed") { port in
                let (site, plugins) = TestSite.site(baseURL: "http://127.0.0.1:\(port)",
                                                    [TestSite.indicator("slow", path: "/slow/{period}")])
                let engine = engine(store, maxParallel: 1)
                // Ten years of months at 150 ms each, one at a time: 18 s if nothing stopped it.
                let periods = try PeriodSelection(from: .month(2016, 1), to: .month(2025, 12))
                let collected = Counter()
                let task = Task {
                    try await engine.collect(site: site, plugins: plugins, periods: periods) { event in
                        if case .completed(_, let result) = event, result.outcome == .collected { collected.increment() }
                    }
                }
                let deadline = ContinuousClock.now + .seconds(30)
                while collected.value < 2, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                let clock = ContinuousClock()
                let cancelled = clock.now
                task.cancel()
                let summary = try await task.value
                #expect(cancelled.duration(to: clock.now) < .seconds(5))
                #expect(summary.interrupted)
                #expect(summary.exitStatus == 130)
                #expect(summary.counts.total == 120)
                #expect(summary.counts.collected >= 2)
                #expect(summary.counts.collected < 120)
                #expect(summary.fetches.cancelled > 0)
                #expect(CollectionReport.render(summary).contains(" cancelled)"))
                let notCollected = summary.indicators.flatMap(\.results).filter { $0.outcome == .failed }
                #expect(!notCollected.isEmpty)
                #expect(notCollected.allSatisfy { $0.reason == "not collected: the run was interrupted before its feeds answered" })
                let run = try #require(try store.run(id: summary.runID))
                #expect(run.status == .interrupted)
                #expect(run.finishedAt != nil)
                #expect(try store.measureCount() == summary.counts.collected)
                #expect(CollectionReport.render(summary).contains("Interrupted: \(summary.counts.collected) indicator-periods done and kept"))
            }
        }
    }

    @Test func attemptsListEveryRunsOutcomeForTheChosenPeriodsOldestFirst() async throws {
        let feed = LocalFeedServer()
        feed.serve("/x", .json(#"{"value": 4}"#))
        try await TestSite.withStore { store, folder in
            try await feed.run { _ in
                let (site, plugins) = TestSite.site(baseURL: feed.baseURL, [TestSite.indicator("x", path: "/x")])
                let periods = try PeriodSelection(from: .month(2026, 4), to: .month(2026, 5))
                let first = try await engine(store).collect(site: site, plugins: plugins, periods: periods)
                feed.serve("/x", .json("broken", status: 500))
                let second = try await engine(store).collect(site: site, plugins: plugins, periods: periods)

                let listing = AttemptListing(outcomes: try store.outcomes(site: "testshire"), runs: try store.runs(site: "testshire"),
                                             overlapping: PeriodSelection(.month(2026, 5)).dates)
                #expect(listing.attempts.map(\.outcome.runID) == [first.runID, second.runID])
                #expect(listing.attempts.map(\.outcome.kind) == [.collected, .failed])
                #expect(listing.attempts.allSatisfy { $0.outcome.period == "2026-05" && $0.startedAt != nil })
                let table = listing.table()
                #expect(table.hasPrefix("INDICATOR  PERIOD   RUN  STARTED"))
                #expect(table.contains("failed     feed \"bi\": GET \(feed.baseURL)/x failed: HTTP 500 Internal Server Error"), "\(table)")

                let json = try listing.json(measures: MeasureListing(site: site, rows: []))
                let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
                #expect((document["measures"] as? [Any])?.isEmpty == true)
                let attempts = try #require(document["attempts"] as? [[String: Any]])
                #expect(attempts.map { $0["outcome"] as? String } == ["collected", "failed"])
            }
        }
    }

    @Test func aRunsDetailListsItsFailuresNotAvailableAndNotYetDueWithReasons() {
        let run = CollectionRun(id: 7, site: "testshire", startedAt: Date(timeIntervalSince1970: 1_780_000_000),
                                finishedAt: Date(timeIntervalSince1970: 1_780_000_004), status: .finished,
                                command: "pioneer collect sites/testshire --period 2026-05", periods: "2026-05",
                                counts: RunCounts(collected: 1, notAvailable: 1, failed: 1, skipped: 1))
        let outcomes = [
            RunOutcome(runID: 7, indicator: "a", period: "2026-05", kind: .collected, reason: nil, measureID: 1),
            RunOutcome(runID: 7, indicator: "b", period: "2026-05", kind: .failed, reason: "feed \"bi\": HTTP 503", measureID: nil),
            RunOutcome(runID: 7, indicator: "c", period: "2026-05", kind: .notAvailable, reason: "suppressed: n = 4", measureID: 2),
            RunOutcome(runID: 7, indicator: "d", period: "2026-05", kind: .skipped, reason: "not yet due: 2026-05 is due on 2026-07-01", measureID: nil),
        ]
        let detail = RunListing.detail(run, outcomes: outcomes)
        #expect(detail.hasPrefix("Run 7 of testshire: finished\n  command:  pioneer collect sites/testshire --period 2026-05"))
        #expect(detail.contains("  outcomes: 1 collected, 0 unchanged, 1 not available, 1 failed, 1 not yet due"))
        #expect(detail.hasSuffix("""
            Failed:
              b 2026-05: feed "bi": HTTP 503
            Not available:
              c 2026-05: suppressed: n = 4
            Not yet due:
              d 2026-05: not yet due: 2026-05 is due on 2026-07-01
            """))
        let table = RunListing(runs: [run], outcomes: [7: outcomes]).table()
        #expect(table.hasPrefix("RUN  STARTED               FINISHED              STATUS    PERIODS  COLLECTED"), "\(table)")
        #expect(table.contains("\nRun 7:\nFailed:\n  b 2026-05: feed \"bi\": HTTP 503"))
    }

    @Test func aKilledRunSaysHowManyIndicatorPeriodsItNeverReached() throws {
        var run = CollectionRun(id: 9, site: "testshire", startedAt: Date(timeIntervalSince1970: 1_780_000_000),
                                finishedAt: nil, status: .interrupted, command: "pioneer collect sites/testshire --period 2026-05",
                                periods: "2026-05", counts: RunCounts(collected: 3, failed: 1), planned: 10)
        #expect(run.notReached == 6)
        let outcomes = [RunOutcome(runID: 9, indicator: "b", period: "2026-05", kind: .failed, reason: "HTTP 503", measureID: nil)]
        let line = "Not reached: 6 of the run's 10 indicator-periods were never collected: the run was stopped before it got to them"
        let detail = RunListing.detail(run, outcomes: outcomes)
        #expect(detail.contains("\n\n" + line), "\(detail)")
        #expect(detail.hasSuffix("Failed:\n  b 2026-05: HTTP 503"), "\(detail)")
        // Under the table even without --failures: the counts alone would not add up.
        #expect(RunListing(runs: [run]).table().contains("\nRun 9:\n" + line))
        let json = try RunListing(runs: [run]).json()
        let entry = try #require((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])?.first)
        #expect(entry["planned"] as? Int == 10 && entry["not_reached"] as? Int == 6)

        // A run stopped with Ctrl-C records every indicator-period (those not reached as failed),
        // a finished run reached all, and a run recorded before plans were counted says nothing.
        run.counts = RunCounts(collected: 3, failed: 7)
        #expect(run.notReached == nil)
        run.counts = RunCounts(collected: 3)
        run.status = .finished
        #expect(run.notReached == nil)
        run.status = .interrupted
        run.planned = nil
        #expect(run.notReached == nil && !RunListing.detail(run, outcomes: []).contains("Not reached"))
    }
}

/// A count shared with a progress callback.
private final class Counter: @unchecked Sendable {
    // @unchecked: `count` is only touched with `lock` held.
    private let lock = NSLock()
    private var count = 0

    func increment() {
        lock.withLock { count += 1 }
    }

    var value: Int {
        lock.withLock { count }
    }
}
