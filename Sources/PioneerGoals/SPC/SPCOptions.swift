// How to draw one XmR chart: the better direction, the target, where phases start, and the
// rule parameters, with NHSRplotthedots 0.2.2's defaults.
public import PioneerKit

/// The options of one XmR chart (``XmR/analyse(_:options:)``).
public struct SPCOptions: Sendable, Hashable {
    /// Which way is improvement; `.neutral` labels special causes high or low instead, and
    /// gives no assurance. The package's default is "increase" (`.higher`).
    public var better: Direction
    /// The target the assurance is judged against; nil gives no assurance.
    public var target: Double?
    /// 0-based offsets into the values where a new phase starts (limits are recalculated, and
    /// runs and trends do not cross into the next phase). Offsets outside the series, 0, or
    /// repeated change nothing.
    public var rebaseAt: [Int]
    /// Limits from the first N points of each phase, held for the rest of it (the package
    /// asks for N ≥ 12; `pioneer spc` asks for N ≥ the minimum points).
    public var fixAfter: Int?
    /// Screen out moving ranges above 3.267 × their mean before calculating the limits.
    public var screenOutliers: Bool
    /// Points in a row on one side of the mean that make a run (the package: 7; the NHS England
    /// Excel tool offers 6 or 7; below 2 counts as 2).
    public var runLength: Int
    /// Points in a row, each strictly above (or below) the one before, that make a trend (the
    /// package: 7; the NHS England Excel tool offers 6 or 7; below 2 counts as 2).
    public var trendLength: Int
    /// Fewer points than this give ``SPCResult/notEnoughPoints(have:need:)``. The package
    /// warns that a group of fewer than 12 points has only trial limits; the Excel tool draws
    /// limits from 13 points.
    public var minimumPoints: Int

    public init(better: Direction = .higher, target: Double? = nil, rebaseAt: [Int] = [],
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
