// The exact (Garwood) Poisson interval, for counts and for rates built on a count.
public import PioneerKit

extension ConfidenceInterval {
    /// The exact Poisson interval for an observed `count`, as R's `poisson.test(count)$conf.int`:
    /// from the α/2 quantile of chi-square with 2·count degrees of freedom, halved (0 for a
    /// count of 0), to the 1 − α/2 quantile with 2·(count + 1), halved. Nil for a negative or
    /// non-finite count or a level outside 0…1.
    ///
    /// Exact rather than normal because the counts that matter here are small: 3 deaths at
    /// home in a month gives 0.62 to 8.77, where count ± 1.96·√count would reach below zero.
    /// 10 gives 4.795389 to 18.390356.
    public static func exactPoisson(count: Double, level: Double = 0.95) -> ConfidenceInterval? {
        guard count.isFinite, count >= 0, level > 0, level < 1 else { return nil }
        let alpha = 1 - level
        let lower = count == 0 ? 0 : IncompleteGamma.quantile(alpha / 2, shape: count)
        let upper = IncompleteGamma.quantile(1 - alpha / 2, shape: count + 1)
        return ConfidenceInterval(lower: lower, upper: upper, level: level, method: "poisson")
    }

    /// The exact interval for a rate of `count` events over `denominator` people, × `factor`
    /// (per 1,000 and so on): the count's interval scaled as the rate is. Nil when the
    /// denominator is not positive.
    public static func exactPoissonRate(count: Double, denominator: Double, factor: Double,
                                        level: Double = 0.95) -> ConfidenceInterval? {
        guard denominator > 0, denominator.isFinite, factor > 0,
              let counted = exactPoisson(count: count, level: level) else { return nil }
        let scale = factor / denominator
        return ConfidenceInterval(lower: counted.lower * scale, upper: counted.upper * scale, level: level, method: "poisson")
    }
}
