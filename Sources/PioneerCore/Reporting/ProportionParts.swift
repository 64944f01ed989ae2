// Whether a proportion's value is its numerator over its denominator: the one rule `collect`
// (ObservationCheck) and the national intake (ValueRules) hold a value and its parts to.

/// The agreement a proportion's value must have with its parts.
///
/// A value is often rounded (to three places by a plugin, or by a site's system), so it agrees
/// when it is within half a unit of the numerator (`0.5 / denominator`), or within 0.0005 of
/// the ratio, whichever is looser: 0.781 with 1,886 / 2,416 (0.78063) agrees; 0.9 with 1 / 10
/// and 0.99 with 1,886 / 2,416 do not.
public enum ProportionParts {
    /// The largest difference from the ratio that rounding to three places explains.
    public static let roundingTolerance = 0.0005

    /// True when `value` is `numerator / denominator` to rounding; `denominator` must be above 0.
    public static func agree(value: Double, numerator: Double, denominator: Double) -> Bool {
        let ratio = numerator / denominator
        let allowed = max(0.5 / denominator, roundingTolerance) + 1e-12
        return abs(value - ratio) <= allowed
    }
}
