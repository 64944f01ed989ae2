// Each special-cause rule at its boundary, the directions, the assurance cases, rebasing,
// fixing, screening and too few points. The series are built so that exactly one rule is in
// play (an alternating background of 5s and 15s has wide limits and no runs or trends).
import PioneerGoals
import PioneerKit
import Testing

@Suite("SPC: rules and options")
struct SPCRuleTests {
    static func chart(_ values: [Double], _ options: SPCOptions = SPCOptions()) throws -> SPCChart {
        try #require(XmR.analyse(values, options: options).chart)
    }

    /// The indices a rule marks.
    static func marked(_ chart: SPCChart, _ rule: SpecialCauseRule) -> [Int] {
        chart.points.filter { $0.specialCause == rule }.map(\.index)
    }

    static func special(_ chart: SPCChart) -> [Int] {
        chart.points.filter { $0.specialCause != nil }.map(\.index)
    }

    // MARK: Runs

    @Test func sevenPointsAboveTheMeanAreARunAndEachIsMarked() throws {
        let chart = try Self.chart([5, 15, 5, 15, 5, 15, 5, 11, 12, 11, 12, 11, 12, 11, 5, 15, 5, 15, 5, 15])
        #expect(Self.special(chart) == Array(7...13))
        #expect(Self.marked(chart, .run) == Array(7...13))
        #expect(chart.points[7].pointType == .specialCauseImprovement)
    }

    @Test func sixPointsAboveTheMeanAreNotARunUnlessTheRunLengthIsSix() throws {
        let values: [Double] = [5, 15, 5, 15, 5, 15, 5, 11, 12, 11, 12, 11, 12, 5, 15, 5, 15, 5, 15, 5]
        #expect(Self.special(try Self.chart(values)).isEmpty)
        #expect(Self.marked(try Self.chart(values, SPCOptions(runLength: 6)), .run) == Array(7...12))
    }

    @Test func aPointExactlyOnTheMeanBreaksARun() throws {
        // The mean is exactly 10, and the 11th point sits on it.
        let values: [Double] = [5, 15, 5, 15, 5, 15, 5, 11, 12, 11, 10, 11, 12, 11, 5, 15, 5, 15, 5, 12]
        let chart = try Self.chart(values)
        #expect(chart.points[0].mean == 10)
        #expect(Self.special(chart).isEmpty)
    }

    // MARK: Trends

    @Test func sevenRisingPointsAreATrendMarkedFromTheFirst() throws {
        let chart = try Self.chart([5, 15, 5, 15, 5, 15, 6, 7, 8, 9, 10, 11, 12, 5, 15, 5, 15, 5, 15, 5])
        #expect(Self.special(chart) == Array(6...12))
        #expect(Self.marked(chart, .trend) == Array(6...12))
        // The trend crosses the mean: its points are labelled by direction, not by side.
        #expect(chart.points[6...12].allSatisfy { $0.pointType == .specialCauseImprovement })
    }

    @Test func sixRisingPointsAreNotATrendUnlessTheTrendLengthIsSix() throws {
        let values: [Double] = [5, 15, 5, 15, 5, 15, 13, 7, 8, 9, 10, 11, 12, 5, 15, 5, 15, 5, 15, 5]
        #expect(Self.special(try Self.chart(values)).isEmpty)
        #expect(Self.marked(try Self.chart(values, SPCOptions(trendLength: 6)), .trend) == Array(7...12))
    }

    @Test func aTieInsideATrendBreaksIt() throws {
        // 6 7 8 8 9 10 11 12: eight points, but the repeated 8 splits them into three and five.
        let values: [Double] = [5, 15, 5, 15, 5, 15, 6, 7, 8, 8, 9, 10, 11, 12, 5, 15, 5, 15, 5, 15]
        #expect(Self.special(try Self.chart(values)).isEmpty)
    }

    @Test func fallingTrendIsAConcernWhenHigherIsBetterAndAnImprovementWhenLowerIs() throws {
        let values: [Double] = [15, 5, 15, 5, 15, 5, 15, 14, 13, 12, 11, 10, 9, 8, 15, 5, 15, 5, 15, 5]
        let higher = try Self.chart(values, SPCOptions(better: .higher))
        let lower = try Self.chart(values, SPCOptions(better: .lower))
        let neutral = try Self.chart(values, SPCOptions(better: .neutral))
        #expect(Self.marked(higher, .trend) == Array(6...13))
        #expect(higher.points[6...13].allSatisfy { $0.pointType == .specialCauseConcern })
        #expect(lower.points[6...13].allSatisfy { $0.pointType == .specialCauseImprovement })
        #expect(neutral.points[6...13].allSatisfy { $0.pointType == .specialCauseNeutralLow })
    }

    @Test func thePeakSharedByARisingAndAFallingTrendCountsAsFalling() throws {
        let values: [Double] = [15, 5, 15, 5, 15, 5, 6, 7, 8, 9, 10, 11, 12, 11, 10, 9, 8, 7, 6, 15, 5, 15]
        let chart = try Self.chart(values, SPCOptions(better: .neutral))
        #expect(Self.marked(chart, .trend) == Array(5...18))
        #expect(chart.points[5...11].allSatisfy { $0.pointType == .specialCauseNeutralHigh })
        #expect(chart.points[12...18].allSatisfy { $0.pointType == .specialCauseNeutralLow })
    }

    // MARK: Two of three

    @Test func twoOfThreeNearTheUpperLimitMarksOnlyTheNearPoints() throws {
        let chart = try Self.chart([9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 15, 11, 15, 9, 11, 9, 11, 9])
        #expect(Self.special(chart) == [12, 14])
        #expect(Self.marked(chart, .twoOfThree) == [12, 14])
        #expect(chart.points[12].pointType == .specialCauseImprovement)
    }

    @Test func twoNearPointsWithAThirdAcrossTheMeanAreNotTwoOfThree() throws {
        let chart = try Self.chart([9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 15, 5, 15, 9, 11, 9, 11, 9])
        #expect(Self.special(chart).isEmpty)
    }

    // MARK: Limits

    @Test func aPointExactlyOnALimitIsInsideAndJustBeyondItIsOutside() throws {
        // Limits fixed on the first twelve points, so the thirteenth can be placed on them.
        let baseline: [Double] = [9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11]
        let options = SPCOptions(better: .higher, fixAfter: 12, minimumPoints: 13)
        let limits = try Self.chart(baseline + [10], options).points[0]
        let onUpper = try Self.chart(baseline + [limits.upperLimit], options).points[12]
        let onLower = try Self.chart(baseline + [limits.lowerLimit], options).points[12]
        let beyond = try Self.chart(baseline + [limits.upperLimit.nextUp], options).points[12]
        #expect(onUpper.upperLimit == limits.upperLimit)
        #expect(onUpper.specialCause != .outsideLimits)
        #expect(onLower.specialCause != .outsideLimits)
        #expect(beyond.specialCause == .outsideLimits)
        #expect(beyond.pointType == .specialCauseImprovement)
    }

    @Test func beyondALimitOutranksEveryOtherRule() throws {
        // Seven rising points whose last leaves the upper limit: the last is outside_limits.
        let values: [Double] = [9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 10, 11, 12, 13, 14, 30, 10]
        let chart = try Self.chart(values)
        #expect(chart.points[18].specialCause == .outsideLimits)
        #expect(Self.marked(chart, .trend) == Array(12...17))
    }

    // MARK: Phases and fixing

    @Test func runsAndTrendsDoNotCrossARebase() throws {
        // Seven points above the first phase's mean, but the rebase splits them four and three.
        let values: [Double] = [5, 15, 5, 15, 5, 15, 5, 11, 12, 11, 12, 11, 12, 11, 5, 15, 5, 15, 5, 15]
        let chart = try Self.chart(values, SPCOptions(rebaseAt: [11]))
        #expect(Self.marked(chart, .run).isEmpty)
        #expect(chart.points[10].phase == 0 && chart.points[11].phase == 1)
        #expect(chart.points[10].mean != chart.points[11].mean)
    }

    @Test func fixAfterHoldsTheFirstPointsLimitsForTheRestOfEachPhase() throws {
        let first: [Double] = [9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 40, 41]
        let second: [Double] = [19, 21, 19, 21, 19, 21, 19, 21, 19, 21, 19, 21, 1, 2]
        let chart = try Self.chart(first + second, SPCOptions(rebaseAt: [14], fixAfter: 12))
        #expect(chart.points[0].mean == 10 && chart.points[13].mean == 10)
        #expect(chart.points[14].mean == 20 && chart.points[27].mean == 20)
        #expect(chart.points[0].upperLimit == 10 + 2.66 * 2)
        #expect(chart.points[12].specialCause == .outsideLimits && chart.points[26].specialCause == .outsideLimits)
    }

    @Test func screeningOffKeepsTheOutlyingRangeInTheLimits() throws {
        let values: [Double] = [9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 60, 10]
        let screened = try Self.chart(values).points[0]
        let unscreened = try Self.chart(values, SPCOptions(screenOutliers: false)).points[0]
        #expect(unscreened.upperLimit - unscreened.lowerLimit > screened.upperLimit - screened.lowerLimit)
    }

    @Test func aConstantSeriesHasLimitsOnTheMeanNotNaN() throws {
        for screen in [true, false] {
            let chart = try Self.chart(Array(repeating: 4, count: 12), SPCOptions(screenOutliers: screen))
            #expect(chart.points.allSatisfy { $0.lowerLimit == 4 && $0.upperLimit == 4 && $0.pointType == .commonCause })
        }
    }

    @Test func aConstantSeriesOfValuesWithNoExactBinaryFormIsCommonCauseThroughout() throws {
        // A plain sum of 24 × 0.1 over 24 is 0.1 plus an ulp: limits of zero width a hair off
        // every point marked them all beyond a limit. R's mean (and so the package) gives 0.1.
        for value in [0.1, 0.7, 78.1, 1e300, -3.3] {
            for count in [12, 24, 37] {
                let chart = try Self.chart(Array(repeating: value, count: count))
                #expect(chart.points.allSatisfy { $0.mean == value && $0.pointType == .commonCause }, "\(count) × \(value)")
                #expect(chart.variation == .commonCause)
            }
        }
    }

    @Test func theMeanOfValuesNearTheLargestDoubleDoesNotOverflow() throws {
        let chart = try Self.chart(Array(repeating: 1e308, count: 15) + [1.2e308])
        #expect(chart.points.allSatisfy { $0.mean.isFinite }, "\(chart.points[0].mean)")
    }

    // MARK: Directions, variation, assurance

    @Test func variationIsTheLatestPointsLabel() throws {
        let values: [Double] = [9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 30]
        #expect(try Self.chart(values, SPCOptions(better: .higher)).variation == .specialCauseImprovement)
        #expect(try Self.chart(values, SPCOptions(better: .lower)).variation == .specialCauseConcern)
        #expect(try Self.chart(values, SPCOptions(better: .neutral)).variation == .specialCauseNeutralHigh)
        #expect(try Self.chart(Array(values.dropLast()) + [-10], SPCOptions(better: .neutral)).variation == .specialCauseNeutralLow)
        #expect(try Self.chart(Array(values.dropLast()) + [10]).variation == .commonCause)
    }

    @Test func assuranceFromTheTargetAgainstTheLatestLimits() throws {
        // Fixed limits 10 ± 5.32 from the alternating 9s and 11s.
        let values: [Double] = [9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11]
        func assurance(_ better: Direction, _ target: Double?) throws -> Assurance? {
            try Self.chart(values, SPCOptions(better: better, target: target)).assurance
        }
        let point = try Self.chart(values).points[0]
        #expect(try assurance(.higher, 20) == .consistentFail)
        #expect(try assurance(.higher, 0) == .consistentPass)
        #expect(try assurance(.higher, 12) == .inconsistent)
        #expect(try assurance(.lower, 20) == .consistentPass)
        #expect(try assurance(.lower, 0) == .consistentFail)
        #expect(try assurance(.lower, 12) == .inconsistent)
        // A target exactly on a limit is inconsistent: the process can land either side.
        #expect(try assurance(.higher, point.upperLimit) == .inconsistent)
        #expect(try assurance(.lower, point.lowerLimit) == .inconsistent)
        #expect(try assurance(.higher, point.upperLimit.nextUp) == .consistentFail)
        // No target, or a neutral indicator, gives no assurance (as in the package).
        #expect(try assurance(.higher, nil) == nil)
        #expect(try assurance(.neutral, 0) == nil)
    }

    @Test func assuranceUsesTheLatestPhasesLimits() throws {
        let values: [Double] = [9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 109, 111, 109, 111]
        let chart = try Self.chart(values, SPCOptions(better: .higher, target: 50, rebaseAt: [10]))
        #expect(chart.assurance == .consistentPass)
    }

    @Test func aOnePointPhaseAfterARebaseHasNoLimitsAndNoAssurance() throws {
        // The last point alone in its phase: the package's limits are NaN there, so it gives no
        // assurance; limits on the point itself said "will consistently miss the target".
        let values: [Double] = [9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 30]
        for better in [Direction.higher, .lower] {
            let chart = try Self.chart(values, SPCOptions(better: better, target: 50, rebaseAt: [12]))
            let latest = try #require(chart.points.last)
            #expect(latest.phase == 1)
            #expect(!latest.hasLimits)
            #expect(latest.mean == 30)
            #expect(latest.pointType == .commonCause && latest.specialCause == nil)
            #expect(chart.assurance == nil, "\(better)")
            #expect(chart.points.dropLast().allSatisfy { $0.hasLimits })
        }
        // A rebase with two points in the last phase has limits and an assurance again.
        let two = try Self.chart(values + [31], SPCOptions(better: .higher, target: 50, rebaseAt: [12]))
        #expect(two.points.last?.hasLimits == true)
        #expect(two.assurance == .consistentFail)
    }

    @Test func aOnePointPhaseBeforeARebaseHasNoLimitsButTheLatestPhaseKeepsItsAssurance() throws {
        let values: [Double] = [40, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11]
        let chart = try Self.chart(values, SPCOptions(better: .higher, target: 50, rebaseAt: [1]))
        #expect(chart.points[0].hasLimits == false)
        #expect(chart.points[0].specialCause == nil)
        #expect(chart.points.dropFirst().allSatisfy { $0.hasLimits })
        #expect(chart.assurance == .consistentFail)
    }

    // MARK: Too few points

    @Test func fewerPointsThanTheMinimumGiveNotEnoughPoints() {
        let eleven = Array(repeating: 1.0, count: 11)
        #expect(XmR.analyse(eleven, options: SPCOptions()) == .notEnoughPoints(have: 11, need: 12))
        #expect(XmR.analyse([], options: SPCOptions()) == .notEnoughPoints(have: 0, need: 12))
        #expect(XmR.analyse(eleven, options: SPCOptions(minimumPoints: 11)).chart != nil)
    }

    @Test func thePackageDefaultsAreTheOptionDefaults() {
        let options = SPCOptions()
        #expect(options.better == .higher)
        #expect(options.screenOutliers)
        #expect(options.runLength == 7 && options.trendLength == 7 && options.minimumPoints == 12)
        #expect(options.fixAfter == nil && options.rebaseAt.isEmpty && options.target == nil)
    }
}
