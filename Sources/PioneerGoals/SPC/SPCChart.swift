// What an XmR chart says: each point's limits and label, the variation and the assurance.

/// A point's label, in the Making Data Count convention.
public enum SPCPointType: String, Sendable, Hashable, Codable, CaseIterable {
    case commonCause = "common_cause"
    case specialCauseImprovement = "special_cause_improvement"
    case specialCauseConcern = "special_cause_concern"
    case specialCauseNeutralHigh = "special_cause_neutral_high"
    case specialCauseNeutralLow = "special_cause_neutral_low"

    /// Plain words for people.
    public var words: String {
        switch self {
        case .commonCause: "common cause variation"
        case .specialCauseImprovement: "special cause: improvement"
        case .specialCauseConcern: "special cause: concern"
        case .specialCauseNeutralHigh: "special cause: higher"
        case .specialCauseNeutralLow: "special cause: lower"
        }
    }
}

/// The rule that made a point a special cause.
public enum SpecialCauseRule: String, Sendable, Hashable, Codable, CaseIterable {
    case outsideLimits = "outside_limits"
    case run
    case trend
    case twoOfThree = "two_of_three"

    public var words: String {
        switch self {
        case .outsideLimits: "a point beyond a process limit"
        case .run: "a run of points on one side of the mean"
        case .trend: "a trend of points rising or falling"
        case .twoOfThree: "two of three points beyond two sigma"
        }
    }
}

/// Whether the process, as it runs now, will meet the target.
public enum Assurance: String, Sendable, Hashable, Codable, CaseIterable {
    case consistentPass = "consistent_pass"
    case consistentFail = "consistent_fail"
    case inconsistent

    public var words: String {
        switch self {
        case .consistentPass: "will consistently meet the target"
        case .consistentFail: "will consistently miss the target"
        case .inconsistent: "may meet or miss the target"
        }
    }
}

/// One point of an XmR chart.
public struct SPCPoint: Sendable, Hashable {
    /// 0-based offset into the values analysed.
    public var index: Int
    public var value: Double
    /// 0 for the first phase, one more at each rebase.
    public var phase: Int
    public var mean: Double
    public var lowerLimit: Double
    public var upperLimit: Double
    /// False in a phase of one point (after a rebase), which has no moving range and so no
    /// limits (NaN in the package): `lowerLimit` and `upperLimit` then equal `mean` and are
    /// not limits; draw and print none, and there is no assurance from them.
    public var hasLimits: Bool
    public var pointType: SPCPointType
    /// The rule that fired, in the package's priority order; nil for common cause.
    public var specialCause: SpecialCauseRule?

    public init(index: Int, value: Double, phase: Int, mean: Double, lowerLimit: Double, upperLimit: Double,
                hasLimits: Bool = true, pointType: SPCPointType, specialCause: SpecialCauseRule?) {
        self.index = index
        self.value = value
        self.phase = phase
        self.mean = mean
        self.lowerLimit = lowerLimit
        self.upperLimit = upperLimit
        self.hasLimits = hasLimits
        self.pointType = pointType
        self.specialCause = specialCause
    }
}

/// A whole chart.
public struct SPCChart: Sendable, Hashable {
    public var points: [SPCPoint]
    /// The latest point's label.
    public var variation: SPCPointType
    /// From the target against the latest limits; nil without a target.
    public var assurance: Assurance?

    public init(points: [SPCPoint], variation: SPCPointType, assurance: Assurance?) {
        self.points = points
        self.variation = variation
        self.assurance = assurance
    }
}

/// A chart, or why there is none.
public enum SPCResult: Sendable, Hashable {
    case chart(SPCChart)
    case notEnoughPoints(have: Int, need: Int)

    public var chart: SPCChart? {
        if case .chart(let chart) = self { chart } else { nil }
    }
}
