// The regularized incomplete gamma function and its inverse, which give the chi-square
// quantiles behind the exact (Garwood) Poisson interval for counts and rates.
import Foundation

/// The regularized lower incomplete gamma function P(a, x) and its inverse in x.
///
/// P(a, x) is the gamma(a, 1) distribution function, so P(2k/2, x/2) is the chi-square
/// distribution function with 2k degrees of freedom. Poisson tail sums are gamma
/// probabilities too: P(X ≥ k | λ) = P(k, λ), which is what makes the exact interval's
/// limits gamma quantiles.
enum IncompleteGamma {
    /// P(a, x) for a > 0 and x ≥ 0: the series below a + 1, where it converges fast, and the
    /// continued fraction for the upper function Q above it, where the series would lose
    /// digits to cancellation (the split Numerical Recipes and Cephes use).
    static func regularizedLower(_ a: Double, _ x: Double) -> Double {
        precondition(a > 0, "the shape of a gamma distribution is positive")
        guard x > 0 else { return 0 }
        if x < a + 1 {
            return lowerSeries(a, x)
        }
        return 1 - upperContinuedFraction(a, x)
    }

    /// The x with P(a, x) = p, for 0 < p < 1.
    ///
    /// Bisection rather than Newton: P is monotone in x, so bisection cannot step outside
    /// the bracket or oscillate where the density is tiny, and a hundred-odd halvings to
    /// full double precision cost nothing beside a store read.
    static func quantile(_ p: Double, shape a: Double) -> Double {
        precondition(p > 0 && p < 1, "a quantile's probability is between 0 and 1")
        // Bracket: grow the upper end until P(a, high) ≥ p.
        var low = 0.0
        var high = max(1, a)
        while regularizedLower(a, high) < p {
            low = high
            high *= 2
        }
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if middle <= low || middle >= high { break }
            if regularizedLower(a, middle) < p {
                low = middle
            } else {
                high = middle
            }
        }
        return (low + high) / 2
    }

    /// The chi-square quantile with `degreesOfFreedom`, as R's `qchisq(p, df)`.
    static func chiSquareQuantile(_ p: Double, degreesOfFreedom: Double) -> Double {
        2 * quantile(p, shape: degreesOfFreedom / 2)
    }

    /// e^(−x) x^a / Γ(a), the factor both expansions share, in logarithms so large
    /// counts do not overflow.
    private static func prefactor(_ a: Double, _ x: Double) -> Double {
        exp(a * log(x) - x - lgamma(a))
    }

    /// P(a, x) = prefactor × Σ xⁿ / (a (a+1) … (a+n)).
    private static func lowerSeries(_ a: Double, _ x: Double) -> Double {
        var term = 1 / a
        var sum = term
        var denominator = a
        for _ in 0..<10_000 {
            denominator += 1
            term *= x / denominator
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return min(1, sum * prefactor(a, x))
    }

    /// Q(a, x) by Lentz's method on the continued fraction
    /// 1 / (x + 1 − a − 1·(1 − a) / (x + 3 − a − 2·(2 − a) / (x + 5 − a − …))).
    private static func upperContinuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var fraction = d
        for step in 1..<10_000 {
            let n = Double(step)
            let an = -n * (n - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            fraction *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return max(0, fraction * prefactor(a, x))
    }
}
