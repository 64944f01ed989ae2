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
}

/// One distinct fetch.
struct FetchJob {
    var key: FetchKey
    /// The URL with credentials removed, for messages, events and the feed cache.
    var shownURL: String
    var request: FeedFetchRequest
    /// The cached body whose validators make the request conditional.
    var cached: CachedFeedBody?
}

/// The whole run, planned.
struct CollectionPlan {
    /// Indicator-periods, in plan order, with their result when planning settled them
    /// (skipped, or failed before fetching).
    var settled: [(sequence: Int, result: PeriodResult)] = []
    var items: [WorkItem] = []
    var jobs: [FetchJob] = []
    var total = 0

    /// Plans `site` for `periods`: asks each plugin for its requests and resolves their URLs.
    init(site: Site, plugins: [String: any IndicatorPlugin], periods: PeriodSelection, indicators: Set<String>? = nil,
         today: CalendarDate, store: MeasureStore, logger: Logger) {
        var jobIndex: [FetchKey: Int] = [:]
        // Placeholder values by period: many indicators share each period.
        var placeholders: [Period: [String: String]] = [:]
        for spec in site.indicators where indicators?.contains(spec.definition.id) ?? true {
            let definition = spec.definition
            for period in periods.periods(of: definition.periodType) {
                let sequence = total
                total += 1
                func settle(_ outcome: RunOutcomeKind, _ reason: String) {
                    settled.append((sequence, PeriodResult(indicator: definition.id, period: period.label, outcome: outcome, reason: reason)))
                }
                let due = definition.dueDate(of: period)
                guard today >= due else {
                    let why = definition.dueAfter.map { "\($0) after the period ends on \(period.end)" }
                        ?? "the day after the period ends"
                    var result = PeriodResult(indicator: definition.id, period: period.label, outcome: .skipped,
                                              reason: "not yet due: \(period.label) is due on \(due) (\(why))")
                    result.dueOn = due.description
                    settled.append((sequence, result))
                    continue
                }
                guard let plugin = plugins[definition.id] else {
                    settle(.failed, "plugin `\(spec.plugin)` is not available for this indicator (is its `config:` valid?)")
                    continue
                }
                let context = PluginContext(site: site.info, indicator: definition, logger: logger)
                let requests: [FeedRequest]
                do {
                    requests = try plugin.requests(for: period, context: context)
                } catch {
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
                            jobs.append(FetchJob(key: key, shownURL: FeedURL.redact(url), request: FeedFetchRequest(feed: feed, url: url),
                                             cached: nil))
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
                items.append(WorkItem(sequence: sequence, spec: spec, plugin: plugin, period: period, requests: resolved))
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
            let cached = try store.cachedFeedBodies(jobs.map { ($0.key.feed, $0.shownURL) })
            for (index, body) in cached where body.hasValidators {
                jobs[index].cached = body
                jobs[index].request.validators = CacheValidators(etag: body.etag, lastModified: body.lastModified)
            }
        } catch {
            logger.warning("cannot read the feed cache; fetching without validators", metadata: ["error": "\(error)"])
        }
    }

    /// A plugin's error as a sentence naming the plugin.
    static func pluginMessage(_ error: any Error, plugin: String) -> String {
        if let pluginError = error as? PluginError {
            return "plugin `\(plugin)`: \(pluginError.message)"
        }
        return "plugin `\(plugin)` failed: \(error)"
    }
}
