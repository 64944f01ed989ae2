// The Wilson score interval for a proportion, used for survey and other "share of n" measures.
import Foundation
public import PioneerKit

extension ConfidenceInterval {
    /// The normal quantile for a two-sided 95% interval.
    public static let z95 = 1.959964

    /// The Wilson score interval for `successes` out of `trials`, or nil when `trials` is not positive
    /// or `successes` is outside `0...trials`.
    ///
    /// Unlike the textbook p ± z·√(p(1−p)/n), the Wilson interval stays inside 0...1 and is
    /// not zero-width at 0% or 100%, which matters for the small samples surveys give.
    /// 81 agreeing out of 263 gives 0.2553 to 0.3662.
    public static func wilson(successes: Int, trials: Int, z: Double = z95, level: Double = 0.95) -> ConfidenceInterval? {
        guard trials > 0, (0...trials).contains(successes) else { return nil }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let scale = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / scale
        let half = z / scale * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return ConfidenceInterval(
            lower: max(0, centre - half), upper: min(1, centre + half), level: level, method: "wilson")
    }
}
