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
/// concurrently (earlier periods first): the engine keeps ``Options/queueDepth``
/// requests with the fetcher, whose own limit (for a ``FeedClient``, its
/// ``FeedClientLimits``, which `pioneer collect` sets to `--max-parallel`) bounds the
/// transfers actually on the wire, so the next one starts without waiting for the engine;
/// as soon as an indicator-period has all its responses the plugin computes the
/// observation, which is checked (``ObservationCheck``) and stored: each
/// indicator-period in its own savepoint, committed in batches (every 25 ms or 256
/// indicator-periods) and reported only once committed. A run that is killed keeps
/// everything committed until then and nothing half-written.
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
        /// Fetches in flight at once; give the fetcher the same limit.
        public var maxParallel: Int
        /// Requests handed to the fetcher ahead of time: four per parallel fetch, so the
        /// fetcher always has the next one queued while the engine computes and stores.
        public var queueDepth: Int { maxParallel * 4 }
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
        var run = RunState(site: site, runID: runID, total: plan.total, logger: log, onEvent: onEvent)
        run.fetches.distinctURLs = plan.jobs.count
        await fetchAndObserve(plan, run: &run)

        let counts = run.counts
        try store.finishRun(runID, counts: counts)
        let elapsed = start.duration(to: clock.now)
        return CollectionSummary(
            site: site.id, runID: runID, store: store.path, periods: periods.description, startedAt: startedAt,
            elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            counts: counts, fetches: run.fetches, indicators: run.indicatorSummaries())
    }

    /// Indicator-periods waiting in memory for their batch to be committed: at most this many...
    static let batchLimit = 256
    /// ...or for this long after the first of them was computed.
    static let commitInterval = Duration.milliseconds(25)

    /// What wakes the run loop: a fetch that ended, or the commit timer.
    private enum Arrival: Sendable {
        case fetched(Int, Result<FeedFetchResult, FeedError>)
        case commitDue
        /// The batch being written in the background is committed (or has failed).
        case committed(Result<[Result<RecordOutcome?, StoreError>], StoreError>)
    }

    /// Runs the fetches through a window of ``Options/queueDepth``, completes each item when its last response
    /// arrives, and commits completed items in batches (see ``WriteBatch``).
    private func fetchAndObserve(_ plan: CollectionPlan, run: inout RunState) async {
        var batch = WriteBatch()
        for (sequence, result) in plan.settled {
            batch.add(result, sequence: sequence)
        }

        // By job index: the items waiting for it, and how many have yet to complete (so a
        // body is dropped as soon as no item needs it); by item index: fetches still awaited.
        var waiting = Array(repeating: [Int](), count: plan.jobs.count)
        var remaining: [Int] = []
        for (index, item) in plan.items.enumerated() {
            remaining.append(item.jobs.count)
            for job in item.jobs { waiting[job].append(index) }
        }
        var usersLeft = waiting.map(\.count)
        var responses = [Result<FetchedBody, FetchFailure>?](repeating: nil, count: plan.jobs.count)
        for (index, item) in plan.items.enumerated() where remaining[index] == 0 {
            batch.add(complete(item, responses: responses, run: run), sequence: item.sequence)
        }
        flush(&batch, run: &run)

        let jobs = plan.jobs
        guard !jobs.isEmpty else { return }
        let fetcher = self.fetcher
        // Fetch results arrive from the fetcher's own thread into one stream, with the
        // commit timer's ticks: no task per request, and results that arrive while this
        // loop is busy are taken in one go rather than one wake-up each.
        let (arrivals, sink) = AsyncStream.makeStream(of: Arrival.self)
        let cancels = Locked<[Int: @Sendable () -> Void]>([:])
        var next = 0
        var finished = 0
        var commitTimer: Task<Void, Never>?
        // One batch at a time is written on the store's own queue while this loop goes on
        // computing the next; results are reported once their batch is committed.
        var committing: WriteBatch?
        let store = self.store
        let site = run.site.id, runID = run.runID
        func startCommit() {
            guard committing == nil, !batch.isEmpty else { return }
            let pending = batch
            batch = WriteBatch()
            committing = pending
            commitTimer?.cancel()
            commitTimer = nil
            store.recordInBackground(pending.writes, site: site, runID: runID) { written in
                sink.yield(.committed(written))
            }
        }
        func startNext() {
            guard next < jobs.count else { return }
            let index = next, request = jobs[index].request
            next += 1
            run.fetchStarted(jobs[index])
            if Task.isCancelled {
                sink.yield(.fetched(index, .failure(FeedError(feed: request.feed.name, url: jobs[index].shownURL,
                                                              attempts: 0, cause: .cancelled))))
                return
            }
            let cancel = fetcher.start(request) { result in
                sink.yield(.fetched(index, result))
            }
            cancels.withLock { $0[index] = cancel }
        }
        await withTaskCancellationHandler {
            for _ in 0..<min(options.queueDepth, jobs.count) { startNext() }
            for await arrival in arrivals {
                switch arrival {
                case .commitDue:
                    commitTimer = nil
                    startCommit()
                case .committed(let written):
                    if let pending = committing {
                        committing = nil
                        report(pending, written: written.mapError { $0 }, run: &run)
                    }
                    // Group commit: what gathered meanwhile goes next.
                    startCommit()
                case .fetched(let index, let result):
                    finished += 1
                    cancels.withLock { $0[index] = nil }
                    let job = jobs[index]
                    let body = received(result, job: job, batch: &batch, run: &run)
                    responses[index] = body
                    for itemIndex in waiting[index] {
                        remaining[itemIndex] -= 1
                        guard remaining[itemIndex] == 0 else { continue }
                        let item = plan.items[itemIndex]
                        batch.add(complete(item, responses: responses, run: run), sequence: item.sequence)
                        for job in item.jobs {
                            usersLeft[job] -= 1
                            if usersLeft[job] == 0 { responses[job] = nil }
                        }
                    }
                    startNext()
                    if batch.count >= Self.batchLimit || finished == jobs.count {
                        startCommit()
                    } else if !batch.isEmpty, commitTimer == nil, committing == nil {
                        commitTimer = Task {
                            try? await Task.sleep(for: Self.commitInterval)
                            sink.yield(.commitDue)
                        }
                    }
                }
                if finished == jobs.count, committing == nil {
                    if batch.isEmpty { break }
                    startCommit()
                }
            }
        } onCancel: {
            // Each cancelled fetch still reports (as a failure), so the loop ends normally.
            for cancel in cancels.withLock({ Array($0.values) }) { cancel() }
        }
        commitTimer?.cancel()
        sink.finish()
        flush(&batch, run: &run)
    }

    /// Commits `batch` in one transaction (each entry in its own savepoint), then reports
    /// its indicator-periods, so nothing is reported done before it is on disk.
    private func flush(_ batch: inout WriteBatch, run: inout RunState) {
        guard !batch.isEmpty else { return }
        let pending = batch
        batch = WriteBatch()
        let written: Result<[Result<RecordOutcome?, StoreError>], StoreError>
        do {
            written = .success(try store.record(pending.writes, site: run.site.id, runID: run.runID))
        } catch {
            written = .failure(error)
        }
        report(pending, written: written, run: &run)
    }

    /// Reports a written batch's indicator-periods: a measure the store refused becomes a failure.
    private func report(_ pending: WriteBatch, written result: Result<[Result<RecordOutcome?, StoreError>], StoreError>,
                        run: inout RunState) {
        let written: [Result<RecordOutcome?, StoreError>]
        switch result {
        case .success(let results) where results.count == pending.writes.count:
            written = results
        case .success:
            written = Array(repeating: .failure(StoreError(.other, path: store.path, "the batch was not written")),
                            count: pending.writes.count)
        case .failure(let error):
            written = Array(repeating: .failure(error), count: pending.writes.count)
        }
        var unrecorded: [StoreWrite] = []
        for (index, write) in pending.writes.enumerated() {
            guard case .failure(let error) = written[index] else { continue }
            switch write {
            case .cacheFeedBody(let entry):
                run.logger.warning("cannot update the feed cache", metadata: ["url": "\(entry.url)", "error": "\(error)"])
            case .forgetFeedBody(_, let url):
                run.logger.warning("cannot update the feed cache", metadata: ["url": "\(url)", "error": "\(error)"])
            case .outcome, .measure:
                break
            }
        }
        for entry in pending.entries {
            var result = entry.result
            if let writeIndex = entry.writeIndex {
                switch written[writeIndex] {
                case .success(let outcome):
                    if let outcome, outcome.isUnchanged, result.outcome == .collected { result.outcome = .unchanged }
                case .failure(let error):
                    if case .measure = pending.writes[writeIndex] {
                        result = PeriodResult(indicator: result.indicator, period: result.period, outcome: .failed,
                                              reason: "could not store the measure: \(error)")
                        unrecorded.append(.outcome(indicator: result.indicator, period: result.period,
                                                   kind: .failed, reason: result.reason))
                    } else {
                        run.logger.warning("cannot record the outcome in the store", metadata: ["error": "\(error)"])
                    }
                }
            }
            run.finish(sequence: entry.sequence, result: result)
        }
        // Measures the store refused still get their failure on the run's record, if it can take it.
        if !unrecorded.isEmpty {
            let results = (try? store.record(unrecorded, site: run.site.id, runID: run.runID)) ?? []
            if results.count != unrecorded.count || results.contains(where: { if case .failure = $0 { true } else { false } }) {
                run.logger.warning("cannot record the outcome in the store", metadata: ["count": "\(unrecorded.count)"])
            }
        }
    }

    /// Turns a fetch result into a body for the plugins, using and updating the feed cache.
    private func received(_ result: Result<FeedFetchResult, FeedError>, job: FetchJob, batch: inout WriteBatch,
                          run: inout RunState) -> Result<FetchedBody, FetchFailure> {
        let shownURL = job.shownURL
        switch result {
        case .failure(let error):
            run.fetchFinished(job, notModified: false, error: error.description)
            return .failure(FetchFailure(message: error.description))
        case .success(let fetched) where fetched.notModified:
            guard let cached = job.cached else {
                let message = "feed \"\(job.key.feed)\": GET \(shownURL) answered 304 Not Modified, but no cached copy is held"
                run.fetchFinished(job, notModified: true, error: message)
                return .failure(FetchFailure(message: message))
            }
            run.fetchFinished(job, notModified: true, error: nil)
            return .success(FetchedBody(url: shownURL, status: cached.status, wireStatus: fetched.status,
                                        headers: fetched.headers, body: cached.body,
                                        contentHash: cached.contentHash, fetchedAt: fetched.fetchedAt))
        case .success(let fetched):
            run.fetchFinished(job, notModified: false, error: nil)
            let body = FetchedBody(url: shownURL, status: fetched.status, wireStatus: fetched.status,
                                   headers: fetched.headers, body: fetched.body,
                                   contentHash: "sha256:" + SHA256.hex(of: fetched.body), fetchedAt: fetched.fetchedAt)
            if !fetched.validators.isEmpty {
                batch.add(.cacheFeedBody(CachedFeedBody(
                    feed: job.key.feed, url: shownURL, etag: fetched.validators.etag,
                    lastModified: fetched.validators.lastModified, status: fetched.status,
                    contentHash: body.contentHash, body: fetched.body, fetchedAt: fetched.fetchedAt)))
            } else if job.cached != nil {
                batch.add(.forgetFeedBody(feed: job.key.feed, url: shownURL))
            }
            return .success(body)
        }
    }

    /// Computes and checks one indicator-period whose responses have all arrived: a
    /// measure to store, or the reason it failed.
    private func complete(_ item: WorkItem, responses: [Result<FetchedBody, FetchFailure>?],
                          run: RunState) -> Completion {
        let definition = item.spec.definition
        func result(_ outcome: RunOutcomeKind, _ reason: String?, value: Double? = nil) -> PeriodResult {
            PeriodResult(indicator: definition.id, period: item.period.label, outcome: outcome, reason: reason,
                         value: value, formatted: value.map(definition.format))
        }
        func failed(_ reason: String) -> Completion {
            .settled(result(.failed, reason))
        }

        var feedResponses: [FeedResponse] = []
        var sources: [FeedSource] = []
        var failures: [String] = []
        for (request, key, job) in item.requests {
            switch responses[job] {
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
            return failed(failures.joined(separator: "; "))
        }

        let context = PluginContext(site: run.site.info, indicator: definition, logger: run.logger)
        let observation: Observation
        do {
            observation = try item.plugin.observe(period: item.period, responses: FeedResponses(feedResponses), context: context)
        } catch {
            return failed(CollectionPlan.pluginMessage(error, plugin: item.spec.plugin))
        }
        let problems = ObservationCheck.problems(observation, for: definition)
        guard problems.isEmpty else {
            return failed("plugin `\(item.spec.plugin)` returned an invalid observation: " + problems.joined(separator: "; "))
        }

        let measure = Measure(indicatorID: definition.id, period: item.period, observation: observation,
                              provenance: Provenance(plugin: item.spec.plugin, sources: sources, collectedAt: Date()))
        if let missing = observation.notAvailable {
            return .store(measure, result(.notAvailable, missing.description))
        }
        // Collected, or unchanged once the store has compared it with the current value.
        return .store(measure, result(.collected, nil, value: observation.value))
    }
}

/// What computing an indicator-period came to.
enum Completion {
    /// Nothing to store: failed or skipped, with the reason (written to the run's record).
    case settled(PeriodResult)
    /// A measure to store, and the result to report once it is.
    case store(Measure, PeriodResult)
}

/// Indicator-periods computed since the last commit, and the writes that record them.
struct WriteBatch: Sendable {
    struct Entry: Sendable {
        var sequence: Int
        var result: PeriodResult
        /// Its write in ``writes``; nil when there is nothing to record (never, today).
        var writeIndex: Int?
    }

    private(set) var writes: [StoreWrite] = []
    private(set) var entries: [Entry] = []

    /// Indicator-periods waiting.
    var count: Int { entries.count }
    var isEmpty: Bool { writes.isEmpty }

    mutating func add(_ completion: Completion, sequence: Int) {
        switch completion {
        case .settled(let result):
            add(result, sequence: sequence)
        case .store(let measure, let result):
            entries.append(Entry(sequence: sequence, result: result, writeIndex: writes.count))
            writes.append(.measure(measure))
        }
    }

    /// A result that stores no measure; failed and skipped ones are written to the run's record.
    mutating func add(_ result: PeriodResult, sequence: Int) {
        entries.append(Entry(sequence: sequence, result: result, writeIndex: writes.count))
        writes.append(.outcome(indicator: result.indicator, period: result.period, kind: result.outcome, reason: result.reason))
    }

    /// A feed cache update, committed with the batch.
    mutating func add(_ write: StoreWrite) {
        writes.append(write)
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
