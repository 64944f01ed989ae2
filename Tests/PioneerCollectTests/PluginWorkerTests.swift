// Plugins run off the transfer thread: a plugin that takes seconds holds up only its own
// indicator-period, while the transfers and the other plugins go on.
import Foundation
import PioneerCollect
import PioneerCore
import PioneerFeeds
import PioneerKit
import PioneerStore
import PioneerTesting
import Testing

/// ``FieldsPlugin`` with a hook that runs first in `observe`, to watch or slow it down.
private struct HookedPlugin: IndicatorPlugin {
    static let name = "hooked"
    static let summary = "Reads fields of a JSON document after running a hook (tests)."
    var fields: FieldsPlugin
    var hook: @Sendable () -> Void

    static func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> HookedPlugin? {
        FieldsPlugin.configure(config, setup: setup, issues: issues).map { HookedPlugin(fields: $0, hook: {}) }
    }

    func requests(for period: Period, context: PluginContext) throws -> [FeedRequest] {
        try fields.requests(for: period, context: context)
    }

    func observe(period: Period, responses: FeedResponses, context: PluginContext) throws -> Observation {
        hook()
        return try fields.observe(period: period, responses: responses, context: context)
    }
}

/// When the slow plugin started and returned, and what had been reported meanwhile.
private final class SlowPluginWatch: @unchecked Sendable {
    // @unchecked: every property is only touched with `lock` held.
    private let lock = NSLock()
    private var started: ContinuousClock.Instant?
    private var returned: ContinuousClock.Instant?
    private var othersReportedBeforeReturn = 0
    private var othersReportedAfterReturn = 0

    func pluginStarted() { lock.withLock { started = .now } }
    func pluginReturned() { lock.withLock { returned = .now } }

    func reported(_ indicator: String) {
        guard indicator != "slow" else { return }
        lock.withLock {
            if returned == nil { othersReportedBeforeReturn += 1 } else { othersReportedAfterReturn += 1 }
        }
    }

    var slept: Duration? { lock.withLock { started.flatMap { start in returned.map { start.duration(to: $0) } } } }
    var counts: (before: Int, after: Int) { lock.withLock { (othersReportedBeforeReturn, othersReportedAfterReturn) } }
}

/// Answers `{"value": <n>}` (n from the URL's `?n=`) from one serial queue, its "transfer
/// thread", marking the thread while a completion runs so a plugin can tell it ran there.
private struct TransferThreadFetcher: FeedFetching {
    private static let transfers = DispatchQueue(label: "pioneer.test.transfer")
    private static let marker = "pioneer.test.inside-completion"

    static var isInsideCompletion: Bool { Thread.current.threadDictionary[marker] != nil }

    func fetch(_ request: FeedFetchRequest) async -> Result<FeedFetchResult, FeedError> {
        await withCheckedContinuation { continuation in
            _ = start(request) { continuation.resume(returning: $0) }
        }
    }

    func start(_ request: FeedFetchRequest,
               completion: @escaping @Sendable (Result<FeedFetchResult, FeedError>) -> Void) -> @Sendable () -> Void {
        let n = request.url.split(separator: "=").last.map(String.init) ?? "0"
        Self.transfers.async {
            Thread.current.threadDictionary[Self.marker] = true
            defer { Thread.current.threadDictionary[Self.marker] = nil }
            completion(.success(FeedFetchResult(
                url: request.url, status: 200, headers: [:], body: Data(#"{"value": \#(n)}"#.utf8), notModified: false,
                validators: CacheValidators(etag: nil, lastModified: nil), attempts: 1, fetchedAt: Date(), elapsed: 0)))
        }
        return {}
    }
}

@Suite(.timeLimit(.minutes(5)))
struct PluginWorkerTests {
    @Test func aPluginSleepingTwoSecondsDelaysOnlyItsOwnIndicatorWhileTwoHundredOtherFeedsAreFetchedAndStored() async throws {
        let others = 200
        let feed = LocalFeedServer()
        feed.serve("/slow", .json(#"{"value": 1}"#))
        for index in 1...others { feed.serve("/v/\(index)", .json(#"{"value": \#(index)}"#)) }
        try await TestSite.withStore { store, folder in
            let watch = SlowPluginWatch()
            try await feed.run { _ in
                // The slow indicator comes first, so its feed is fetched and its plugin started first.
                let slow = TestSite.indicator("slow", path: "/slow")
                let hooked = HookedPlugin(fields: FieldsPlugin(feed: "bi", path: "/slow")) {
                    watch.pluginStarted()
                    Thread.sleep(forTimeInterval: 2)
                    // On a loaded machine 200 fetches may take longer than two seconds: go on
                    // sleeping until they are all reported (or 90 s pass). An engine that made
                    // them wait for this plugin would never report them, and the test fails.
                    let deadline = ContinuousClock.now + .seconds(90)
                    while watch.counts.before < others, ContinuousClock.now < deadline {
                        Thread.sleep(forTimeInterval: 0.01)
                    }
                    watch.pluginReturned()
                }
                let (site, plugins) = TestSite.site(baseURL: feed.baseURL, [(slow.0, hooked)]
                    + (1...others).map { TestSite.indicator("i\($0)", path: "/v/\($0)") })
                let engine = CollectionEngine(store: store, fetcher: FeedClient(environment: [:]),
                                              options: .init(maxParallel: 8, today: TestSite.julyFirst, command: "test"))
                let summary = try await engine.collect(site: site, plugins: plugins, periods: PeriodSelection(.month(2026, 5)),
                                                       onEvent: { event in
                                                           if case .completed(_, let result) = event { watch.reported(result.indicator) }
                                                       })
                #expect(summary.counts == RunCounts(collected: others + 1))
                #expect(try store.measureCount() == others + 1)
                let slept = try #require(watch.slept)
                #expect(slept >= .seconds(2))
                // Fetched, computed, committed and reported, all while the slow plugin slept.
                #expect(watch.counts.before == others, "\(watch.counts)")
                #expect(watch.counts.after == 0)
                #expect(feed.totalRequests == others + 1)
            }
        }
    }

    @Test func noPluginRunsInsideAFetchCompletionOnTheTransferThread() async throws {
        try await TestSite.withStore { store, folder in
            let inside = LineSink()
            let count = 40
            let indicators = (1...count).map { index -> (IndicatorSpec, any IndicatorPlugin) in
                let (spec, _) = TestSite.indicator("i\(index)", path: "/v?n=\(index)")
                return (spec, HookedPlugin(fields: FieldsPlugin(feed: "bi", path: "/v?n=\(index)")) {
                    inside.append(TransferThreadFetcher.isInsideCompletion ? "inside\n" : "outside\n")
                })
            }
            let (site, plugins) = TestSite.site(baseURL: "http://127.0.0.1:9", indicators)
            let engine = CollectionEngine(store: store, fetcher: TransferThreadFetcher(),
                                          options: .init(maxParallel: 4, pluginWorkers: 3, today: TestSite.julyFirst,
                                                         command: "test"))
            let summary = try await engine.collect(site: site, plugins: plugins, periods: PeriodSelection(.month(2026, 5)))
            #expect(summary.counts == RunCounts(collected: count))
            // The marker itself works: a completion sees it.
            let (marked, sink) = AsyncStream.makeStream(of: Bool.self)
            let probe = FeedFetchRequest(feed: site.feeds[0], url: "http://127.0.0.1:9/v?n=0")
            _ = TransferThreadFetcher().start(probe) { _ in
                sink.yield(TransferThreadFetcher.isInsideCompletion)
                sink.finish()
            }
            var markerSeen: [Bool] = []
            for await seen in marked { markerSeen.append(seen) }
            #expect(markerSeen == [true])
            let seen = inside.text.split(separator: "\n")
            #expect(seen.count == count)
            #expect(Set(seen) == ["outside"], "a plugin ran inside a fetch's completion, on the transfer thread")
        }
    }

    #if os(Linux)
    /// Workers are batch work, so handing a response over does not preempt the thread that
    /// hands it (libcurl's); a program a plugin starts is batch work too.
    @Test func pluginsAndTheProgramsTheyStartRunAsBatchWork() async throws {
        try await TestSite.withStore { store, folder in
            let seen = LineSink()
            let (spec, _) = TestSite.indicator("i1", path: "/v?n=1")
            let plugin = HookedPlugin(fields: FieldsPlugin(feed: "bi", path: "/v?n=1")) {
                seen.append("worker \(sched_getscheduler(0))\n")
                // The child's policy, from the kernel's own account of it.
                let child = Process()
                child.executableURL = URL(fileURLWithPath: "/bin/sh")
                child.arguments = ["-c", "grep '^policy' /proc/self/sched | tr -d ' '"]
                let output = Pipe()
                child.standardOutput = output
                do {
                    let started = try StartedProcess.start(child)
                    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    _ = started.exitBlocking(within: 30)
                    seen.append("child \(text.trimmingCharacters(in: .whitespacesAndNewlines))\n")
                } catch {
                    seen.append("child failed: \(error)\n")
                }
            }
            let (site, plugins) = TestSite.site(baseURL: "http://127.0.0.1:9", [(spec, plugin)])
            let engine = CollectionEngine(store: store, fetcher: TransferThreadFetcher(),
                                          options: .init(maxParallel: 1, pluginWorkers: 1, today: TestSite.julyFirst,
                                                         command: "test"))
            let summary = try await engine.collect(site: site, plugins: plugins, periods: PeriodSelection(.month(2026, 5)))
            #expect(summary.counts == RunCounts(collected: 1))
            // SCHED_BATCH is 3.
            #expect(seen.text == "worker 3\nchild policy:3\n")
        }
    }
    #endif
}
