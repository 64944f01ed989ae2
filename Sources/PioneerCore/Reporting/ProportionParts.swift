// Whether a proportion's value is its numerator over its denominator, and a rate's its
// numerator over its denominator times its factor: the rules `collect` (ObservationCheck) and
// the national intake (ValueRules) hold a value and its parts to.

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

/// The agreement a rate's value must have with its parts: numerator ÷ denominator × factor.
///
/// Looser than a proportion's: a site's system may give the rate rounded to one or two
/// significant places, so it agrees within half a unit of the numerator (`0.5 / denominator ×
/// factor`), 5% of the rate, or 0.05, whichever is loosest: 20.8 with 783 / 37,600 per 1,000
/// (20.82) agrees; 9.9e99, or 208, with the same parts does not.
public enum RateParts {
    /// True when `value` is `numerator / denominator × factor` to rounding; `denominator` must be above 0.
    public static func agree(value: Double, numerator: Double, denominator: Double, factor: Double) -> Bool {
        let expected = numerator / denominator * factor
        let allowed = max(0.5 / denominator * factor, abs(expected) * 0.05, 0.05)
        return abs(value - expected) <= allowed
    }
}

/// The agreement an average's value (a `mean`, or an `amount` given with its parts, such as a
/// cost per patient) must have with its parts: the sum over the number averaged.
///
/// Pioneer's plugins give the quotient itself, so the value must be it to the penny (0.005) or
/// to 0.1%, whichever is looser: £250.63 with 117,546.28 / 469 (250.6317) agrees; 1% more
/// does not. The national aggregate pools such averages from their parts, and a value that is
/// not its parts' quotient would be pooled as something it does not say.
public enum AverageParts {
    /// True when `value` is `numerator / denominator` to the penny or 0.1%; `denominator` must be above 0.
    public static func agree(value: Double, numerator: Double, denominator: Double) -> Bool {
        let expected = numerator / denominator
        return abs(value - expected) <= max(0.005, abs(expected) * 0.001) + 1e-9 * abs(expected)
    }
}
