// Collecting many sites in one go: every site's run at once, on one fetcher, so the
// fetcher's overall and per-host limits hold across all of them.
public import Logging
public import PioneerCore
public import PioneerStore

/// Collects several sites concurrently, each into its own store, through one shared fetcher.
///
/// Each site is an ordinary ``CollectionEngine`` run (its own plan, run record, batches
/// and summary), but all of them start together and hand their requests to the same
/// fetcher, so the transfers of ten sites share one transfer engine (for a ``FeedClient``,
/// one libcurl multi handle with its limits) instead of ten runs one after another each
/// leaving the wire idle while it starts and finishes. A site that fails (its feeds
/// unreachable, its store unusable) fails alone; the others go on.
///
/// Two entries for the same site in the same store run one after the other, never at once:
/// two concurrent runs would race to record the same indicator-periods.
///
/// ```swift
/// let collection = MultiSiteCollection(fetcher: client, options: .init(maxParallel: 16))
/// await collection.collect(entries, periods: selection) { index, result in report(result) }
/// ```
public final class MultiSiteCollection: Sendable {
    /// One site to collect, and where.
    public struct Entry: Sendable {
        public var site: LoadedSite
        public var store: MeasureStore
        /// Only these indicator ids; every indicator of the site when nil.
        public var indicators: Set<String>?

        public init(site: LoadedSite, store: MeasureStore, indicators: Set<String>? = nil) {
            self.site = site
            self.store = store
            self.indicators = indicators
        }
    }

    private let fetcher: any FeedFetching
    private let options: CollectionEngine.Options
    private let logger: Logger

    /// - Parameter options: every site's run options; `maxParallel` should be the fetcher's
    ///   overall limit, since the sites share it.
    public init(fetcher: any FeedFetching, options: CollectionEngine.Options = .init(),
                logger: Logger = Logger(label: "pioneer.collect")) {
        self.fetcher = fetcher
        self.options = options
        self.logger = logger
    }

    /// Collects every entry for `periods`, all at once.
    ///
    /// Cancelling the calling task interrupts every run still going (each is recorded as
    /// interrupted, keeping what it committed).
    ///
    /// - Parameters:
    ///   - onEvent: every run's progress events (each names its site where it matters), one call
    ///     at a time per run but possibly from several runs at once.
    ///   - onFinished: called in the entries' order, on the calling task, with each entry's
    ///     index and result as soon as it and every entry before it have finished, so output
    ///     written from it reads site by site in a fixed order.
    /// - Returns: each entry's summary, or the store error that stopped its run, in the entries' order.
    @discardableResult
    public func collect(_ entries: [Entry], periods: PeriodSelection,
                        onEvent: (@Sendable (CollectionEvent) -> Void)? = nil,
                        onFinished: (Int, Result<CollectionSummary, StoreError>) -> Void = { _, _ in })
        async -> [Result<CollectionSummary, StoreError>] {
        var results = [Result<CollectionSummary, StoreError>?](repeating: nil, count: entries.count)
        var reported = 0
        await withTaskGroup(of: [(Int, Result<CollectionSummary, StoreError>)].self) { group in
            for lane in Self.lanes(entries) {
                group.addTask { [self] in
                    var finished: [(Int, Result<CollectionSummary, StoreError>)] = []
                    for index in lane {
                        finished.append((index, await run(entries[index], periods: periods, onEvent: onEvent)))
                    }
                    return finished
                }
            }
            for await finished in group {
                for (index, result) in finished { results[index] = result }
                while reported < results.count, let result = results[reported] {
                    onFinished(reported, result)
                    reported += 1
                }
            }
        }
        return results.enumerated().map { index, result in
            result ?? .failure(StoreError(.other, path: entries[index].store.path, "the run did not finish"))
        }
    }

    private func run(_ entry: Entry, periods: PeriodSelection,
                     onEvent: (@Sendable (CollectionEvent) -> Void)?) async -> Result<CollectionSummary, StoreError> {
        let engine = CollectionEngine(store: entry.store, fetcher: fetcher, options: options, logger: logger)
        do {
            return .success(try await engine.collect(entry.site, periods: periods, indicators: entry.indicators,
                                                     onEvent: onEvent))
        } catch {
            return .failure(error)
        }
    }

    /// The entries grouped into lanes that run concurrently: entries for the same site id and
    /// store file share a lane and run in order. Lanes are in the order of their first entry.
    static func lanes(_ entries: [Entry]) -> [[Int]] {
        struct Key: Hashable {
            var store: String
            var site: String
        }
        var lanes: [[Int]] = []
        var laneOf: [Key: Int] = [:]
        for (index, entry) in entries.enumerated() {
            let key = Key(store: entry.store.path, site: entry.site.site.id)
            if let lane = laneOf[key] {
                lanes[lane].append(index)
            } else {
                laneOf[key] = lanes.count
                lanes.append([index])
            }
        }
        return lanes
    }
}
