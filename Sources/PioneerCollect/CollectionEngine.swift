// The collection engine: plan a site's indicator-periods, fetch each distinct URL
// once, hand the responses to the plugins, check and store what they observe.
import Foundation
public import Logging
public import PioneerCore
public import PioneerKit
public import PioneerStore
import PioneerFeeds
public import PioneerConfig

/// Collects a site's measures for a range of periods into a ``MeasureStore``.
///
/// For every indicator and every period of its type in the range, the engine asks
/// the plugin which feed requests it needs, resolves their URLs, and fetches each
/// distinct URL once per run even when several indicators share it. Fetches run
/// concurrently (at most ``Options/maxParallel`` at a time, earlier periods first);
/// as soon as an indicator-period has all its responses the plugin computes the
/// observation, which is checked (``ObservationCheck``) and stored in its own
/// transaction. A run that is killed keeps everything committed until then.
///
/// Failures stay local: a feed that is down, a plugin that throws or an invalid
/// observation fails that indicator-period only, is reported in the summary with
/// the reason, and stores nothing, so an earlier good value is never replaced by
/// "feed down". Only "not available" observations that a plugin returns
/// (suppressed, no data) are stored. Periods that have not ended are skipped.
///
/// A body whose response carried an `ETag` or `Last-Modified` is cached in the
/// store; the next run asks "changed since?" and, on `304 Not Modified`, hands the
/// plugin the cached body.
public final class CollectionEngine: Sendable {
    /// How a run behaves.
    public struct Options: Sendable {
        /// Fetches in flight at once.
        public var maxParallel: Int
        /// Periods ending on or after this date are not yet due.
        public var today: CalendarDate
        /// The command line recorded with the run.
        public var command: String

        public init(maxParallel: Int = 8, today: CalendarDate = .today(), command: String = "pioneer collect") {
            self.maxParallel = max(1, maxParallel)
            self.today = today
            self.command = command
        }
    }

    private let store: MeasureStore
    private let fetcher: any FeedFetching
    private let options: Options
    private let logger: Logger

    public init(store: MeasureStore, fetcher: any FeedFetching, options: Options = Options(),
                logger: Logger = Logger(label: "pioneer.collect")) {
        self.store = store
        self.fetcher = fetcher
        self.options = options
        self.logger = logger
    }

    /// Collects `site`'s indicators for `periods`.
    ///
    /// - Parameters:
    ///   - plugins: configured plugins by indicator id, as the site loader returns them.
    ///   - onEvent: progress, called from the collecting task.
    /// - Returns: what happened to every indicator-period.
    /// - Throws: ``StoreError`` only when the run cannot be started or closed in the store.
    public func collect(site: Site, plugins: [String: any IndicatorPlugin], periods: PeriodSelection,
                        onEvent: (@Sendable (CollectionEvent) -> Void)? = nil) async throws(StoreError) -> CollectionSummary {
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        let runID = try store.beginRun(site: site.id, command: options.command, periods: periods.description, at: startedAt)
        var log = logger
        log[metadataKey: "site"] = "\(site.id)"
        log[metadataKey: "run"] = "\(runID)"

        let plan = CollectionPlan(site: site, plugins: plugins, periods: periods, today: options.today, store: store, logger: log)
        onEvent?(.planned(site: site.id, total: plan.total, urls: plan.jobs.count))
        var run = RunState(site: site, runID: runID, total: plan.total, store: store, logger: log, onEvent: onEvent)
        run.fetches.distinctURLs = plan.jobs.count
        for (sequence, result) in plan.settled {
            run.finish(sequence: sequence, result: result)
        }
        await fetchAndObserve(plan, run: &run)

        let counts = run.counts
        try store.finishRun(runID, counts: counts)
        let elapsed = start.duration(to: clock.now)
        return CollectionSummary(
            site: site.id, runID: runID, store: store.path, periods: periods.description, startedAt: startedAt,
            elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            counts: counts, fetches: run.fetches, indicators: run.indicatorSummaries())
    }

    /// Runs the fetches in a sliding window and completes each item when its last response arrives.
    private func fetchAndObserve(_ plan: CollectionPlan, run: inout RunState) async {
        var waiting: [FetchKey: [Int]] = [:]
        var remaining: [Int] = []
        for (index, item) in plan.items.enumerated() {
            let keys = item.keys
            remaining.append(keys.count)
            for key in keys { waiting[key, default: []].append(index) }
        }
        var responses: [FetchKey: Result<FetchedBody, FetchFailure>] = [:]
        for (index, item) in plan.items.enumerated() where remaining[index] == 0 {
            run.finish(sequence: item.sequence, result: complete(item, responses: responses, run: run))
        }

        let jobs = plan.jobs
        let fetcher = self.fetcher
        await withTaskGroup(of: (Int, Result<FeedFetchResult, FeedError>).self) { group in
            var next = 0
            func startNext() {
                guard next < jobs.count else { return }
                let index = next, request = jobs[index].request
                next += 1
                run.fetchStarted(jobs[index].key)
                group.addTask { (index, await fetcher.fetch(request)) }
            }
            for _ in 0..<min(options.maxParallel, jobs.count) { startNext() }
            for await (index, result) in group {
                let job = jobs[index]
                let body = received(result, job: job, run: &run)
                responses[job.key] = body
                for itemIndex in waiting[job.key] ?? [] {
                    remaining[itemIndex] -= 1
                    if remaining[itemIndex] == 0 {
                        let item = plan.items[itemIndex]
                        run.finish(sequence: item.sequence, result: complete(item, responses: responses, run: run))
                    }
                }
                startNext()
            }
        }
    }

    /// Turns a fetch result into a body for the plugins, using and updating the feed cache.
    private func received(_ result: Result<FeedFetchResult, FeedError>, job: FetchJob,
                          run: inout RunState) -> Result<FetchedBody, FetchFailure> {
        let shownURL = FeedURL.redact(job.key.url)
        switch result {
        case .failure(let error):
            run.fetchFinished(job.key, notModified: false, error: error.description)
            return .failure(FetchFailure(message: error.description))
        case .success(let fetched) where fetched.notModified:
            guard let cached = job.cached else {
                let message = "feed \"\(job.key.feed)\": GET \(shownURL) answered 304 Not Modified, but no cached copy is held"
                run.fetchFinished(job.key, notModified: true, error: message)
                return .failure(FetchFailure(message: message))
            }
            run.fetchFinished(job.key, notModified: true, error: nil)
            return .success(FetchedBody(url: shownURL, status: cached.status, wireStatus: fetched.status,
                                        headers: fetched.headers, body: cached.body,
                                        contentHash: cached.contentHash, fetchedAt: fetched.fetchedAt))
        case .success(let fetched):
            run.fetchFinished(job.key, notModified: false, error: nil)
            let body = FetchedBody(url: shownURL, status: fetched.status, wireStatus: fetched.status,
                                   headers: fetched.headers, body: fetched.body,
                                   contentHash: "sha256:" + SHA256.hex(of: fetched.body), fetchedAt: fetched.fetchedAt)
            do {
                if !fetched.validators.isEmpty {
                    try store.saveFeedBody(CachedFeedBody(
                        feed: job.key.feed, url: shownURL, etag: fetched.validators.etag,
                        lastModified: fetched.validators.lastModified, status: fetched.status,
                        contentHash: body.contentHash, body: fetched.body, fetchedAt: fetched.fetchedAt))
                } else if job.cached != nil {
                    try store.removeFeedBody(feed: job.key.feed, url: shownURL)
                }
            } catch {
                run.logger.warning("cannot update the feed cache", metadata: ["url": "\(shownURL)", "error": "\(error)"])
            }
            return .success(body)
        }
    }

    /// Computes, checks and stores one indicator-period whose responses have all arrived.
    private func complete(_ item: WorkItem, responses: [FetchKey: Result<FetchedBody, FetchFailure>],
                          run: RunState) -> PeriodResult {
        let definition = item.spec.definition
        func result(_ outcome: RunOutcomeKind, _ reason: String?, value: Double? = nil) -> PeriodResult {
            PeriodResult(indicator: definition.id, period: item.period.label, outcome: outcome, reason: reason,
                         value: value, formatted: value.map(definition.format))
        }

        var feedResponses: [FeedResponse] = []
        var sources: [FeedSource] = []
        var failures: [String] = []
        for (request, key) in item.requests {
            switch responses[key] {
            case .success(let body):
                feedResponses.append(FeedResponse(key: request.key, feed: key.feed, url: body.url, status: body.status,
                                                  headers: body.headers, body: body.body, fetchedAt: body.fetchedAt,
                                                  contentHash: body.contentHash))
                if !sources.contains(where: { $0.feed == key.feed && $0.url == body.url }) {
                    sources.append(FeedSource(feed: key.feed, url: body.url, fetchedAt: body.fetchedAt,
                                              contentHash: body.contentHash, status: body.wireStatus))
                }
            case .failure(let failure):
                if !failures.contains(failure.message) { failures.append(failure.message) }
            case nil:
                failures.append("feed \"\(key.feed)\": \(FeedURL.redact(key.url)) was never fetched")
            }
        }
        guard failures.isEmpty else {
            return result(.failed, failures.joined(separator: "; "))
        }

        let context = PluginContext(site: run.site.info, indicator: definition, logger: run.logger)
        let observation: Observation
        do {
            observation = try item.plugin.observe(period: item.period, responses: FeedResponses(feedResponses), context: context)
        } catch {
            return result(.failed, CollectionPlan.pluginMessage(error, plugin: item.spec.plugin))
        }
        let problems = ObservationCheck.problems(observation, for: definition)
        guard problems.isEmpty else {
            return result(.failed, "plugin `\(item.spec.plugin)` returned an invalid observation: " + problems.joined(separator: "; "))
        }

        let measure = Measure(indicatorID: definition.id, period: item.period, observation: observation,
                              provenance: Provenance(plugin: item.spec.plugin, sources: sources, collectedAt: Date()))
        do {
            let outcome = try store.record(measure, site: run.site.id, runID: run.runID)
            if let missing = observation.notAvailable {
                return result(.notAvailable, missing.description)
            }
            return result(outcome.isUnchanged ? .unchanged : .collected, nil, value: observation.value)
        } catch {
            return result(.failed, "could not store the measure: \(error)")
        }
    }
}

/// A response body ready for plugins, with what provenance records about it.
struct FetchedBody: Sendable {
    var url: String
    /// The status of the response that carried the body (200 even when revalidated).
    var status: Int
    /// The status on the wire this run: 304 when the cached body was confirmed.
    var wireStatus: Int
    var headers: [String: String]
    var body: Data
    var contentHash: String
    var fetchedAt: Date
}

/// Why a URL gave no body.
struct FetchFailure: Error, Sendable {
    var message: String
}

extension CollectionEngine {
    /// Collects a loaded site: its site and configured plugins.
    public func collect(_ loaded: LoadedSite, periods: PeriodSelection,
                        onEvent: (@Sendable (CollectionEvent) -> Void)? = nil) async throws(StoreError) -> CollectionSummary {
        try await collect(site: loaded.site, plugins: loaded.plugins, periods: periods, onEvent: onEvent)
    }
}
