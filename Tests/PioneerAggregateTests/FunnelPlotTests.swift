// Funnel plot limits checked against figures worked out independently of the code: the
// numbers below come from Spiegelhalter (2005)'s formulas, evaluated by a separate
// Python script (the derivation is written beside each), to 6 decimals.
import PioneerAggregate
import PioneerKit
import Testing

@Suite("Funnel plots")
struct FunnelPlotTests {
    /// Proportions: 1,995 of 6,550, p₀ = 0.304580152671756.
    static let proportions = PoolingTests.proportions

    /// Rates per 1,000: 1,490 events in 355,000 people, θ₀ = 4.197183 per 1,000.
    static let rates = [(50.0, 20000.0), (300, 60000), (90, 45000), (800, 150000), (40, 10000), (210, 70000)]
        .enumerated().map { index, parts in
            SiteFigure(site: "s\(index + 1)", value: parts.0 / parts.1 * 1000, numerator: parts.0, denominator: parts.1)
        }

    static func expectLimits(_ limits: FunnelLimits, _ expected: [Double], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let actual = [limits.lower95, limits.upper95, limits.lower998, limits.upper998]
        for (got, want) in zip(actual, expected) {
            #expect(abs(got - want) < 5e-7, "limits \(actual) differ from \(expected)", sourceLocation: sourceLocation)
        }
    }

    @Test func binomialLimitsWithoutAdjustmentAreTheNormalApproximation() throws {
        let plot = try FunnelPlot(Self.proportions, distribution: .binomial, options: FunnelOptions(overdispersion: .none))
        #expect(!plot.isAdjusted)
        #expect(abs(plot.pooledValue - 0.304580) < 5e-7)
        // By hand: p₀ ± z·√(p₀(1 − p₀)/n), z = 1.959964 and 3.090232.
        let p0 = 1995.0 / 6550
        let standardError = (p0 * (1 - p0) / 300).squareRoot()
        #expect(abs(plot.limits(at: 300).upper95 - (p0 + 1.959964 * standardError)) < 5e-7)
        Self.expectLimits(plot.limits(at: 300), [0.252501, 0.356659, 0.222468, 0.386692])
        Self.expectLimits(plot.limits(at: 100), [0.214377, 0.394783, 0.162359, 0.446802])
        Self.expectLimits(plot.limits(at: 3000), [0.288111, 0.321049, 0.278614, 0.330546])
        #expect(plot.points.map(\.position) == [.inside, .above998, .below998, .inside, .inside, .above998])
        #expect(plot.outside.map(\.site) == ["b", "c", "f"])
    }

    @Test func theDispersionRatioComesFromWinsorisedZScores() throws {
        let plot = try FunnelPlot(Self.proportions, distribution: .binomial)
        // z = (pᵢ − p₀)/√(p₀(1 − p₀)/nᵢ): −0.099519, 3.591079, −7.185797, −0.545088, −0.121885, 4.413532.
        let zScores = [-0.099519, 3.591079, -7.185797, -0.545088, -0.121885, 4.413532]
        for (point, z) in zip(plot.points, zScores) {
            #expect(abs(point.zScore - z) < 5e-7)
        }
        // Winsorised at R's type-7 10th and 90th percentiles (−3.865442 and 4.002306), so
        // c's −7.19 counts as −3.87 and f's 4.41 as 4.00: φ = Σ z²/6.
        let winsorised = [-0.099519, 3.591079, -3.865442, -0.545088, -0.121885, 4.002306]
        let byHand = winsorised.map { $0 * $0 }.reduce(0, +) / 6
        #expect(abs(plot.phi - byHand) < 1e-5)
        #expect(abs(plot.phi - 7.362971) < 5e-7)
        // τ² = (6φ − 5)/(Σw − Σw²/Σw), wᵢ = nᵢ/(p₀(1 − p₀)).
        #expect(abs(plot.tau2 - 0.001888598) < 5e-10)
    }

    @Test func multiplicativeOverdispersionWidensBinomialLimitsBySquareRootOfPhi() throws {
        let plot = try FunnelPlot(Self.proportions, distribution: .binomial, options: FunnelOptions(overdispersion: .multiplicative))
        #expect(plot.isAdjusted)
        // p₀ ± z·√(φ·p₀(1 − p₀)/n), cut at 0 and 1.
        Self.expectLimits(plot.limits(at: 1000), [0.227179, 0.381982, 0.182543, 0.426617])
        Self.expectLimits(plot.limits(at: 100), [0.059815, 0.549345, 0.000000, 0.690495])
        #expect(plot.points.map(\.position) == [.inside, .inside, .below95, .inside, .inside, .inside])
        #expect(plot.outside.map(\.site) == ["c"])
    }

    @Test func additiveOverdispersionAddsTheBetweenSiteVarianceToBinomialLimits() throws {
        let plot = try FunnelPlot(Self.proportions, distribution: .binomial, options: FunnelOptions(overdispersion: .additive))
        // p₀ ± z·√(p₀(1 − p₀)/n + τ²).
        Self.expectLimits(plot.limits(at: 3000), [0.217827, 0.391334, 0.167798, 0.441363])
        Self.expectLimits(plot.limits(at: 300), [0.204744, 0.404416, 0.147171, 0.461989])
        #expect(plot.outside.map(\.site) == ["c"])
        #expect(plot.outside.first?.position == .below95)
    }

    @Test func poissonLimitsWithoutAdjustmentAreShownPerTheRateFactor() throws {
        let plot = try FunnelPlot(Self.rates, distribution: .poisson, scale: 1000, options: FunnelOptions(overdispersion: .none))
        #expect(abs(plot.pooledValue - 4.197183) < 5e-7)
        // (θ₀ ± z·√(θ₀/n)) × 1,000.
        Self.expectLimits(plot.limits(at: 20000), [3.299316, 5.095050, 2.781536, 5.612830])
        Self.expectLimits(plot.limits(at: 150_000), [3.869328, 4.525038, 3.680262, 4.714104])
        #expect(plot.points.map(\.position) == [.below998, .above95, .below998, .above998, .inside, .below998])
        #expect(plot.outside.map(\.site) == ["s1", "s2", "s3", "s4", "s6"])
    }

    @Test func poissonLimitsWithMultiplicativeOverdispersion() throws {
        let plot = try FunnelPlot(Self.rates, distribution: .poisson, scale: 1000, options: FunnelOptions(overdispersion: .multiplicative))
        #expect(abs(plot.phi - 17.930446) < 5e-7)
        // A rate's limits stop at 0.
        Self.expectLimits(plot.limits(at: 10000), [0.000000, 9.573967, 0.000000, 12.674641])
        Self.expectLimits(plot.limits(at: 60000), [2.002120, 6.392246, 0.736275, 7.658091])
        #expect(plot.outside.isEmpty)
    }

    @Test func poissonLimitsWithAdditiveOverdispersion() throws {
        let plot = try FunnelPlot(Self.rates, distribution: .poisson, scale: 1000, options: FunnelOptions(overdispersion: .additive))
        // τ² per person² = 1.652413e-6, i.e. 1.652413 per 1,000 squared.
        #expect(abs(plot.tau2 * 1_000_000 - 1.652413) < 5e-7)
        Self.expectLimits(plot.limits(at: 150_000), [1.656481, 6.737885, 0.191315, 8.203052])
        Self.expectLimits(plot.limits(at: 20000), [1.522517, 6.871850, 0.000000, 8.414271])
        #expect(plot.outside.isEmpty)
    }

    @Test func sitesWithinChanceLeaveTheLimitsUnadjustedWhicheverAdjustmentIsChosen() throws {
        // 564 of 2,250 (p₀ = 0.250667) with every site near it: φ = 0.007208 ≤ 1.
        let figures = [(50.0, 200.0), (76, 300), (24, 100), (250, 1000), (126, 500), (38, 150)].enumerated().map { index, parts in
            SiteFigure(site: "s\(index)", value: parts.0 / parts.1, numerator: parts.0, denominator: parts.1)
        }
        for method in Overdispersion.allCases {
            let plot = try FunnelPlot(figures, distribution: .binomial, options: FunnelOptions(overdispersion: method))
            #expect(abs(plot.phi - 0.007208) < 5e-7)
            #expect(plot.tau2 == 0)
            #expect(!plot.isAdjusted)
            Self.expectLimits(plot.limits(at: 100), [0.165722, 0.335611, 0.116737, 0.384596])
            #expect(plot.outside.isEmpty)
        }
    }

    @Test func aFunnelNeedsTwoSitesWithParts() {
        let figures = [SiteFigure(site: "a", value: 0.3, numerator: 3, denominator: 10), SiteFigure(site: "b", value: 0.4)]
        #expect(throws: FunnelUnavailable(reason: "a funnel plot needs at least two sites with a numerator and a denominator; 1 gave them")) {
            try FunnelPlot(figures, distribution: .binomial)
        }
    }

    @Test func aPooledProportionOfZeroHasNoLimits() {
        let figures = [SiteFigure(site: "a", value: 0, numerator: 0, denominator: 10),
                       SiteFigure(site: "b", value: 0, numerator: 0, denominator: 20)]
        #expect(throws: FunnelUnavailable(reason: "the pooled value is 0, which leaves no variation to draw limits from")) {
            try FunnelPlot(figures, distribution: .binomial)
        }
    }

    @Test func sitesWithoutPartsAreLeftOffThePlotWithTheReason() throws {
        let plot = try FunnelPlot(Self.proportions + [SiteFigure(site: "g", value: 0.5)], distribution: .binomial)
        #expect(plot.points.count == 6)
        #expect(plot.leftOut == [LeftOutSite(site: "g", reason: "it gives no numerator with a denominator above 0")])
    }

    @Test func onlyProportionsAndRatesHaveAFunnelDistribution() {
        #expect(FunnelDistribution(.proportion) == .binomial)
        #expect(FunnelDistribution(.rate) == .poisson)
        #expect(FunnelDistribution(.count) == nil)
        #expect(FunnelDistribution(.mean) == nil)
    }
}
