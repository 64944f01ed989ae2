// The centre line and process limits of one phase of an XmR chart, as NHSRplotthedots 0.2.2
// calculates them (ptd_spc_standard): the mean, and the mean ± 2.66 × the mean moving range,
// with outlying moving ranges screened out first by default.

/// The mean and limits of one phase.
struct XmRLimits: Sendable, Hashable {
    /// 3 / d2 for subgroups of two (d2 = 1.128), rounded as the Making Data Count tools do.
    static let limitFactor = 2.66
    /// Nelson's screen: a moving range at or above 3.267 × the mean moving range is left out.
    static let screeningFactor = 3.267
    /// Two sigma, written as the package writes it so the products round the same way.
    static let twoSigmaFactor = 2 * (limitFactor / 3)

    var mean: Double
    var lower: Double
    var upper: Double
    /// Two sigma either side of the mean: points beyond these (but inside the limits) count
    /// toward "two of three".
    var nearLower: Double
    var nearUpper: Double
    /// False for a phase of one point (or limits fixed on one point): with no moving range
    /// there is no spread, and the package's limits are NaN. `lower` and `upper` then sit on
    /// the mean, and no point is beyond them.
    var defined: Bool

    /// The limits of `values` (one phase), from its first `fixAfter` points when given.
    ///
    /// A phase of one point has no moving range and no limits (``defined`` is false), as in
    /// the package, whose limits are NaN there.
    ///
    /// Where screening drops every moving range because all are zero (the package keeps a
    /// range only when it is strictly below 3.267 × their mean, and 0 is not below 0) the
    /// package also gives NaN limits; here the mean moving range is 0 instead, so the limits
    /// sit on the mean, which is what the package gives without screening. docs/spc.md lists
    /// this difference.
    init(_ values: ArraySlice<Double>, fixAfter: Int?, screenOutliers: Bool) {
        let start = values.startIndex
        let basis = min(max(fixAfter ?? values.count, 1), values.count)
        let mean = Self.mean(values[start..<(start + basis)])

        var rangeSum = 0.0
        for offset in 1..<max(basis, 1) {
            rangeSum += abs(values[start + offset] - values[start + offset - 1])
        }
        let rangeCount = basis - 1
        var meanRange = rangeCount > 0 ? rangeSum / Double(rangeCount) : 0
        if screenOutliers && rangeCount > 0 {
            let threshold = Self.screeningFactor * meanRange
            var keptSum = 0.0
            var kept = 0
            for offset in 1..<basis {
                let range = abs(values[start + offset] - values[start + offset - 1])
                if range < threshold {
                    keptSum += range
                    kept += 1
                }
            }
            meanRange = kept > 0 ? keptSum / Double(kept) : 0
        }

        self.mean = mean
        defined = rangeCount > 0
        lower = mean - Self.limitFactor * meanRange
        upper = mean + Self.limitFactor * meanRange
        nearLower = mean - Self.twoSigmaFactor * meanRange
        nearUpper = mean + Self.twoSigmaFactor * meanRange
    }

    /// The mean as R's `mean` gives it: the sum over the count, corrected by the mean of the
    /// residuals, so a constant series has its value exactly as its mean (a plain sum of 24
    /// values of 0.1 is 0.1 plus an ulp, which put every point of a flat series a hair outside
    /// limits of zero width). A sum that overflows is taken over the values divided first.
    static func mean(_ values: ArraySlice<Double>) -> Double {
        guard !values.isEmpty else { return 0 }
        let count = Double(values.count)
        var sum = 0.0
        for value in values { sum += value }
        var mean = sum / count
        if !mean.isFinite {
            mean = 0
            for value in values { mean += value / count }
        }
        var residuals = 0.0
        for value in values { residuals += value - mean }
        let corrected = mean + residuals / count
        return corrected.isFinite ? corrected : mean
    }
}
