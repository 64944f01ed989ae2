// Where a goal stands: its latest value and interval against the trajectory, the
// projection to the target period, and the site's own view beside the evidence.
public import PioneerCore
public import PioneerKit

/// One stored period of an indicator: a value, or why there is none.
public struct SeriesPoint: Sendable, Hashable {
    public var period: Period
    public var observation: Observation

    public init(period: Period, observation: Observation) {
        self.period = period
        self.observation = observation
    }
}

/// A goal's computed status.
public enum GoalStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case achieved
    case onTrack = "on track"
    case atRisk = "at risk"
    case offTrack = "off track"
    case noData = "no data"
}

/// Where the recent trend leads by the target period.
public struct Projection: Sendable, Hashable {
    /// The projected value at the target period, within what the indicator's value type can
    /// take (see ``bounded``).
    public var value: Double
    public var meetsTarget: Bool
    public var pointsUsed: Int
    /// Least-squares slope, per period of the indicator's type.
    public var slopePerPeriod: Double
    /// True when the line left the value type's range before the target period (a proportion
    /// below 0% or above 100%, a count or rate below 0) and `value` is the edge it reached.
    public var bounded: Bool

    public init(value: Double, meetsTarget: Bool, pointsUsed: Int, slopePerPeriod: Double, bounded: Bool = false) {
        self.value = value
        self.meetsTarget = meetsTarget
        self.pointsUsed = pointsUsed
        self.slopePerPeriod = slopePerPeriod
        self.bounded = bounded
    }
}

/// The site's self-assessment against the computed status.
public enum AssessmentAgreement: String, Sendable, Hashable, Codable, CaseIterable {
    case agrees
    /// Green (or high confidence) but off track.
    case optimistic
    /// Red (or low confidence) but on track or achieved.
    case pessimistic
    /// No self-assessment, or no status to set it against.
    case notAssessed = "not assessed"
}

/// A goal judged on its indicator's series.
public struct GoalAssessment: Sendable, Hashable {
    public var goal: Goal
    /// Nil for a neutral indicator, which gets no status.
    public var status: GoalStatus?
    /// With `.noData`: why ("nothing collected yet", "latest value not available: …", "latest value is 5 periods old").
    public var noDataReason: String?
    /// Why the status is not what the latest value alone would give: it meets the target,
    /// but as common cause variation ("…: not yet achieved"); nil otherwise.
    public var statusNote: String?
    /// The latest available point.
    public var latest: SeriesPoint?
    /// The 95% interval that decided (Wilson, exact Poisson, or the measure's own).
    public var interval: ConfidenceInterval?
    /// The trajectory's value at the latest period.
    public var expected: Double?
    /// Latest value minus expected.
    public var gap: Double?
    public var projection: Projection?
    /// Why there is no ``projection``; nil when there is one.
    public var noProjectionReason: String?
    public var agreement: AssessmentAgreement

    public init(goal: Goal, status: GoalStatus?, noDataReason: String? = nil, latest: SeriesPoint? = nil,
                interval: ConfidenceInterval? = nil, expected: Double? = nil, gap: Double? = nil,
                projection: Projection? = nil, agreement: AssessmentAgreement = .notAssessed) {
        self.goal = goal
        self.status = status
        self.noDataReason = noDataReason
        self.latest = latest
        self.interval = interval
        self.expected = expected
        self.gap = gap
        self.projection = projection
        self.agreement = agreement
    }
}
