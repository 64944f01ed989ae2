// Which rule, if any, marks each point of one phase, and whether it marks it high or low:
// NHSRplotthedots 0.2.2's ptd_special_cause_type, with the run and trend lengths as parameters.

/// A special cause found at one point: the rule, and whether it points up (above the mean,
/// or a rising trend) or down.
struct SpecialCause: Sendable, Hashable {
    var rule: SpecialCauseRule
    var high: Bool
}

/// The four rules over one phase, each point labelled by the first rule that marks it in the
/// package's order: beyond a limit, then a trend, then two of three, then a run.
struct SpecialCauses {
    var runLength: Int
    var trendLength: Int

    /// One entry per value: the special cause, or nil for common cause.
    func find(in values: ArraySlice<Double>, limits: XmRLimits) -> [SpecialCause?] {
        let values = Array(values)
        let count = values.count
        // Which side of the mean each point sits: +1, -1, or 0 exactly on it (a point on the
        // mean breaks a run, as in the package).
        let side: [Int] = values.map { $0 > limits.mean ? 1 : ($0 < limits.mean ? -1 : 0) }
        // Strictly beyond a limit: a point exactly on a limit is inside. A phase without
        // limits (one point) has no point beyond them, nor beyond two sigma.
        let outside: [Bool] = values.map { limits.defined && ($0 > limits.upper || $0 < limits.lower) }
        let near: [Bool] = (0..<count).map { i in
            limits.defined && !outside[i] && (values[i] < limits.nearLower || values[i] > limits.nearUpper)
        }
        let inTrend = trendPoints(values)
        let inTwoOfThree = twoOfThreePoints(near: near, side: side)
        let inRun = runPoints(side)

        var causes = [SpecialCause?](repeating: nil, count: count)
        for i in 0..<count {
            if outside[i] {
                causes[i] = SpecialCause(rule: .outsideLimits, high: side[i] == 1)
            } else if inTrend[i] {
                causes[i] = SpecialCause(rule: .trend, high: trendRises(at: i, values: values, inTrend: inTrend))
            } else if inTwoOfThree[i] {
                causes[i] = SpecialCause(rule: .twoOfThree, high: side[i] > 0)
            } else if inRun[i] {
                causes[i] = SpecialCause(rule: .run, high: side[i] > 0)
            }
        }
        return causes
    }

    /// Every point of a stretch of at least `trendLength` points each strictly above (or each
    /// strictly below) the one before. A tie ends the stretch. The package marks all the
    /// points of the stretch, from the first, not only those from the Nth on.
    private func trendPoints(_ values: [Double]) -> [Bool] {
        markStretches(count: values.count, length: max(trendLength, 2)) { i in
            // The step into point i; the first point has none.
            i == 0 ? 0 : step(values[i - 1], values[i])
        } joins: { i in i > 0 }
    }

    /// Every point of a stretch of at least `runLength` points on the same side of the mean.
    private func runPoints(_ side: [Int]) -> [Bool] {
        markStretches(count: side.count, length: max(runLength, 2)) { side[$0] } joins: { _ in false }
    }

    /// Marks the points of maximal stretches where `key` stays the same non-zero value and
    /// that are at least `length` points long. With `joins(i)` true, a stretch of keys from
    /// i also covers point i − 1 (a step's key belongs to the pair of points it joins).
    private func markStretches(count: Int, length: Int, key: (Int) -> Int, joins: (Int) -> Bool) -> [Bool] {
        var marked = [Bool](repeating: false, count: count)
        var i = 0
        while i < count {
            let k = key(i)
            var end = i
            while end + 1 < count && key(end + 1) == k { end += 1 }
            if k != 0 {
                let first = joins(i) ? i - 1 : i
                if end - first + 1 >= length {
                    for j in first...end { marked[j] = true }
                }
            }
            i = end + 1
        }
        return marked
    }

    /// Whether a trend point counts as rising. As in the package, a point whose next point is
    /// also in a trend takes the step after it; otherwise the step into it. So the peak
    /// shared by a rising and a falling trend is falling, and a tie counts as falling.
    private func trendRises(at i: Int, values: [Double], inTrend: [Bool]) -> Bool {
        if i + 1 < values.count && inTrend[i + 1] {
            return step(values[i], values[i + 1]) == 1
        }
        return i > 0 && step(values[i - 1], values[i]) == 1
    }

    /// The points near a limit (beyond two sigma, inside the limits) that belong to three
    /// consecutive points all on one side of the mean of which at least two are near it. The
    /// third point of such a triple is not marked by this rule.
    private func twoOfThreePoints(near: [Bool], side: [Int]) -> [Bool] {
        let count = near.count
        var marked = [Bool](repeating: false, count: count)
        guard count >= 3 else { return marked }
        for start in 0...(count - 3) {
            let s = side[start]
            guard s != 0, side[start + 1] == s, side[start + 2] == s else { continue }
            let nearCount = (start..<start + 3).count(where: { near[$0] })
            guard nearCount >= 2 else { continue }
            for j in start..<start + 3 where near[j] { marked[j] = true }
        }
        return marked
    }

    private func step(_ from: Double, _ to: Double) -> Int {
        to > from ? 1 : (to < from ? -1 : 0)
    }
}
