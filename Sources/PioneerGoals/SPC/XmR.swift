// The XmR (individuals and moving range) chart of the NHS "Making Data Count" method, with the
// semantics of the NHS-R community's NHSRplotthedots 0.2.2: the one engine behind
// `pioneer spc`, `pioneer progress` and `pioneer report`. docs/spc.md describes the method.
import PioneerKit

/// Draws XmR charts.
public enum XmR {
    /// The chart of `values` (in time order, no gaps): each point's phase, mean, limits and
    /// label, the variation (the latest point's label) and the assurance (the target against
    /// the latest limits).
    ///
    /// Fewer values than `options.minimumPoints` give ``SPCResult/notEnoughPoints(have:need:)``.
    /// Values must be finite.
    public static func analyse(_ values: [Double], options: SPCOptions) -> SPCResult {
        let need = max(options.minimumPoints, 1)
        guard values.count >= need else {
            return .notEnoughPoints(have: values.count, need: need)
        }
        let rules = SpecialCauses(runLength: options.runLength, trendLength: options.trendLength)
        var points: [SPCPoint] = []
        points.reserveCapacity(values.count)
        for (phase, range) in phases(count: values.count, rebaseAt: options.rebaseAt).enumerated() {
            let slice = values[range]
            let limits = XmRLimits(slice, fixAfter: options.fixAfter, screenOutliers: options.screenOutliers)
            let causes = rules.find(in: slice, limits: limits)
            for (offset, index) in range.enumerated() {
                let cause = causes[offset]
                points.append(SPCPoint(
                    index: index, value: values[index], phase: phase,
                    mean: limits.mean, lowerLimit: limits.lower, upperLimit: limits.upper, hasLimits: limits.defined,
                    pointType: pointType(cause, better: options.better),
                    specialCause: cause?.rule))
            }
        }
        let latest = points[points.count - 1]
        return .chart(SPCChart(
            points: points, variation: latest.pointType,
            assurance: assurance(target: options.target, better: options.better, latest: latest)))
    }

    /// The index ranges of the phases: a new one at each rebase offset. Offsets outside the
    /// series, at its first point, or repeated change nothing (as a rebase date the package
    /// does not find in the data changes nothing).
    static func phases(count: Int, rebaseAt: [Int]) -> [Range<Int>] {
        let starts = [0] + Set(rebaseAt.filter { $0 > 0 && $0 < count }).sorted()
        return starts.indices.map { i in
            starts[i]..<(i + 1 < starts.count ? starts[i + 1] : count)
        }
    }

    /// Improvement or concern from the better direction; high or low when neither is better.
    static func pointType(_ cause: SpecialCause?, better: Direction) -> SPCPointType {
        guard let cause else { return .commonCause }
        switch better {
        case .higher: return cause.high ? .specialCauseImprovement : .specialCauseConcern
        case .lower: return cause.high ? .specialCauseConcern : .specialCauseImprovement
        case .neutral: return cause.high ? .specialCauseNeutralHigh : .specialCauseNeutralLow
        }
    }

    /// The package's assurance: a target strictly beyond a limit is always (or never) met; a
    /// target on a limit or between them may or may not be. A neutral indicator has none, nor
    /// a latest phase without limits (one point after a rebase: the package's limits are NaN).
    static func assurance(target: Double?, better: Direction, latest: SPCPoint) -> Assurance? {
        guard let target, better != .neutral, latest.hasLimits else { return nil }
        let higherIsBetter = better == .higher
        if target > latest.upperLimit {
            return higherIsBetter ? .consistentFail : .consistentPass
        }
        if target < latest.lowerLimit {
            return higherIsBetter ? .consistentPass : .consistentFail
        }
        return .inconsistent
    }
}
