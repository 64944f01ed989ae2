// The collection engine: plan a site's indicator-periods, fetch each distinct URL
// once, hand the responses to the plugins, check and store what they observe.
import Foundation
public import Logging
public import PioneerCore
public import PioneerKit
public import PioneerStore
import PioneerFeeds
import PioneerExtraction
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
/// (suppressed, no data) are stored. Periods that are not yet due (not ended, or
/// within the indicator's `due_after` lag) are skipped.
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
        /// The day the run counts as: a period is due once today reaches its due date
        /// (``IndicatorDefinition/dueDate(of:)``); tests fix it.
        public var today: CalendarDate
        /// The command line recorded with the run.
        public var command: String

        public init(maxParallel: Int = 8, today: CalendarDate = .today(), command: String = "pioneer collect") {
            self.maxParallel = max(1, maxParallel)
            self.today = today
            self.command = command
        }
    }

    fileprivate let store: MeasureStore
    fileprivate let fetcher: any FeedFetching
    fileprivate let options: Options
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
    /// Cancelling the calling task interrupts the run: fetches in flight are cancelled,
    /// no new one starts, what was computed is committed, and the run is recorded as
    /// interrupted (``CollectionSummary/interrupted``).
    ///
    /// - Parameters:
    ///   - plugins: configured plugins by indicator id, as the site loader returns them.
    ///   - indicators: only these indicator ids; every indicator of the site when nil.
    ///   - onEvent: progress, called from whichever thread finished the work (libcurl's
    ///     for fetches, the store's for completed indicator-periods), one call at a time.
    /// - Returns: what happened to every indicator-period.
    /// - Throws: ``StoreError`` only when the run cannot be started or closed in the store.
    public func collect(site: Site, plugins: [String: any IndicatorPlugin], periods: PeriodSelection,
                        indicators: Set<String>? = nil,
                        onEvent: (@Sendable (CollectionEvent) -> Void)? = nil) async throws(StoreError) -> CollectionSummary {
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        let runID = try store.beginRun(site: site.id, command: options.command, periods: periods.description, at: startedAt)
        var log = logger
        log[metadataKey: "site"] = "\(site.id)"
        log[metadataKey: "run"] = "\(runID)"

        let plan = CollectionPlan(site: site, plugins: plugins, periods: periods, indicators: indicators,
                                  today: options.today, store: store, logger: log)
        onEvent?(.planned(site: site.id, total: plan.total, urls: plan.jobs.count))
        var run = RunState(site: site, runID: runID, total: plan.total, indicators: indicators, logger: log, onEvent: onEvent)
        run.fetches.distinctURLs = plan.jobs.count
        await fetchAndObserve(plan, run: &run)

        let counts = run.counts
        let interrupted = Task.isCancelled
        try store.finishRun(runID, counts: counts, interrupted: interrupted)
        let elapsed = start.duration(to: clock.now)
        return CollectionSummary(
            site: site.id, runID: runID, store: store.path, periods: periods.description, startedAt: startedAt,
            elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            counts: counts, fetches: run.fetches, indicators: run.indicatorSummaries(), interrupted: interrupted)
    }

    /// Indicator-periods waiting in memory for their batch to be committed: at most this many...
    static let batchLimit = 256
    /// ...or for this long after the first of them was computed.
    static let commitInterval = Duration.milliseconds(25)

    /// Runs the plan's fetches and computes, checks and commits its indicator-periods (see ``ActiveRun``).
    private func fetchAndObserve(_ plan: CollectionPlan, run: inout RunState) async {
        let active = ActiveRun(engine: self, plan: plan, run: run)
        run = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                active.start(continuation)
            }
        } onCancel: {
            active.cancel()
        }
    }

    /// Reports a written batch's indicator-periods: a measure the store refused becomes a
    /// failure. Returns the outcome rows those failures still need (for the next batch).
    fileprivate func report(_ pending: WriteBatch, written result: Result<[Result<RecordOutcome?, StoreError>], StoreError>,
                            run: inout RunState) -> [StoreWrite] {
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
            case .outcome(let indicator, let period, _, _) where !pending.hasEntry(writeIndex: index):
                run.logger.warning("cannot record the outcome in the store",
                                   metadata: ["indicator": "\(indicator)", "period": "\(period)", "error": "\(error)"])
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
                        // Its outcome row was rolled back with it; the failure still goes on record.
                        unrecorded.append(.outcome(indicator: result.indicator, period: result.period,
                                                   kind: .failed, reason: result.reason))
                    } else {
                        run.logger.warning("cannot record the outcome in the store", metadata: ["error": "\(error)"])
                    }
                }
            }
            run.finish(sequence: entry.sequence, result: result)
        }
        return unrecorded
    }

    /// Turns a fetch result into a body for the plugins, using and updating the feed cache.
    fileprivate func received(_ result: Result<FeedFetchResult, FeedError>, job: FetchJob, batch: inout WriteBatch,
                          run: inout RunState) -> Result<FetchedBody, FetchFailure> {
        let shownURL = job.shownURL
        switch result {
        case .failure(let error):
            let cancelled = error.cause == .cancelled
            run.fetchFinished(job, notModified: false, error: error.description, cancelled: cancelled)
            return .failure(FetchFailure(message: error.description, cancelled: cancelled))
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
                                   contentHash: ContentHash.of(fetched.body), fetchedAt: fetched.fetchedAt)
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
    fileprivate func complete(_ item: WorkItem, responses: [Result<FetchedBody, FetchFailure>?],
                          run: RunState) -> Completion {
        let definition = item.spec.definition
        func result(_ outcome: RunOutcomeKind, _ reason: String?, value: Double? = nil,
                    observation: Observation? = nil) -> PeriodResult {
            var result = PeriodResult(indicator: definition.id, period: item.period.label, outcome: outcome, reason: reason,
                                      value: value, formatted: value.map(definition.format))
            if let observation { result.describe(observation) }
            return result
        }
        func failed(_ reason: String) -> Completion {
            .settled(result(.failed, reason))
        }

        var feedResponses: [FeedResponse] = []
        var sources: [FeedSource] = []
        var failures: [String] = []
        var interrupted = false
        for (request, key, job) in item.requests {
            switch responses[job] {
            case .success(let body):
                feedResponses.append(FeedResponse(key: request.key, feed: key.feed, url: body.url, status: body.status,
                                                  headers: body.headers, body: body.body, fetchedAt: body.fetchedAt))
                if !sources.contains(where: { $0.feed == key.feed && $0.url == body.url }) {
                    sources.append(FeedSource(feed: key.feed, url: body.url, fetchedAt: body.fetchedAt,
                                              contentHash: body.contentHash, status: body.wireStatus))
                }
            case .failure(let failure):
                interrupted = interrupted || failure.cancelled
                if !failures.contains(failure.message) { failures.append(failure.message) }
            case nil:
                failures.append("feed \"\(key.feed)\": \(FeedURL.redact(key.url)) was never fetched")
            }
        }
        guard failures.isEmpty else {
            // Fetches are cancelled only when the run is interrupted: say that, not "cancelled" per URL.
            return failed(interrupted ? "not collected: the run was interrupted before its feeds answered"
                                      : failures.joined(separator: "; "))
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
            return .store(measure, result(.notAvailable, missing.description, observation: observation))
        }
        // Collected, or unchanged once the store has compared it with the current value.
        return .store(measure, result(.collected, nil, value: observation.value, observation: observation))
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

    /// Whether some indicator-period is recorded by the write at `writeIndex`.
    func hasEntry(writeIndex: Int) -> Bool {
        entries.contains { $0.writeIndex == writeIndex }
    }
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
    /// The fetch was cancelled because the run was interrupted.
    var cancelled = false
}

extension CollectionEngine {
    /// Collects a loaded site: its site and configured plugins.
    public func collect(_ loaded: LoadedSite, periods: PeriodSelection, indicators: Set<String>? = nil,
                        onEvent: (@Sendable (CollectionEvent) -> Void)? = nil) async throws(StoreError) -> CollectionSummary {
        try await collect(site: loaded.site, plugins: loaded.plugins, periods: periods, indicators: indicators, onEvent: onEvent)
    }
}

/// One collection run in progress: fetching, computing, checking and committing.
///
/// Driven by completions rather than by a task: each fetch result is processed on the
/// thread that delivers it (libcurl's, for a ``FeedClient``) under this object's lock,
/// so a result costs no hop to another thread, and the next fetch is queued from there.
/// Batches are committed on the store's writer queue (one at a time; what gathers
/// meanwhile goes next, every ``CollectionEngine/commitInterval`` at the latest), and an
/// indicator-period is reported only once its batch is committed. The run ends, and its
/// continuation resumes, when every fetch has reported and every batch is committed.
///
/// While the lock is held only the run's own work is done (plugins, checks, provenance,
/// the progress callback, logging); fetches, commits, timers and the continuation are
/// started after it is released, so none of them can call back into a held lock.
private final class ActiveRun: @unchecked Sendable {
    // @unchecked: every mutable property below is only touched with `lock` held.
    private let engine: CollectionEngine
    private let plan: CollectionPlan
    private let site: String
    private let runID: Int64
    private let lock = NSLock()

    private var run: RunState
    private var batch = WriteBatch()
    private var committing = false
    /// Bumped at each commit, so a timer set for an earlier batch does nothing.
    private var commitGeneration = 0
    private var timerSet = false
    /// By job index: the items waiting for it, how many have yet to complete (a body is
    /// dropped when none does), and its response once in; by item index: fetches awaited.
    private var waiting: [[Int]]
    private var usersLeft: [Int]
    private var responses: [Result<FetchedBody, FetchFailure>?]
    private var remaining: [Int]
    /// By job index: how to cancel it while it runs.
    private var cancels: [Int: @Sendable () -> Void] = [:]
    private var reported: [Bool]
    private var next = 0
    private var finished = 0
    private var cancelled = false
    private var continuation: CheckedContinuation<RunState, Never>?
    /// Results reported synchronously from inside a `start` on a thread in the fetch loop.
    private var setAside: [(Int, Result<FeedFetchResult, FeedError>)] = []

    /// What to do once the lock is released.
    private struct Actions {
        var fetches: [Int] = []
        var commit: WriteBatch?
        var timer: Int?
        var done: (CheckedContinuation<RunState, Never>, RunState)?
    }

    init(engine: CollectionEngine, plan: CollectionPlan, run: RunState) {
        self.engine = engine
        self.plan = plan
        self.run = run
        site = run.site.id
        runID = run.runID
        waiting = Array(repeating: [], count: plan.jobs.count)
        remaining = []
        for (index, item) in plan.items.enumerated() {
            remaining.append(item.jobs.count)
            for job in item.jobs { waiting[job].append(index) }
        }
        usersLeft = waiting.map(\.count)
        responses = Array(repeating: nil, count: plan.jobs.count)
        reported = Array(repeating: false, count: plan.jobs.count)
    }

    func start(_ continuation: CheckedContinuation<RunState, Never>) {
        let actions = decide { actions in
            self.continuation = continuation
            for (sequence, result) in plan.settled {
                batch.add(result, sequence: sequence)
            }
            for (index, item) in plan.items.enumerated() where remaining[index] == 0 {
                batch.add(engine.complete(item, responses: responses, run: run), sequence: item.sequence)
            }
            takeNextFetches(count: engine.options.queueDepth, into: &actions)
            settle(&actions)
        }
        perform(actions)
    }

    func cancel() {
        let running = withLock {
            cancelled = true
            return Array(cancels.values)
        }
        for cancel in running { cancel() }
    }

    // MARK: Events

    private func received(_ index: Int, _ result: Result<FeedFetchResult, FeedError>) {
        if isStartingHere {
            // Reported from inside `start`, on this thread: the fetch loop takes it next.
            withLock { setAside.append((index, result)) }
            return
        }
        let actions = decide { actions in
            guard process(index, result) else { return }
            takeNextFetches(count: 1, into: &actions)
            settle(&actions)
        }
        perform(actions)
    }

    /// Takes in a fetch's result and completes the items it was the last for; false
    /// when the fetch had already reported.
    private func process(_ index: Int, _ result: Result<FeedFetchResult, FeedError>) -> Bool {
        guard !reported[index] else { return false }
        reported[index] = true
        cancels[index] = nil
        finished += 1
        let job = plan.jobs[index]
        responses[index] = engine.received(result, job: job, batch: &batch, run: &run)
        for itemIndex in waiting[index] {
            remaining[itemIndex] -= 1
            guard remaining[itemIndex] == 0 else { continue }
            let item = plan.items[itemIndex]
            batch.add(engine.complete(item, responses: responses, run: run), sequence: item.sequence)
            for job in item.jobs {
                usersLeft[job] -= 1
                if usersLeft[job] == 0 { responses[job] = nil }
            }
        }
        return true
    }

    private func committed(_ pending: WriteBatch, _ written: Result<[Result<RecordOutcome?, StoreError>], StoreError>) {
        let actions = decide { actions in
            committing = false
            for write in engine.report(pending, written: written, run: &run) { batch.add(write) }
            settle(&actions)
        }
        perform(actions)
    }

    private func commitDue(_ generation: Int) {
        let actions = decide { actions in
            guard generation == commitGeneration else { return }
            timerSet = false
            startCommit(into: &actions)
            settle(&actions)
        }
        perform(actions)
    }

    // MARK: Decisions (lock held)

    /// Runs `body` with the lock held and returns what it decided to do.
    private func decide(_ body: (inout Actions) -> Void) -> Actions {
        lock.lock()
        defer { lock.unlock() }
        var actions = Actions()
        body(&actions)
        return actions
    }

    private func withLock<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    /// Queues up to `count` more fetches; once the run is cancelled, every fetch not yet
    /// started fails as cancelled instead (here, so no recursion builds up).
    private func takeNextFetches(count: Int, into actions: inout Actions) {
        if cancelled {
            while next < plan.jobs.count {
                let job = plan.jobs[next]
                run.fetchStarted(job)
                _ = process(next, .failure(FeedError(feed: job.key.feed, url: job.shownURL, attempts: 0, cause: .cancelled)))
                next += 1
            }
            return
        }
        for _ in 0..<count where next < plan.jobs.count {
            actions.fetches.append(next)
            run.fetchStarted(plan.jobs[next])
            next += 1
        }
    }

    private func startCommit(into actions: inout Actions) {
        guard !committing, !batch.isEmpty else { return }
        committing = true
        commitGeneration += 1
        timerSet = false
        actions.commit = batch
        batch = WriteBatch()
    }

    /// Commits when a batch is full or the fetching is over, sets the commit timer
    /// otherwise, and ends the run once nothing is left to fetch or commit.
    private func settle(_ actions: inout Actions) {
        let allFetched = finished == plan.jobs.count
        if batch.count >= CollectionEngine.batchLimit || allFetched {
            startCommit(into: &actions)
        } else if !batch.isEmpty, !committing, !timerSet {
            timerSet = true
            actions.timer = commitGeneration
        }
        if allFetched, !committing, batch.isEmpty, let continuation {
            self.continuation = nil
            actions.done = (continuation, run)
        }
    }

    // MARK: Actions (lock released)

    /// Starts what `actions` asks for. Fetches go last, in a loop: a fetcher may report a
    /// result before `start` returns (a credential that is not set fails at once), and
    /// handling it there would start the next fetch from inside this one, nesting a level
    /// per fetch; such results are set aside and handled by this loop instead.
    private func perform(_ actions: Actions) {
        performSideEffects(actions)
        var queue = actions.fetches[...]
        guard !queue.isEmpty else { return }
        let marker = Unmanaged.passUnretained(self).toOpaque()
        let outer = pthread_getspecific(startingKey)
        pthread_setspecific(startingKey, marker)
        defer { pthread_setspecific(startingKey, outer) }
        while let index = queue.popFirst() {
            let cancel = engine.fetcher.start(plan.jobs[index].request) { [self] result in
                received(index, result)
            }
            let cancelNow = withLock { () -> Bool in
                guard !reported[index] else { return false }
                cancels[index] = cancel
                return cancelled
            }
            // Cancelled while it was being started: cancel's sweep may have missed it.
            if cancelNow { cancel() }
            for (index, result) in withLock({ () -> [(Int, Result<FeedFetchResult, FeedError>)] in
                defer { setAside.removeAll() }
                return setAside
            }) {
                let more = decide { actions in
                    guard process(index, result) else { return }
                    takeNextFetches(count: 1, into: &actions)
                    settle(&actions)
                }
                performSideEffects(more)
                queue.append(contentsOf: more.fetches)
            }
        }
    }

    /// Whether this thread is inside ``perform(_:)``'s fetch loop for this run.
    private var isStartingHere: Bool {
        pthread_getspecific(startingKey) == Unmanaged.passUnretained(self).toOpaque()
    }

    private func performSideEffects(_ actions: Actions) {
        if let pending = actions.commit {
            engine.store.recordInBackground(pending.writes, site: site, runID: runID) { [self] written in
                committed(pending, written)
            }
        }
        if let generation = actions.timer {
            let delay = CollectionEngine.commitInterval
            DispatchQueue.global().asyncAfter(deadline: .now() + Double(delay.components.attoseconds) / 1e18
                                              + Double(delay.components.seconds)) { [self] in
                commitDue(generation)
            }
        }
        if let (continuation, run) = actions.done {
            continuation.resume(returning: run)
        }
    }
}

/// The thread-specific slot that marks a thread inside an ``ActiveRun``'s fetch loop.
private let startingKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()
