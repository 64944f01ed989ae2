// The work a run does off the transfer thread, on its worker threads and outside its
// lock: taking in a fetch's response (hashing the body, the feed cache) and computing an
// indicator-period from its responses (plugin, checks, provenance).
import Foundation
import Logging
import PioneerCore
import PioneerFeeds
import PioneerKit
import PioneerExtraction
import PioneerStore

extension FetchJob {
    /// Turns a fetch result into a body for the plugins, using the feed cache on
    /// `304 Not Modified` and saying how to update it otherwise.
    func take(_ result: Result<FeedFetchResult, FeedError>) -> ReceivedResponse {
        switch result {
        case .failure(let error):
            return ReceivedResponse(body: .failure(FetchFailure(message: error.description,
                                                                cancelled: error.cause == .cancelled)),
                                    notModified: false)
        case .success(let fetched) where fetched.notModified:
            guard let cached else {
                let message = "feed \"\(key.feed)\": GET \(shownURL) answered 304 Not Modified, but no cached copy is held"
                return ReceivedResponse(body: .failure(FetchFailure(message: message)), notModified: true)
            }
            var content = cached.content
            if let file = cached.content.fileURL {
                // Held under a name of this run's own (a hard link in the same folder) until its
                // plugins are done: another collect of the same store may replace the body and
                // remove the file meanwhile, and this run's plugins would find it gone.
                let lease = file.deletingLastPathComponent()
                    .appending(path: "\(MeasureStore.bodyLeasePrefix)\(MeasureStore.leaseOwner)-\(UUID().uuidString.prefix(8))-\(file.lastPathComponent)")
                if link(file.path, lease.path) == 0 {
                    content = .temporaryFile(lease)
                } else if errno == ENOENT {
                    let message = "feed \"\(key.feed)\": GET \(shownURL) answered 304 Not Modified, but the cached copy "
                        + "\(file.path) was removed meanwhile (another collect of this store replaced it); the next collect "
                        + "uses the body it kept"
                    return ReceivedResponse(body: .failure(FetchFailure(message: message)), notModified: true)
                }
                // A body kept as a file is read again before it is vouched for: the file is
                // read-only, but its owner (or a plugin given it with `bodies: file`, run as root)
                // could still change it, and the provenance would record a digest it no longer has.
                if ContentHash.ofFile(content.fileURL ?? file) != cached.contentHash {
                    let message = "feed \"\(key.feed)\": GET \(shownURL) answered 304 Not Modified, but the cached copy "
                        + "\(file.path) no longer has the content it was kept with (\(cached.contentHash.prefix(19))…): it is "
                        + "forgotten, and the next collect fetches the body afresh"
                    return ReceivedResponse(body: .failure(FetchFailure(message: message)), notModified: true,
                                            cacheUpdate: .forgetFeedBody(feed: cacheFeed, url: shownURL))
                }
            }
            return ReceivedResponse(body: .success(FetchedBody(url: shownURL, status: cached.status, wireStatus: fetched.status,
                                                               headers: fetched.headers, body: content,
                                                               contentHash: cached.contentHash, fetchedAt: fetched.fetchedAt)),
                                    notModified: true)
        case .success(let fetched):
            // The hash is the costliest step per body (a large share of a collect's CPU),
            // which is why this runs on a worker rather than the transfer thread; a body
            // large enough to go to a file was hashed as it arrived.
            let body = FetchedBody(url: shownURL, status: fetched.status, wireStatus: fetched.status,
                                   headers: fetched.headers, body: fetched.content,
                                   contentHash: fetched.bodyFile?.contentHash ?? ContentHash.of(fetched.body),
                                   fetchedAt: fetched.fetchedAt)
            var cacheUpdate: StoreWrite?
            if !fetched.validators.isEmpty {
                cacheUpdate = .cacheFeedBody(CachedFeedBody(
                    feed: cacheFeed, url: shownURL, etag: fetched.validators.etag,
                    lastModified: fetched.validators.lastModified, status: fetched.status,
                    contentHash: body.contentHash, body: fetched.body, file: fetched.bodyFile?.body,
                    fetchedAt: fetched.fetchedAt))
            } else if cached != nil {
                cacheUpdate = .forgetFeedBody(feed: cacheFeed, url: shownURL)
            }
            return ReceivedResponse(body: .success(body), notModified: false, cacheUpdate: cacheUpdate)
        }
    }
}

extension WorkItem {
    /// What an indicator-period's responses come to before its plugin runs: the responses
    /// and their provenance, or the reason it cannot be computed.
    enum Prepared {
        case ready([FeedResponse], sources: [FeedSource])
        case settled(Completion)
    }

    /// Computes and checks this indicator-period once its responses have all arrived: a
    /// measure to store, or the reason it failed.
    ///
    /// - Parameter responses: the body (or failure) for each of ``requests``, in order.
    func compute(responses: [Result<FetchedBody, FetchFailure>?], site: SiteInfo, logger: Logger) -> Completion {
        switch prepare(responses: responses) {
        case .settled(let completion):
            return completion
        case .ready(let feedResponses, let sources):
            let context = PluginContext(site: site, indicator: spec.definition, logger: logger)
            let observed = Result { try plugin.observe(period: period, responses: FeedResponses(feedResponses), context: context) }
            return finish(observed, sources: sources)
        }
    }

    /// The responses for the plugin with their provenance, or the failure of a fetch.
    func prepare(responses: [Result<FetchedBody, FetchFailure>?]) -> Prepared {
        var feedResponses: [FeedResponse] = []
        var sources: [FeedSource] = []
        var failures: [String] = []
        var interrupted = false
        for ((request, key, _), response) in zip(requests, responses) {
            switch response {
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
            return .settled(.settled(result(.failed, interrupted ? "not collected: the run was interrupted before its feeds answered"
                                                                 : failures.joined(separator: "; "))))
        }
        return .ready(feedResponses, sources: sources)
    }

    /// The plugin's observation checked, with its provenance: a measure to store, or why not.
    func finish(_ observed: Result<Observation, any Error>, sources: [FeedSource]) -> Completion {
        let definition = spec.definition
        let observation: Observation
        switch observed {
        case .success(let value): observation = value
        case .failure(let error): return .settled(result(.failed, CollectionPlan.pluginMessage(error, plugin: spec.plugin)))
        }
        let problems = ObservationCheck.problems(observation, for: definition)
        guard problems.isEmpty else {
            return .settled(result(.failed, "plugin `\(spec.plugin)` returned an invalid observation: " + problems.joined(separator: "; ")))
        }

        let measure = Measure(indicatorID: definition.id, period: period, observation: observation,
                              provenance: Provenance(plugin: spec.plugin, sources: sources, collectedAt: Date()))
        if let missing = observation.notAvailable {
            return .store(measure, result(.notAvailable, missing.description, observation: observation))
        }
        // Collected, or unchanged once the store has compared it with the current value.
        return .store(measure, result(.collected, nil, value: observation.value, observation: observation))
    }

    /// This indicator-period failed, not computed, for `reason`.
    func notCollected(_ reason: String) -> PeriodResult {
        result(.failed, reason)
    }

    private func result(_ outcome: RunOutcomeKind, _ reason: String?, value: Double? = nil,
                        observation: Observation? = nil) -> PeriodResult {
        let definition = spec.definition
        var result = PeriodResult(indicator: definition.id, period: period.label, outcome: outcome, reason: reason,
                                  value: value, formatted: value.map(definition.format))
        if let observation { result.describe(observation) }
        return result
    }
}
