// The engine when results arrive from many threads at once, in more than one batch, and
// when the run is cancelled part-way: every indicator-period is accounted for exactly once.
import Foundation
import PioneerCollect
import PioneerCore
import PioneerFeeds
import PioneerKit
import PioneerStore
import Testing

/// Answers every URL with `{"value": <n>}`, n read from the URL's `?n=` query, completing
/// on a global queue after a short random pause, so completions race each other.
private struct RacingFetcher: FeedFetching {
    func fetch(_ request: FeedFetchRequest) async -> Result<FeedFetchResult, FeedError> {
        await withCheckedContinuation { continuation in
            _ = start(request) { continuation.resume(returning: $0) }
        }
    }

    func start(_ request: FeedFetchRequest,
               completion: @escaping @Sendable (Result<FeedFetchResult, FeedError>) -> Void) -> @Sendable () -> Void {
        let n = request.url.split(separator: "=").last.map(String.init) ?? "0"
        DispatchQueue.global().asyncAfter(deadline: .now() + .microseconds(Int.random(in: 0...500))) {
            completion(.success(FeedFetchResult(
                url: request.url, status: 200, headers: [:], body: Data(#"{"value": \#(n)}"#.utf8), notModified: false,
                validators: CacheValidators(etag: nil, lastModified: nil), attempts: 1, fetchedAt: Date(), elapsed: 0)))
        }
        return {}
    }
}

/// Never answers until cancelled, then reports the cancellation.
private final class StallingFetcher: FeedFetching, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var started = 0

    func fetch(_ request: FeedFetchRequest) async -> Result<FeedFetchResult, FeedError> {
        .failure(FeedError(feed: request.feed.name, url: request.url, attempts: 0, cause: .cancelled))
    }

    func start(_ request: FeedFetchRequest,
               completion: @escaping @Sendable (Result<FeedFetchResult, FeedError>) -> Void) -> @Sendable () -> Void {
        lock.withLock { started += 1 }
        let once = NSLock()
        nonisolated(unsafe) var done = false
        return {
            let first = once.withLock { () -> Bool in
                defer { done = true }
                return !done
            }
            if first { completion(.failure(FeedError(feed: request.feed.name, url: request.url, attempts: 1, cause: .cancelled))) }
        }
    }
}

@Suite(.timeLimit(.minutes(5)))
struct EngineConcurrencyTests {
    @Test func racingCompletionsAcrossSeveralBatchesAreEachStoredOnce() async throws {
        try await TestSite.withStore { store, folder in
            let count = 700
            let (site, plugins) = TestSite.site(baseURL: "http://127.0.0.1:9",
                                                (1...count).map { TestSite.indicator("i\($0)", path: "/v?n=\($0)") })
            let events = LineSink()
            let engine = CollectionEngine(store: store, fetcher: RacingFetcher(),
                                          options: .init(maxParallel: 8, today: TestSite.julyFirst, command: "test"))
            let summary = try await engine.collect(site: site, plugins: plugins, periods: PeriodSelection(.month(2026, 5)),
                                                   onEvent: { event in
                                                       if case .completed(_, let result) = event { events.append(result.indicator + "\n") }
                                                   })
            #expect(summary.counts == RunCounts(collected: count))
            #expect(try store.measureCount() == count)
            #expect(try store.outcomes(runID: summary.runID).count == count)
            // Reported once each, and only after being stored.
            let reported = events.text.split(separator: "\n")
            #expect(reported.count == count)
            #expect(Set(reported).count == count)
            for index in [1, 256, 257, 700] {
                let stored = try store.currentMeasure(site: "testshire", indicator: "i\(index)", period: .month(2026, 5))
                #expect(stored?.measure.observation.value == Double(index))
            }
            #expect(try store.integrityCheck() == ["ok"])
        }
    }

    @Test func cancellingTheRunFailsEveryUnfinishedIndicatorPeriodAsInterruptedAndReturns() async throws {
        try await TestSite.withStore { store, folder in
            let count = 50
            let (site, plugins) = TestSite.site(baseURL: "http://127.0.0.1:9",
                                                (1...count).map { TestSite.indicator("i\($0)", path: "/v?n=\($0)") })
            let fetcher = StallingFetcher()
            let engine = CollectionEngine(store: store, fetcher: fetcher,
                                          options: .init(maxParallel: 2, today: TestSite.julyFirst, command: "test"))
            let task = Task {
                try await engine.collect(site: site, plugins: plugins, periods: PeriodSelection(.month(2026, 5)))
            }
            // Cancel once the first queue is with the fetcher, not after a guessed delay that a
            // loaded machine can overrun; then wait a little so any over-eager start would show.
            let deadline = ContinuousClock.now + .seconds(20)
            while fetcher.started < 8, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            try await Task.sleep(for: .milliseconds(100))
            task.cancel()
            let summary = try await task.value
            #expect(summary.counts == RunCounts(failed: count))
            #expect(fetcher.started == 8, "only the first queue's worth (4 per parallel fetch) was started")
            let reasons = Set(summary.indicators.flatMap(\.results).compactMap(\.reason))
            #expect(reasons == ["not collected: the run was interrupted before its feeds answered"], "\(reasons)")
            #expect(summary.interrupted)
            #expect(try store.run(id: summary.runID)?.status == .interrupted)
            #expect(try store.outcomes(runID: summary.runID).count == count)
            #expect(try store.measureCount() == 0)
        }
    }
}

@Suite(.timeLimit(.minutes(5)))
struct EngineSynchronousFailureTests {
    @Test func thousandsOfFetchesFailingBeforeTheyStartEndTheRunWithoutDeepRecursion() async throws {
        try await TestSite.withStore { store, folder in
            let count = 3_000
            var (site, plugins) = TestSite.site(baseURL: "http://127.0.0.1:9",
                                                (1...count).map { TestSite.indicator("i\($0)", path: "/v?n=\($0)") })
            // A credential that is not set fails every request before anything is sent.
            site.feeds[0].auth = .bearer(token: SecretReference(variable: "PIONEER_TEST_UNSET_TOKEN", location: .unknown("site.yaml")))
            let engine = CollectionEngine(store: store, fetcher: FeedClient(environment: [:]),
                                          options: .init(maxParallel: 1, today: TestSite.julyFirst, command: "test"))
            let summary = try await engine.collect(site: site, plugins: plugins, periods: PeriodSelection(.month(2026, 5)))
            #expect(summary.counts == RunCounts(failed: count))
            let reason = summary.indicators.first?.results.first?.reason ?? ""
            #expect(reason.contains("PIONEER_TEST_UNSET_TOKEN"), "\(reason)")
            #expect(try store.outcomes(runID: summary.runID).count == count)
        }
    }
}
