// What a collection run did, per indicator and period: the summary printed as a
// table by `pioneer collect` and written as JSON by `--json`.
public import PioneerStore
public import PioneerKit
public import Foundation

/// What happened to one indicator for one period.
public struct PeriodResult: Sendable, Hashable, Codable {
    public var indicator: String
    public var period: String
    public var outcome: RunOutcomeKind
    /// Why it failed, was skipped or is not available; nil when collected or unchanged.
    public var reason: String?
    /// The stored value, when there is one.
    public var value: Double?
    /// The value printed with the indicator's format: `41.3%`.
    public var formatted: String?
    /// The parts of the stored value, when the plugin gave them (never for a value not available).
    public var numerator: Double?
    public var denominator: Double?
    /// The sample size, for a survey or a suppressed count.
    public var sampleSize: Int?
    public var interval: ConfidenceInterval?
    /// For a period not yet due: the first day it may be collected, `2026-05-01`.
    public var dueOn: String?

    public init(indicator: String, period: String, outcome: RunOutcomeKind, reason: String? = nil,
                value: Double? = nil, formatted: String? = nil) {
        self.indicator = indicator
        self.period = period
        self.outcome = outcome
        self.reason = reason
        self.value = value
        self.formatted = formatted
    }

    /// Takes the numbers behind `observation`: its parts and interval only when it has a value,
    /// so a suppressed observation shows no more than its reason and sample size.
    public mutating func describe(_ observation: Observation) {
        sampleSize = observation.sampleSize
        guard observation.notAvailable == nil else { return }
        numerator = observation.numerator
        denominator = observation.denominator
        interval = observation.interval
    }
}

/// The results of one indicator in a run.
public struct IndicatorSummary: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var counts: RunCounts
    public var results: [PeriodResult]

    public init(id: String, name: String, counts: RunCounts = RunCounts(), results: [PeriodResult] = []) {
        self.id = id
        self.name = name
        self.counts = counts
        self.results = results
    }
}

/// The fetching a run did.
public struct FetchCounts: Sendable, Hashable, Codable {
    /// Distinct URLs fetched (each at most once per run).
    public var distinctURLs = 0
    /// Answered with a body.
    public var fetched = 0
    /// Answered `304 Not Modified`; the cached body was reused.
    public var notModified = 0
    public var failed = 0
    /// Not fetched, or stopped on the wire, because the run was interrupted.
    public var cancelled = 0

    public init() {}

    // Spelled out so JSON says `distinct_urls`, not `distinct_ur_ls`, under snake-case key conversion.
    private enum CodingKeys: String, CodingKey {
        case distinctURLs = "distinct_urls"
        case fetched, notModified, failed, cancelled
    }
}

/// The outcome of collecting one site.
public struct CollectionSummary: Sendable, Hashable, Codable {
    public var site: String
    public var runID: Int64
    public var store: String
    /// `2026-01…2026-06`.
    public var periods: String
    public var startedAt: Date
    /// Seconds the run took.
    public var elapsed: Double
    public var counts: RunCounts
    public var fetches: FetchCounts
    public var indicators: [IndicatorSummary]
    /// True when the run was stopped (Ctrl-C, SIGTERM) before it had done everything; what it
    /// committed is kept and the run is marked interrupted in the store.
    public var interrupted: Bool
    /// Why the run stopped before it had done everything, when its store refused every write
    /// (`measure store …: the disk is full`); what it committed before is kept.
    public var stopped: String?
    /// Why the end of the run could not be recorded, when everything it collected was committed
    /// but the store then refused the last write (`measure store …: the disk is full`): the
    /// measures are kept, and the run stays marked running until the next collect finds it
    /// left open and marks it interrupted.
    public var notClosed: String?

    public init(site: String, runID: Int64, store: String, periods: String, startedAt: Date, elapsed: Double,
                counts: RunCounts, fetches: FetchCounts, indicators: [IndicatorSummary], interrupted: Bool = false,
                stopped: String? = nil, notClosed: String? = nil) {
        self.site = site
        self.runID = runID
        self.store = store
        self.periods = periods
        self.startedAt = startedAt
        self.elapsed = elapsed
        self.counts = counts
        self.fetches = fetches
        self.indicators = indicators
        self.interrupted = interrupted
        self.stopped = stopped
        self.notClosed = notClosed
    }

    /// The reason given for each indicator-period a run stopped by `stopped` did not reach.
    static func notCollectedReason(stopped: String) -> String {
        "not collected: the run stopped: \(stopped)"
    }

    /// True when nothing failed: collected, unchanged, not available and skipped all count as success.
    public var succeeded: Bool { counts.failed == 0 }

    /// `pioneer collect`'s exit status for this run: 0, 3 when anything failed, 130 when interrupted.
    public var exitStatus: Int32 { interrupted ? 130 : (notClosed != nil ? 1 : (succeeded ? 0 : 3)) }
}
