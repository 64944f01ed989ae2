// The least-squares line through a goal's recent points, carried on to its target period.
public import PioneerKit

extension Projection {
    /// The straight line fitted by least squares to the last `pointCount` of `points`
    /// (period, value), evaluated at `targetPeriod`; nil with fewer than two points, and nil
    /// when the target period is not after the last point (the series itself then says where
    /// it stood: a line carried backwards into measured periods says nothing).
    ///
    /// Periods are placed by their distance from the first, so a gap in the series (a month
    /// the feed was down) stretches the line as time did, not as the list did.
    /// `meetsTarget` asks whether the projected value is at the target or on its better
    /// side; for a neutral indicator, whether it lands within `band` of the target.
    ///
    /// A line that leaves `range` (what the value type can take: ``ValueType/possibleRange``)
    /// before the target period is held at the edge it reaches, and the projection says it
    /// was `bounded`: a proportion falling 10 points a month reaches 0% and stays there, it
    /// does not project -200%.
    /// Why ``leastSquares(_:pointCount:targetPeriod:target:better:band:range:)`` gives no
    /// line for these points, as the end of "no projection: …".
    public static func whyNone(_ points: [(period: Period, value: Double)], targetPeriod: Period) -> String {
        guard let last = points.last?.period else { return "no values yet" }
        guard points.count >= 2 else { return "one value so far; a line needs two" }
        guard last.type == targetPeriod.type else {
            return "the target period \(targetPeriod.label) is not \(last.type.article) \(last.type.displayName), as the values are"
        }
        if last.distance(to: targetPeriod) <= 0 {
            return "the values have reached the target period \(targetPeriod.label), so the latest value, not a line, says where the goal stands"
        }
        return "the recent values all fall in one period"
    }

    public static func leastSquares(_ points: [(period: Period, value: Double)], pointCount: Int,
                                    targetPeriod: Period, target: Double, better: Direction,
                                    band: Double, range: ClosedRange<Double>? = nil) -> Projection? {
        let recent = points.suffix(max(2, pointCount))
        guard recent.count >= 2, let origin = recent.first?.period, let last = recent.last?.period,
              origin.type == targetPeriod.type, last.distance(to: targetPeriod) > 0 else { return nil }
        let xs = recent.map { Double(origin.distance(to: $0.period)) }
        let ys = recent.map { $0.value }
        let n = Double(recent.count)
        let meanX = xs.reduce(0, +) / n
        let meanY = ys.reduce(0, +) / n
        var sxx = 0.0
        var sxy = 0.0
        for (x, y) in zip(xs, ys) {
            sxx += (x - meanX) * (x - meanX)
            sxy += (x - meanX) * (y - meanY)
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        let line = meanY + slope * (Double(origin.distance(to: targetPeriod)) - meanX)
        let value = range.map { min(max(line, $0.lowerBound), $0.upperBound) } ?? line
        let meets: Bool
        switch better {
        case .higher: meets = value >= target
        case .lower: meets = value <= target
        case .neutral: meets = abs(value - target) <= band
        }
        return Projection(value: value, meetsTarget: meets, pointsUsed: recent.count, slopePerPeriod: slope,
                          bounded: value != line)
    }
}

extension ValueType {
    /// The values a measure of this type can take, when they are bounded: a proportion from 0
    /// to 1, a count or rate from 0 up. Nil for a mean or an amount, which may be negative (a
    /// change, a deficit).
    public var possibleRange: ClosedRange<Double>? {
        switch self {
        case .proportion: 0...1
        case .count, .rate: 0...Double.greatestFiniteMagnitude
        case .mean, .amount: nil
        }
    }
}
