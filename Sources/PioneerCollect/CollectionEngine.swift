// The collection engine's API: plan a site's indicator-periods, fetch each distinct URL
// once, hand the responses to the plugins, check and store what they observe.
import Foundation
public import Logging
public import PioneerCore
public import PioneerKit
public import PioneerStore
import PioneerFeeds

/// Collects a site's measures for a range of periods into a ``MeasureStore``.
///
/// For every indicator and every period of its type in the range, the engine asks
/// the plugin which feed requests it needs, resolves their URLs, and fetches each
/// distinct URL once per run even when several indicators share it. Fetches run
/// concurrently, in the plan's order (indicator by indicator, each with its periods,
/// earliest first): the engine keeps ``Options/queueDepth``
/// requests with the fetcher, whose own limit (for a ``FeedClient``, its
/// ``FeedClientLimits``, which `pioneer collect` sets from `--max-parallel`) bounds the
/// transfers actually on the wire, so the next one starts without waiting for the engine.
/// The fetcher's thread only hands each response over: hashing the body and running the
/// plugins happen on the run's own worker threads (``Options/pluginWorkers``), so the
/// transfers go on while plugins compute, and a plugin that takes seconds delays only
/// its own indicator-periods. As soon as an indicator-period has all its responses the
/// plugin computes the observation, which is checked (``ObservationCheck``) and stored:
/// each indicator-period in its own savepoint, committed in batches (every 25 ms or 256
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
        /// Threads that hash response bodies and run plugins: by default one per
        /// processor, and at least two, so one slow plugin never holds them all.
        public var pluginWorkers: Int
        /// The day the run counts as: a period is due once today reaches its due date
        /// (``IndicatorDefinition/dueDate(of:)``); tests fix it.
        public var today: CalendarDate
        /// The command line recorded with the run.
        public var command: String
        /// The most disk the store's cached large bodies may take after a run
        /// (``MeasureStore/trimCachedBodies(toAtMost:keeping:)``); the bodies the run used are kept.
        public var bodyCacheLimit: Int

        /// Whether `otherFolder`, which a site id was collected from into this store before,
        /// still declares that id (`pioneer collect` reads its site file). When it does, a site
        /// of that id read from another folder is not collected: its measures would replace the
        /// other folder's (``StoreError/Kind/siteClaimed``). Nil: not checked (the folder is still
        /// recorded with the run).
        public var stillClaimed: (@Sendable (_ siteID: String, _ otherFolder: String) -> Bool)?

        /// 10 GB: a few large extracts, with room for the next period's.
        public static let defaultBodyCacheLimit = 10 << 30

        public init(maxParallel: Int = 8, pluginWorkers: Int? = nil, today: CalendarDate = .today(),
                    command: String = "pioneer collect", bodyCacheLimit: Int = defaultBodyCacheLimit) {
            self.maxParallel = max(1, maxParallel)
            self.pluginWorkers = max(1, pluginWorkers ?? PluginWorkers.defaultCount)
            self.today = today
            self.command = command
            self.bodyCacheLimit = max(0, bodyCacheLimit)
        }
    }

    let store: MeasureStore
    let fetcher: any FeedFetching
    let options: Options
    private let logger: Logger

    public init(store: MeasureStore, fetcher: any FeedFetching, options: Options = Options(),
                logger: Logger = Logger(label: "pioneer.collect")) {
        self.store = store
        self.fetcher = fetcher
        self.options = options
        self.logger = logger
    }

    /// Indicator-periods waiting in memory for their batch to be committed: at most this many...
    static let batchLimit = 256
    /// ...or for this long after the first of them was computed.
    static let commitInterval = Duration.milliseconds(25)

    /// Collects `site`'s indicators for `periods`.
    ///
    /// Cancelling the calling task interrupts the run: fetches in flight are cancelled,
    /// no new one starts, what was received is computed and committed (a plugin already
    /// running is waited for), and the run is recorded as interrupted
    /// (``CollectionSummary/interrupted``).
    ///
    /// - Parameters:
    ///   - plugins: configured plugins by indicator id, as the site loader returns them.
    ///   - indicators: only these indicator ids; every indicator of the site when nil.
    ///   - onEvent: progress, called from whichever thread finished the work (libcurl's
    ///     when a fetch starts, a worker's when its response is taken in, the store's for
    ///     completed indicator-periods), one call at a time.
    /// - Returns: what happened to every indicator-period.
    /// - Throws: ``StoreError`` only when the run cannot be started in the store. When its end
    ///   cannot be recorded, the summary says why (``CollectionSummary/notClosed``).
    public func collect(site: Site, plugins: [String: any IndicatorPlugin], periods: PeriodSelection,
                        indicators: Set<String>? = nil,
                        onEvent: (@Sendable (CollectionEvent) -> Void)? = nil) async throws(StoreError) -> CollectionSummary {
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        let folder = site.directory.isEmpty ? nil : RealPath.of(site.directory)
        // A folder's own store (`<folder>/.pioneer/store.sqlite`) goes with the folder: a copy of
        // the folder carries a copy of the store, which rivals nobody's measures.
        let ownStore = folder.map { RealPath.of(MeasureStore.defaultPath(siteDirectory: $0)) == RealPath.of(store.path) }
        let claim = ownStore == true ? nil : options.stillClaimed
        let runID = try store.beginRun(site: site.id, command: options.command, periods: periods.description, at: startedAt,
                                       folder: folder, stillClaimed: claim.map { claim in { claim(site.id, $0) } })
        var log = logger
        log[metadataKey: "site"] = "\(site.id)"
        log[metadataKey: "run"] = "\(runID)"

        // Planning asks the plugins for their requests. One that may block there (an external
        // plugin runs its program: a `BatchIndicatorPlugin`) is planned on a thread of its own,
        // never the cooperative pool's; the others take microseconds and plan in place.
        let makePlan: @Sendable () -> sending CollectionPlan = { [store, options, log] in
            CollectionPlan(site: site, plugins: plugins, periods: periods, indicators: indicators,
                           today: options.today, store: store, logger: log)
        }
        let plan = plugins.values.contains { $0 is any BatchIndicatorPlugin } ? await Self.onOwnThread(makePlan) : makePlan()
        try store.recordPlanned(runID, total: plan.total)
        onEvent?(.planned(site: site.id, total: plan.total, urls: plan.jobs.count))
        var run = RunState(site: site, runID: runID, total: plan.total, indicators: indicators, logger: log, onEvent: onEvent)
        run.fetches.distinctURLs = plan.jobs.count
        let active = ActiveRun(engine: self, plan: plan, run: run)
        run = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                active.start(continuation)
            }
        } onCancel: {
            active.cancel()
        }

        let counts = run.counts
        let interrupted = Task.isCancelled
        var notClosed: String?
        if run.stoppedBy != nil {
            // The store refuses writes: closing the run may fail too, and the summary matters
            // more (the next collect marks a run left open as interrupted).
            do {
                try store.finishRun(runID, counts: counts, interrupted: true)
            } catch {
                // Said in the report's "Stopped:" line already; the next collect marks the run.
                log.debug("cannot close the run in the store", metadata: ["error": "\(error)"])
            }
        } else {
            do {
                try store.finishRun(runID, counts: counts, interrupted: interrupted)
            } catch {
                // Everything was committed; only the run's end is not recorded (the disk filled up
                // with the last write). The summary says so rather than being lost to the error.
                notClosed = error.description
            }
            // Cached bodies in files that this run's updates replaced are not needed any more, nor,
            // over the limit, those of URLs the run did not use.
            if notClosed == nil {
                do {
                    let used = Set(plan.jobs.map { FeedCacheKey(feed: $0.cacheFeed, url: $0.shownURL) })
                    try store.trimCachedBodies(toAtMost: options.bodyCacheLimit, keeping: used, site: site.id)
                    try store.removeUnusedBodyFiles()
                } catch {
                    log.warning("cannot tidy the cached body files", metadata: ["error": "\(error)"])
                }
            }
        }
        let elapsed = start.duration(to: clock.now)
        return CollectionSummary(
            site: site.id, runID: runID, store: store.path, periods: periods.description, startedAt: startedAt,
            elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            counts: counts, fetches: run.fetches, indicators: run.indicatorSummaries(), interrupted: interrupted,
            stopped: run.stoppedBy.map { "\($0)" }, notClosed: notClosed)
    }

    private static func onOwnThread<T>(_ body: @escaping @Sendable () -> sending T) async -> T {
        await withCheckedContinuation { continuation in
            do {
                try SystemThread.start(name: "pioneer.plan") { continuation.resume(returning: body()) }
            } catch {
                // No thread to spare: plan here, holding up one of the pool's threads meanwhile.
                continuation.resume(returning: body())
            }
        }
    }

    /// Collects a loaded site: its site and configured plugins.
    public func collect(_ loaded: LoadedSite, periods: PeriodSelection, indicators: Set<String>? = nil,
                        onEvent: (@Sendable (CollectionEvent) -> Void)? = nil) async throws(StoreError) -> CollectionSummary {
        try await collect(site: loaded.site, plugins: loaded.plugins, periods: periods, indicators: indicators, onEvent: onEvent)
    }
}
