// How to draw one XmR chart: the better direction, the target, where phases start, and the
// rule parameters, with NHSRplotthedots 0.2.2's defaults.
public import PioneerKit

/// The options of one XmR chart (``XmR/analyse(_:options:)``).
public struct SPCOptions: Sendable, Hashable {
    /// Which way is improvement; `.neutral` labels special causes high or low instead.
    public var better: Direction
    /// The target the assurance is judged against; nil gives no assurance.
    public var target: Double?
    /// 0-based offsets into the values where a new phase starts (limits are recalculated).
    public var rebaseAt: [Int]
    /// Limits from the first N points of each phase, held for the rest of it.
    public var fixAfter: Int?
    /// Screen out moving ranges above 3.267 × their mean before calculating the limits.
    public var screenOutliers: Bool
    /// Points in a row on one side of the mean that make a run.
    public var runLength: Int
    /// Points in a row rising or falling that make a trend.
    public var trendLength: Int
    /// Fewer points than this give ``SPCResult/notEnoughPoints(have:need:)``.
    public var minimumPoints: Int

    public init(better: Direction = .neutral, target: Double? = nil, rebaseAt: [Int] = [],
                fixAfter: Int? = nil, screenOutliers: Bool = true, runLength: Int = 7,
                trendLength: Int = 7, minimumPoints: Int = 12) {
        self.better = better
        self.target = target
        self.rebaseAt = rebaseAt
        self.fixAfter = fixAfter
        self.screenOutliers = screenOutliers
        self.runLength = runLength
        self.trendLength = trendLength
        self.minimumPoints = minimumPoints
    }
}
