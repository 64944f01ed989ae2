// One `pioneer collect` of one site: when it ran, what it was asked for, what it did.
public import Foundation

/// What happened to one indicator-period in a run.
public enum RunOutcomeKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A new or changed value was stored.
    case collected
    /// The value equals the one already stored.
    case unchanged
    /// The plugin returned an explicit "not available" (suppressed, no data), which was stored.
    case notAvailable = "not-available"
    /// A feed or the plugin failed, or the observation was invalid; nothing was stored.
    case failed
    /// The period has not ended yet; nothing was fetched.
    case skipped
}

/// Per-outcome counts of a run.
public struct RunCounts: Sendable, Hashable, Codable {
    public var collected = 0
    public var unchanged = 0
    public var notAvailable = 0
    public var failed = 0
    public var skipped = 0

    public init(collected: Int = 0, unchanged: Int = 0, notAvailable: Int = 0, failed: Int = 0, skipped: Int = 0) {
        self.collected = collected
        self.unchanged = unchanged
        self.notAvailable = notAvailable
        self.failed = failed
        self.skipped = skipped
    }

    public mutating func add(_ kind: RunOutcomeKind) {
        switch kind {
        case .collected: collected += 1
        case .unchanged: unchanged += 1
        case .notAvailable: notAvailable += 1
        case .failed: failed += 1
        case .skipped: skipped += 1
        }
    }

    public var total: Int { collected + unchanged + notAvailable + failed + skipped }
}

/// A collection run as the store records it.
public struct CollectionRun: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable {
        case running
        case finished
        /// The process ended without finishing the run (killed, crashed); what it committed is kept.
        case interrupted
    }

    public var id: Int64
    public var site: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: Status
    /// The command line that started the run.
    public var command: String
    /// The periods asked for: `2026-01…2026-06`.
    public var periods: String
    public var counts: RunCounts
    /// The indicator-periods the run set out to record; nil before it planned them (and for
    /// runs recorded by a Pioneer older than this count).
    public var planned: Int?

    public init(id: Int64, site: String, startedAt: Date, finishedAt: Date?, status: Status,
                command: String, periods: String, counts: RunCounts, planned: Int? = nil) {
        self.id = id
        self.site = site
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.command = command
        self.periods = periods
        self.counts = counts
        self.planned = planned
    }

    /// Indicator-periods an interrupted run planned but recorded no outcome for: a run killed
    /// part-way never reached them (a run stopped with Ctrl-C records each as failed). Nil
    /// when none, for a run not interrupted, or when the plan's size was not recorded.
    public var notReached: Int? {
        guard status == .interrupted, let planned, planned > counts.total else { return nil }
        return planned - counts.total
    }
}

/// One indicator-period's outcome in a run, kept so failures stay on record.
public struct RunOutcome: Sendable, Hashable {
    public var runID: Int64
    public var indicator: String
    public var period: String
    public var kind: RunOutcomeKind
    public var reason: String?
    /// The current measure after the run, for collected, unchanged and not-available outcomes.
    public var measureID: Int64?

    public init(runID: Int64, indicator: String, period: String, kind: RunOutcomeKind, reason: String?, measureID: Int64?) {
        self.runID = runID
        self.indicator = indicator
        self.period = period
        self.kind = kind
        self.reason = reason
        self.measureID = measureID
    }
}
