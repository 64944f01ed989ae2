// The published examples of NHSRplotthedots 0.2.2 (MIT licence, © 2021 NHS-R Community; the
// notice is at the end of this file), checked against XmR.analyse. The numbers are written here
// with attribution rather than copied as data files: the series are the package test suite's
// `set.seed(123); rnorm(20)` (to the 8 decimal places its snapshots print) and the series in its
// "Deviations from Excel defaults" vignette.
// Expected values are the package's formulas worked to 10 decimal places; each test also
// checks the digits the package itself publishes (tests/testthat/_snaps, the vignette captions).
import PioneerGoals
import Testing

@Suite("SPC: NHSRplotthedots published examples")
struct SPCPackageExampleTests {
    /// tests/testthat/test-ptd_spc_standard.R and test-ptd_spc.R: set.seed(123); rnorm(20).
    static let rnorm20: [Double] = [
        -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
        -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
        -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
    ]
    /// vignettes/deviations.Rmd: one outlying point in an alternating series.
    static let deviations: [Double] = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]

    static func chart(_ values: [Double], _ options: SPCOptions = SPCOptions()) throws -> SPCChart {
        try #require(XmR.analyse(values, options: options).chart)
    }

    static func expectLimits(_ point: SPCPoint, mean: Double, lower: Double, upper: Double,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(abs(point.mean - mean) < 1e-9, "mean \(point.mean)", sourceLocation: sourceLocation)
        #expect(abs(point.lowerLimit - lower) < 1e-9, "lower \(point.lowerLimit)", sourceLocation: sourceLocation)
        #expect(abs(point.upperLimit - upper) < 1e-9, "upper \(point.upperLimit)", sourceLocation: sourceLocation)
    }

    static func rounded(_ value: Double, _ places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (value * scale).rounded() / scale
    }

    @Test func normalSeriesGivesThePackageSnapshotLimitsAndNoSpecialCause() throws {
        let chart = try Self.chart(Self.rnorm20)
        for point in chart.points {
            Self.expectLimits(point, mean: 0.1416238035, lower: -3.0113795941, upper: 3.2946272011)
            #expect(point.pointType == .commonCause)
            #expect(point.phase == 0)
        }
        // The snapshot prints mean_col 0.1416238, lpl -3.01138, upl 3.294627.
        #expect(Self.rounded(chart.points[0].mean, 7) == 0.1416238)
        #expect(Self.rounded(chart.points[0].lowerLimit, 5) == -3.01138)
        #expect(Self.rounded(chart.points[0].upperLimit, 6) == 3.294627)
        #expect(chart.variation == .commonCause)
        #expect(chart.assurance == nil)
    }

    @Test func anOutlyingMovingRangeIsScreenedOutOfTheLimitsByDefault() throws {
        var values = Self.rnorm20
        values[14] = 10   // the test's `data$y[15] <- 10`
        let screened = try Self.chart(values)
        Self.expectLimits(screened.points[0], mean: 0.6694158600, lower: -2.3836655962, upper: 3.7224973162)
        #expect(Self.rounded(screened.points[0].mean, 7) == 0.6694159)
        #expect(Self.rounded(screened.points[0].lowerLimit, 6) == -2.383666)
        #expect(Self.rounded(screened.points[0].upperLimit, 6) == 3.722497)

        let unscreened = try Self.chart(values, SPCOptions(screenOutliers: false))
        Self.expectLimits(unscreened.points[0], mean: 0.6694158600, lower: -4.5966251804, upper: 5.9354569004)
        #expect(Self.rounded(unscreened.points[0].lowerLimit, 6) == -4.596625)
        #expect(Self.rounded(unscreened.points[0].upperLimit, 6) == 5.935457)

        for chart in [screened, unscreened] {
            #expect(chart.points[14].specialCause == .outsideLimits)
            #expect(chart.points[14].pointType == .specialCauseImprovement)
        }
    }

    @Test func deviationsVignetteScreenedAndExcelLimits() throws {
        let screened = try Self.chart(Self.deviations)
        Self.expectLimits(screened.points[0], mean: 1.9444444444, lower: -0.7155555556, upper: 4.6044444444)
        // Caption: "UPL = 4.6, Mean = 1.94, LPL = -0.72".
        #expect(Self.rounded(screened.points[0].upperLimit, 2) == 4.6)
        #expect(Self.rounded(screened.points[0].mean, 2) == 1.94)
        #expect(Self.rounded(screened.points[0].lowerLimit, 2) == -0.72)

        let excel = try Self.chart(Self.deviations, SPCOptions(screenOutliers: false))
        Self.expectLimits(excel.points[0], mean: 1.9444444444, lower: -3.0626143791, upper: 6.9515032680)
        // Caption: "UPL = 6.95, Mean = 1.94, LPL = -3.06".
        #expect(Self.rounded(excel.points[0].upperLimit, 2) == 6.95)
        #expect(Self.rounded(excel.points[0].lowerLimit, 2) == -3.06)

        // Both charts: the fifth point is the one special cause improvement, the rest grey.
        for chart in [screened, excel] {
            for point in chart.points {
                #expect(point.pointType == (point.index == 4 ? .specialCauseImprovement : .commonCause))
            }
        }
    }

    @Test func rebasingGivesEachPhaseTheLimitsThePackageGivesEachGroup() throws {
        // The package's summary of the same series split into two groups of ten prints
        // 0.0746 -2.60 2.75 and 0.209 -3.28 3.70; a rebase at the 11th point gives the same.
        let chart = try Self.chart(Self.rnorm20, SPCOptions(rebaseAt: [10]))
        for point in chart.points[0..<10] {
            #expect(point.phase == 0)
            Self.expectLimits(point, mean: 0.0746256450, lower: -2.6005854054, upper: 2.7498366954)
        }
        for point in chart.points[10...] {
            #expect(point.phase == 1)
            Self.expectLimits(point, mean: 0.2086219620, lower: -3.2790054461, upper: 3.6962493701)
        }
        #expect(Self.rounded(chart.points[0].mean, 4) == 0.0746)
        #expect(Self.rounded(chart.points[10].upperLimit, 2) == 3.70)
    }

    @Test func aRebaseBeforeTheFirstPointChangesNothing() throws {
        // The package's `rebase = as.Date("2020-01-01")`, a day before its data, gives the
        // unrebased summary; here an offset of 0 (or past the end) does the same.
        let plain = try Self.chart(Self.rnorm20)
        #expect(try Self.chart(Self.rnorm20, SPCOptions(rebaseAt: [0, 20, 35])) == plain)
    }

    @Test func fixingAfterTwelvePointsTakesTheLimitsFromThoseTwelve() throws {
        let chart = try Self.chart(Self.rnorm20, SPCOptions(fixAfter: 12))
        for point in chart.points {
            Self.expectLimits(point, mean: 0.1941793400, lower: -2.6073998129, upper: 2.9957584929)
        }
    }

    @Test func twoPointsNearOppositeLimitsAreNotTwoOfThree() throws {
        // test-ptd_spc_standard.R: an alternating series ending 5.5, -5.5.
        var values = [Double]()
        for _ in 0..<8 { values += [1, -1] }
        values[14] = 5.5
        values[15] = -5.5
        let chart = try Self.chart(values)
        #expect(chart.points[14].pointType == .commonCause)
        #expect(chart.points[15].pointType == .commonCause)
    }

    @Test func sevenRisingOrFallingPointsAreATrendFromTheFirst() throws {
        // Issue #167's examples: 0...7 rising and 0...-7 falling, every point flagged.
        let options = SPCOptions(minimumPoints: 8)
        let rising = try Self.chart((0...7).map(Double.init), options)
        let falling = try Self.chart((0...7).map { -Double($0) }, options)
        // The ends fall beyond the limits (mean 3.5 ± 2.66), which outranks the trend.
        let expected: [SpecialCauseRule?] = [.outsideLimits, .trend, .trend, .trend, .trend, .trend, .trend, .outsideLimits]
        #expect(rising.points.map(\.specialCause) == expected)
        #expect(rising.points.allSatisfy { $0.pointType != .commonCause })
        #expect(rising.points[3].pointType == .specialCauseImprovement)
        #expect(falling.points[3].pointType == .specialCauseConcern)
        #expect(falling.points[0].pointType == .specialCauseImprovement)   // 0 is above the mean
    }
}

// The numbers above come from NHSRplotthedots, under this licence:
//
// Copyright (c) 2021 NHS-R Community
//
// Permission is hereby granted, free of charge, to any person obtaining a copy
// of this software and associated documentation files (the "Software"), to deal
// in the Software without restriction, including without limitation the rights
// to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
// copies of the Software, and to permit persons to whom the Software is
// furnished to do so, subject to the following conditions:
//
// The above copyright notice and this permission notice shall be included in all
// copies or substantial portions of the Software.
//
// THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
// IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
// FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
// AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
// LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
// OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
// SOFTWARE.
