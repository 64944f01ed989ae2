// The running tally of a collection: results in plan order, counts, fetches in
// flight, and the events that report them.
import Logging
import PioneerCore
import PioneerStore
import PioneerFeeds
import PioneerKit

/// What a run has done so far.
struct RunState {
    let site: Site
    let runID: Int64
    let logger: Logger
    let onEvent: (@Sendable (CollectionEvent) -> Void)?
    private(set) var results: [PeriodResult?]
    private(set) var counts = RunCounts()
    var fetches = FetchCounts()
    /// Why the run stopped before it had done everything, when a store refused every write.
    private(set) var stoppedBy: StoreError?

    /// The indicators collected; every one of the site's when nil.
    let indicators: Set<String>?

    init(site: Site, runID: Int64, total: Int, indicators: Set<String>? = nil, logger: Logger,
         onEvent: (@Sendable (CollectionEvent) -> Void)?) {
        self.site = site
        self.indicators = indicators
        self.runID = runID
        self.logger = logger
        self.onEvent = onEvent
        results = Array(repeating: nil, count: total)
    }

    /// The reason given for every indicator-period left when the run stopped on `error`.
    static func stoppedReason(_ error: StoreError) -> String {
        CollectionSummary.notCollectedReason(stopped: "\(error)")
    }

    /// Records that the run stops on `error`, and says so once (rather than once for every
    /// indicator-period left).
    mutating func stop(_ error: StoreError) {
        guard stoppedBy == nil else { return }
        stoppedBy = error
        logger.debug("stopped", metadata: ["error": "\(error)"])
        onEvent?(.stopped(site: site.id, reason: "\(error)"))
    }

    /// Tallies and reports a finished indicator-period, once its batch is committed.
    ///
    /// An indicator-period left when the run stopped is tallied but not reported one by one:
    /// the ``CollectionEvent/stopped(site:reason:)`` event has said why.
    mutating func finish(sequence: Int, result: PeriodResult) {
        results[sequence] = result
        counts.add(result.outcome)
        if let stoppedBy, result.reason == Self.stoppedReason(stoppedBy) { return }
        if result.outcome == .failed {
            logger.debug("failed", metadata: ["indicator": "\(result.indicator)", "period": "\(result.period)",
                                              "reason": "\(result.reason ?? "")"])
        }
        onEvent?(.completed(site: site.id, result: result))
    }

    func fetchStarted(_ job: FetchJob) {
        onEvent?(.fetchStarted(feed: job.key.feed, url: job.shownURL))
    }

    /// - Parameter cancelled: the fetch failed only because the run was interrupted.
    mutating func fetchFinished(_ job: FetchJob, notModified: Bool, error: String?, cancelled: Bool = false) {
        if cancelled {
            fetches.cancelled += 1
        } else if error != nil {
            fetches.failed += 1
        } else if notModified {
            fetches.notModified += 1
        } else {
            fetches.fetched += 1
        }
        onEvent?(.fetchFinished(feed: job.key.feed, url: job.shownURL, notModified: notModified, error: error))
    }

    /// Per-indicator summaries in the site's order, results in period order.
    func indicatorSummaries() -> [IndicatorSummary] {
        var summaries = site.indicators.filter { indicators?.contains($0.definition.id) ?? true }.map { IndicatorSummary(id: $0.definition.id, name: $0.definition.name) }
        var position: [String: Int] = [:]
        for (index, summary) in summaries.enumerated() { position[summary.id] = index }
        for result in results.compactMap({ $0 }) {
            guard let index = position[result.indicator] else { continue }
            summaries[index].results.append(result)
            summaries[index].counts.add(result.outcome)
        }
        return summaries
    }
}
