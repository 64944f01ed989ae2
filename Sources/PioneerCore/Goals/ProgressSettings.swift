// The site's settings for judging progress: SPC options per indicator, events the charts
// mark, and how goals are judged (tolerance, projection, staleness).
public import PioneerKit

/// An indicator's `spc:` block. Every field is optional; nil means the engine's default.
public struct SPCSettings: Sendable, Hashable {
    /// Periods where a new phase starts. Only where the site says: never automatically on a signal.
    public var rebaseAt: [Period]
    /// Limits from the first N points of each phase.
    public var fixAfter: Int?
    /// Screen out large moving ranges before the limits (the default).
    public var screenOutliers: Bool
    public var runLength: Int?
    public var trendLength: Int?
    public var minimumPoints: Int?

    public init(rebaseAt: [Period] = [], fixAfter: Int? = nil, screenOutliers: Bool = true,
                runLength: Int? = nil, trendLength: Int? = nil, minimumPoints: Int? = nil) {
        self.rebaseAt = rebaseAt
        self.fixAfter = fixAfter
        self.screenOutliers = screenOutliers
        self.runLength = runLength
        self.trendLength = trendLength
        self.minimumPoints = minimumPoints
    }
}

/// Something that happened at a site, marked on its charts ("frailty hubs open").
public struct SiteEvent: Sendable, Hashable {
    public var period: Period
    public var label: String
    /// The indicators it concerns; empty for all.
    public var indicators: [String]

    public init(period: Period, label: String, indicators: [String] = []) {
        self.period = period
        self.label = label
        self.indicators = indicators
    }

    public func applies(to indicatorID: String) -> Bool {
        indicators.isEmpty || indicators.contains(indicatorID)
    }
}

/// The site's `progress:` block: how goals are judged.
public struct ProgressSettings: Sendable, Hashable {
    /// How far from the trajectory still counts as `at risk` rather than `off track`, as a
    /// fraction of the baseline-to-target change.
    public var tolerance: Double
    /// Points in the least-squares projection to the target period.
    public var projectionPoints: Int
    /// A latest value more than this many periods before the period judged is too old.
    public var staleAfterPeriods: Int

    public init(tolerance: Double = 0.1, projectionPoints: Int = 12, staleAfterPeriods: Int = 3) {
        self.tolerance = tolerance
        self.projectionPoints = projectionPoints
        self.staleAfterPeriods = staleAfterPeriods
    }
}
