// A measure as the store holds it: the measure, the runs that recorded and last
// confirmed it, and where it sits in its indicator-period's history.
public import PioneerKit
public import Foundation

/// One row of the measure history.
public struct StoredMeasure: Sendable, Hashable {
    /// The row id; `supersededBy` of an older row points at it.
    public var id: Int64
    public var site: String
    public var measure: Measure
    /// The run that recorded this observation.
    public var runID: Int64
    /// The latest run that collected the same observation again.
    public var confirmedRunID: Int64
    public var confirmedAt: Date
    public var recordedAt: Date
    /// True for the row that stands for its indicator-period now.
    public var isCurrent: Bool
    /// The row that replaced this one, when it is history.
    public var supersededBy: Int64?

    public init(id: Int64, site: String, measure: Measure, runID: Int64, confirmedRunID: Int64,
                confirmedAt: Date, recordedAt: Date, isCurrent: Bool, supersededBy: Int64?) {
        self.id = id
        self.site = site
        self.measure = measure
        self.runID = runID
        self.confirmedRunID = confirmedRunID
        self.confirmedAt = confirmedAt
        self.recordedAt = recordedAt
        self.isCurrent = isCurrent
        self.supersededBy = supersededBy
    }
}

/// What recording an observation did.
public enum RecordOutcome: Sendable, Hashable {
    /// The first observation for its indicator-period.
    case inserted(measureID: Int64)
    /// A different observation replaced the current one, which stays in the history.
    case superseded(measureID: Int64, previousID: Int64)
    /// The observation equals the current one; only its confirmation was updated.
    case unchanged(measureID: Int64)

    /// The row that is current after the write.
    public var measureID: Int64 {
        switch self {
        case .inserted(let id), .superseded(let id, _), .unchanged(let id): return id
        }
    }

    public var isUnchanged: Bool {
        if case .unchanged = self { return true }
        return false
    }
}

/// Which stored measures to list.
public struct MeasureQuery: Sendable, Hashable {
    public var site: String
    /// One indicator, or all.
    public var indicator: String?
    /// Only periods that overlap these dates (inclusive), or all.
    public var overlapping: ClosedRange<CalendarDate>?
    /// Include superseded rows as well as current ones.
    public var includeHistory: Bool

    public init(site: String, indicator: String? = nil, overlapping: ClosedRange<CalendarDate>? = nil, includeHistory: Bool = false) {
        self.site = site
        self.indicator = indicator
        self.overlapping = overlapping
        self.includeHistory = includeHistory
    }
}

/// One indicator-period's entry in a batch written by `MeasureStore.record(_:site:runID:at:)`.
public enum StoreWrite: Sendable, Hashable {
    /// A measure, with its run outcome (collected, unchanged or not available).
    case measure(Measure)
    /// An outcome that stored no measure: failed or skipped, with the reason.
    case outcome(indicator: String, period: String, kind: RunOutcomeKind, reason: String?)
    /// A response body to keep for conditional requests (replacing the URL's earlier one).
    case cacheFeedBody(CachedFeedBody)
    /// Forget the cached body of a URL, so its next fetch is unconditional.
    case forgetFeedBody(feed: String, url: String)
}
