// The exact Poisson interval and the chi-square quantiles under it, against R's published
// values (`poisson.test`, `qchisq`), to 6 decimal places or better.
@testable import PioneerGoals
import Foundation
import PioneerKit
import Testing

@Suite("Exact Poisson interval")
struct ExactPoissonIntervalTests {
    /// `poisson.test(x)$conf.int` in R 4.x (identical to scipy's chi2.ppf halved).
    static let published: [(count: Double, lower: Double, upper: Double)] = [
        (0, 0, 3.6888794541139354),
        (1, 0.025317807984289876, 5.571643390938898),
        (2, 0.24220927854396496, 7.22468766772396),
        (5, 1.6234863901184207, 11.66833207932267),
        (10, 4.7953886961324335, 18.39035604201778),
        (20, 12.216519585403944, 30.8883779026746),
        (100, 81.36399125092314, 121.62679379242638),
        (1000, 938.9730184076952, 1063.952136016302),
        (12345, 12128.18090789908, 12564.722206913333),
    ]

    @Test(arguments: 0..<published.count)
    func countIntervalMatchesRsPoissonTest(case index: Int) throws {
        let expected = Self.published[index]
        let interval = try #require(ConfidenceInterval.exactPoisson(count: expected.count))
        #expect(abs(interval.lower - expected.lower) <= 1e-8 * max(1, expected.lower))
        #expect(abs(interval.upper - expected.upper) <= 1e-8 * max(1, expected.upper))
        #expect(interval.method == "poisson")
        #expect(interval.level == 0.95)
    }

    @Test func rateIntervalMatchesTheExampleInRsPoissonTestDocumentation() throws {
        // R's ?poisson.test: poisson.test(137, 24.19893) gives 4.753125 to 6.692709.
        let interval = try #require(ConfidenceInterval.exactPoissonRate(count: 137, denominator: 24.19893, factor: 1))
        #expect(abs(interval.lower - 4.753125) < 5e-7)
        #expect(abs(interval.upper - 6.692709) < 5e-7)
    }

    @Test func rateIntervalScalesTheCountsIntervalByFactorOverDenominator() throws {
        // 10 admissions among 2,000 people, per 1,000: 5.0, interval 10's × 0.5.
        let interval = try #require(ConfidenceInterval.exactPoissonRate(count: 10, denominator: 2000, factor: 1000))
        #expect(abs(interval.lower - 4.7953886961324335 / 2) < 1e-9)
        #expect(abs(interval.upper - 18.39035604201778 / 2) < 1e-9)
    }

    @Test func chiSquareQuantilesMatchRsQchisq() {
        // qchisq(0.975, 1), qchisq(0.025, 3), qchisq(0.5, 7.5), qchisq(0.999, 100).
        let cases: [(p: Double, df: Double, quantile: Double)] = [
            (0.975, 1, 5.023886187314888), (0.025, 3, 0.21579528262389785),
            (0.5, 7.5, 6.844905469601071), (0.999, 100, 149.44925277903886),
        ]
        for item in cases {
            let quantile = IncompleteGamma.chiSquareQuantile(item.p, degreesOfFreedom: item.df)
            #expect(abs(quantile - item.quantile) <= 1e-8 * item.quantile, "qchisq(\(item.p), \(item.df))")
        }
    }

    @Test func regularizedGammaMatchesRsPgammaOnBothSidesOfTheSeriesSplit() {
        // pgamma(2.5, 3) uses the series; pgamma(30, 10) the continued fraction; pgamma(0.1, 0.5) a small shape.
        #expect(abs(IncompleteGamma.regularizedLower(3, 2.5) - 0.45618688411667035) < 1e-12)
        #expect(abs(IncompleteGamma.regularizedLower(10, 30) - 0.9999928782491372) < 1e-12)
        #expect(abs(IncompleteGamma.regularizedLower(0.5, 0.1) - 0.34527915398142317) < 1e-12)
        #expect(IncompleteGamma.regularizedLower(4, 0) == 0)
    }

    @Test func limitsAreTheCountsWhoseTailsHoldTwoAndAHalfPercent() throws {
        // An independent check from Poisson sums: P(X ≥ 3 | lower) = 0.025 and P(X ≤ 3 | upper) = 0.025.
        let interval = try #require(ConfidenceInterval.exactPoisson(count: 3))
        func cumulative(_ k: Int, _ lambda: Double) -> Double {
            var term = exp(-lambda), sum = term
            for i in stride(from: 1, through: k, by: 1) { term *= lambda / Double(i); sum += term }
            return sum
        }
        #expect(abs((1 - cumulative(2, interval.lower)) - 0.025) < 1e-12)
        #expect(abs(cumulative(3, interval.upper) - 0.025) < 1e-12)
    }

    @Test func impossibleInputsGiveNoInterval() {
        #expect(ConfidenceInterval.exactPoisson(count: -1) == nil)
        #expect(ConfidenceInterval.exactPoisson(count: .nan) == nil)
        #expect(ConfidenceInterval.exactPoisson(count: 4, level: 1) == nil)
        #expect(ConfidenceInterval.exactPoissonRate(count: 4, denominator: 0, factor: 1000) == nil)
    }
}
