// Planning a run: which indicator-periods to compute, which requests each needs,
// and the distinct URLs to fetch, before any network traffic.
import PioneerCore
import PioneerFeeds
import PioneerKit
import PioneerStore
import Logging

/// A URL to fetch once per run, however many indicators need it.
struct FetchKey: Hashable, Sendable {
    var feed: String
    /// The resolved URL as sent (it may hold credentials in its authority).
    var url: String
}

/// One indicator-period that needs computing, and the fetches it waits for.
struct WorkItem {
    /// Position in the plan, which orders the summary.
    var sequence: Int
    var spec: IndicatorSpec
    var plugin: any IndicatorPlugin
    var period: Period
    /// Each request with its URL and the index of its fetch in ``CollectionPlan/jobs``.
    var requests: [(request: FeedRequest, key: FetchKey, job: Int)]
    /// The distinct fetches this item waits for, as indices into ``CollectionPlan/jobs``.
    var jobs: [Int] = []
    /// Its group in ``CollectionPlan/batches`` when its plugin observes all periods at once.
    var batch: Int?

    init(sequence: Int, spec: IndicatorSpec, plugin: any IndicatorPlugin, period: Period,
         requests: [(request: FeedRequest, key: FetchKey, job: Int)], batch: Int? = nil) {
        self.sequence = sequence
        self.spec = spec
        self.plugin = plugin
        self.period = period
        self.requests = requests
        self.batch = batch
    }
}

/// One distinct fetch.
struct FetchJob {
    var key: FetchKey
    /// The URL with credentials removed, for messages, events and the feed cache.
    var shownURL: String
    var request: FeedFetchRequest
    /// The cached body whose validators make the request conditional.
    var cached: CachedFeedBody?
    /// The site whose run fetches it.
    var site: String

    /// The name its body is cached under: the site's id and the feed's name. Several sites
    /// may share a store, and the same URL can answer each site's credentials differently:
    /// one site's validators must never get it another's body back on a 304.
    var cacheFeed: String { "\(site)/\(key.feed)" }
}

/// The whole run, planned.
struct CollectionPlan {
    /// Indicator-periods, in plan order, with their result when planning settled them
    /// (skipped, or failed before fetching).
    var settled: [(sequence: Int, result: PeriodResult)] = []
    var items: [WorkItem] = []
    var jobs: [FetchJob] = []
    /// Indicators whose plugin computes all its periods in one call (``BatchIndicatorPlugin``).
    var batches: [BatchGroup] = []
    var total = 0

    /// Plans `site` for `periods`: asks each plugin for its requests and resolves their URLs.
    init(site: Site, plugins: [String: any IndicatorPlugin], periods: PeriodSelection, indicators: Set<String>? = nil,
         today: CalendarDate, store: MeasureStore, logger: Logger) {
        var jobIndex: [FetchKey: Int] = [:]
        // Placeholder values by period: many indicators share each period.
        var placeholders: [Period: [String: String]] = [:]
        for spec in site.indicators where indicators?.contains(spec.definition.id) ?? true {
            let definition = spec.definition
            var due: [(sequence: Int, period: Period)] = []
            for period in periods.periods(of: definition.periodType) {
                let sequence = total
                total += 1
                let dueDate = definition.dueDate(of: period)
                guard today >= dueDate else {
                    let why = definition.dueAfter.map { "\($0) after the period ends on \(period.end)" }
                        ?? "the day after the period ends"
                    var result = PeriodResult(indicator: definition.id, period: period.label, outcome: .skipped,
                                              reason: "not yet due: \(period.label) is due on \(dueDate) (\(why))")
                    result.dueOn = dueDate.description
                    settled.append((sequence, result))
                    continue
                }
                due.append((sequence, period))
            }
            guard let plugin = plugins[definition.id] else {
                for (sequence, period) in due {
                    settled.append((sequence, PeriodResult(
                        indicator: definition.id, period: period.label, outcome: .failed,
                        reason: "plugin `\(spec.plugin)` is not available for this indicator (is its `config:` valid?)")))
                }
                continue
            }
            guard !due.isEmpty else { continue }
            let context = PluginContext(site: site.info, indicator: definition, logger: logger)
            let (requestLists, group) = Self.requests(plugin, for: due.map(\.period), spec: spec, context: context)
            if let group { batches.append(group) }
            for ((sequence, period), listed) in zip(due, requestLists) {
                func settle(_ outcome: RunOutcomeKind, _ reason: String) {
                    settled.append((sequence, PeriodResult(indicator: definition.id, period: period.label, outcome: outcome, reason: reason)))
                }
                let requests: [FeedRequest]
                switch listed {
                case .success(let list): requests = list
                case .failure(let error):
                    settle(.failed, Self.pluginMessage(error, plugin: spec.plugin))
                    continue
                }
                var resolved: [(FeedRequest, FetchKey, Int)] = []
                var failure: String?
                for request in requests {
                    guard let feed = site.feed(named: request.feed) else {
                        failure = "plugin `\(spec.plugin)` asked for feed `\(request.feed)`, which the site does not declare"
                        break
                    }
                    do {
                        let requestPeriod = request.period ?? period
                        let values = placeholders[requestPeriod] ?? FeedPathTemplate.values(for: requestPeriod)
                        placeholders[requestPeriod] = values
                        let url = try FeedURL.resolve(request, feed: feed, placeholders: values)
                        let key = FetchKey(feed: feed.name, url: url)
                        if jobIndex[key] == nil {
                            jobIndex[key] = jobs.count
                            jobs.append(FetchJob(key: key, shownURL: FeedURL.redact(url), request: FeedFetchRequest(feed: feed, url: url, site: site.id),
                                             cached: nil, site: site.id))
                        }
                        resolved.append((request, key, jobIndex[key] ?? 0))
                    } catch {
                        failure = error.description
                        break
                    }
                }
                if let failure {
                    settle(.failed, failure)
                    continue
                }
                let batch = group.map { _ in batches.count - 1 }
                if let batch { batches[batch].items.append(items.count) }
                items.append(WorkItem(sequence: sequence, spec: spec, plugin: plugin, period: period, requests: resolved,
                                      batch: batch))
            }
        }
        // Jobs still wanted after failures, each made conditional when a cached body has
        // validators (the cache read in one go: a read per URL cost more than the fetch).
        // (Items refer to jobs by index, so the indices are renumbered after the filter.)
        var wanted = Array(repeating: false, count: jobs.count)
        for item in items { for request in item.requests { wanted[request.job] = true } }
        var renumbered = Array(repeating: 0, count: jobs.count)
        var kept: [FetchJob] = []
        for (index, job) in jobs.enumerated() where wanted[index] {
            renumbered[index] = kept.count
            kept.append(job)
        }
        jobs = kept
        for itemIndex in items.indices {
            var seen: [Int] = []
            for requestIndex in items[itemIndex].requests.indices {
                let job = renumbered[items[itemIndex].requests[requestIndex].job]
                items[itemIndex].requests[requestIndex].job = job
                if !seen.contains(job) { seen.append(job) }
            }
            items[itemIndex].jobs = seen
        }
        do {
            let cached = try store.cachedFeedBodies(jobs.map { ($0.cacheFeed, $0.shownURL) })
            for (index, body) in cached where body.hasValidators {
                jobs[index].cached = body
                jobs[index].request.validators = CacheValidators(etag: body.etag, lastModified: body.lastModified)
            }
        } catch {
            logger.warning("cannot read the feed cache; fetching without validators", metadata: ["error": "\(error)"])
        }
    }

    /// Each period's requests: from one call when the plugin takes batches (with the group
    /// its items join), from a call per period otherwise.
    private static func requests(_ plugin: any IndicatorPlugin, for periods: [Period], spec: IndicatorSpec,
                                 context: PluginContext) -> ([Result<[FeedRequest], any Error>], BatchGroup?) {
        if let batching = plugin as? any BatchIndicatorPlugin, batching.takesBatches(context: context) {
            var lists = batching.requests(for: periods, context: context).map { $0.mapError { $0 as any Error } }
            if lists.count != periods.count {
                let error = PluginError("answered \(lists.count) request lists for \(periods.count) periods")
                lists = periods.map { _ in .failure(error) }
            }
            return (zip(lists, periods).map { Self.withDistinctKeys($0, period: $1) }, BatchGroup(plugin: batching, spec: spec))
        }
        return (periods.map { period in Self.withDistinctKeys(Result { try plugin.requests(for: period, context: context) }, period: period) }, nil)
    }

    /// `requests`, or a failure when two of them share a key: the plugin gets each response by
    /// its key, so the second body would be dropped while provenance listed its URL.
    private static func withDistinctKeys(_ requests: Result<[FeedRequest], any Error>, period: Period) -> Result<[FeedRequest], any Error> {
        guard case .success(let list) = requests, let problem = list.repeatedKeyProblem(period: period) else { return requests }
        return .failure(PluginError(problem))
    }

    /// A plugin's error as a sentence naming the plugin.
    static func pluginMessage(_ error: any Error, plugin: String) -> String {
        if let pluginError = error as? PluginError {
            return "plugin `\(plugin)`: \(pluginError.message)"
        }
        return "plugin `\(plugin)` failed: \(error)"
    }
}
