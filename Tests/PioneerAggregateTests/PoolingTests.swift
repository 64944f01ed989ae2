// Pooling across sites: ratios from Σ numerators ÷ Σ denominators, never the mean of the
// sites' values; totals for counts; the spread as R's quantile() gives it.
import PioneerAggregate
import PioneerKit
import Testing

@Suite("Pooling")
struct PoolingTests {
    /// Six sites' proportions: the small sites are high, the large ones low, so the mean of
    /// the six proportions (0.308333) is not the national proportion (1,995 ÷ 6,550 = 0.304580).
    static let proportions = [
        SiteFigure(site: "a", value: 0.3, numerator: 30, denominator: 100),
        SiteFigure(site: "b", value: 0.4, numerator: 120, denominator: 300),
        SiteFigure(site: "c", value: 0.2, numerator: 200, denominator: 1000),
        SiteFigure(site: "d", value: 0.3, numerator: 900, denominator: 3000),
        SiteFigure(site: "e", value: 0.3, numerator: 45, denominator: 150),
        SiteFigure(site: "f", value: 0.35, numerator: 700, denominator: 2000),
    ]

    @Test func aProportionIsPooledFromTheSumsOfItsPartsNotTheMeanOfTheSites() {
        let pooled = Pooling.pool(Self.proportions, valueType: .proportion)
        let meanOfSites = Self.proportions.compactMap(\.value).reduce(0, +) / 6
        #expect(abs(meanOfSites - 0.308333) < 5e-7)
        #expect(pooled.method == .ratioOfSums)
        #expect(pooled.numerator == 1995)
        #expect(pooled.denominator == 6550)
        #expect(abs(pooled.value! - 0.304580) < 5e-7)
        #expect(pooled.sites == ["a", "b", "c", "d", "e", "f"])
        #expect(pooled.leftOut.isEmpty)
    }

    @Test func aRateIsPooledFromItsPartsAndShownPerItsFactor() {
        // 1,490 admissions in 355,000 people: 4.197183 per 1,000; the sites' rates average 3.638889.
        let figures = [(50.0, 20000.0), (300, 60000), (90, 45000), (800, 150000), (40, 10000), (210, 70000)]
            .enumerated().map { index, parts in
                SiteFigure(site: "s\(index)", value: parts.0 / parts.1 * 1000, numerator: parts.0, denominator: parts.1)
            }
        let pooled = Pooling.pool(figures, valueType: .rate, factor: 1000)
        let meanOfSites = figures.compactMap(\.value).reduce(0, +) / 6
        #expect(abs(meanOfSites - 3.638889) < 5e-7)
        #expect(abs(pooled.value! - 4.197183) < 5e-7)
        #expect(pooled.numerator == 1490)
        #expect(pooled.denominator == 355_000)
    }

    @Test func aSiteWithoutNumeratorAndDenominatorIsLeftOutOfARatioWithItsReason() {
        let figures = Self.proportions + [SiteFigure(site: "g", value: 0.9)]
        let pooled = Pooling.pool(figures, valueType: .proportion)
        #expect(abs(pooled.value! - 0.304580) < 5e-7)
        #expect(pooled.leftOut == [LeftOutSite(
            site: "g", reason: "it gives no numerator and denominator, and a proportion is pooled from its parts, not its value")])
        // Its value still shows in the spread of the sites.
        #expect(pooled.spread?.maximum == 0.9)
    }

    @Test func countsAreTotalled() {
        let figures = [SiteFigure(site: "a", value: 120), SiteFigure(site: "b", value: 85.5),
                       SiteFigure(site: "c", value: nil)]
        let pooled = Pooling.pool(figures, valueType: .count)
        #expect(pooled.method == .total)
        #expect(pooled.value == 205.5)
        #expect(pooled.sites == ["a", "b"])
        #expect(pooled.leftOut == [LeftOutSite(site: "c", reason: "it gives no value")])
    }

    @Test func amountsAreTotalledUnlessTheyAreAveragesGivenWithTheirParts() throws {
        // Spend: totals, whatever parts come with them when the value is not their quotient.
        let spend = [SiteFigure(site: "a", value: 1_000_000), SiteFigure(site: "b", value: 250_000.5, numerator: 250_000.5, denominator: 37_600)]
        let totalled = Pooling.pool(spend, valueType: .amount)
        #expect(totalled.method == .total)
        #expect(totalled.value == 1_250_000.5)
        // Cost per patient seen: the sum of £340.99 and £227.31 (£568.30) lay outside both
        // sites; pooled from the parts it is £(4,644,924.12 + 2,500,000) / (13,622 + 10,998).
        let perPatient = [
            SiteFigure(site: "torbay", value: 340.99, numerator: 4_644_924.12, denominator: 13_622),
            SiteFigure(site: "devon", value: 227.31, numerator: 2_500_000, denominator: 10_998),
            SiteFigure(site: "cornwall", value: 300),
        ]
        let pooled = Pooling.pool(perPatient, valueType: .amount)
        #expect(pooled.method == .ratioOfSums)
        let expected = (4_644_924.12 + 2_500_000) / (13_622.0 + 10_998)
        #expect(abs(try #require(pooled.value) - expected) < 1e-9)
        #expect(pooled.sites == ["torbay", "devon"])
        #expect(pooled.leftOut == [LeftOutSite(site: "cornwall", reason: "it gives no numerator and denominator, and this amount is an average (the other sites give its parts), pooled from its parts, not its value")])
    }

    @Test func theSpreadIsTheRangeAndTheInterquartileRangeOfTheSitesValues() throws {
        // Sorted 0.2, 0.3, 0.3, 0.3, 0.35, 0.4; type 7: Q1 at h = 1.25 → 0.3, Q3 at h = 3.75 → 0.3375.
        let spread = try #require(Pooling.pool(Self.proportions, valueType: .proportion).spread)
        #expect(spread.minimum == 0.2)
        #expect(spread.maximum == 0.4)
        #expect(abs(spread.lowerQuartile - 0.3) < 1e-12)
        #expect(abs(spread.median - 0.3) < 1e-12)
        #expect(abs(spread.upperQuartile - 0.3375) < 1e-12)
        #expect(abs(spread.interquartileRange - 0.0375) < 1e-12)
    }

    @Test func aSiteValueMissingIsWorkedOutFromItsPartsForTheSpread() throws {
        let figures = [SiteFigure(site: "a", value: nil, numerator: 3, denominator: 1000),
                       SiteFigure(site: "b", value: 5, numerator: 10, denominator: 2000)]
        let spread = try #require(Pooling.pool(figures, valueType: .rate, factor: 1000).spread)
        #expect(spread.minimum == 3)
        #expect(spread.maximum == 5)
    }
}
