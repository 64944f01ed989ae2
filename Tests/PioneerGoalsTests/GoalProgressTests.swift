// A goal's progress: the SPC chart over its indicator's available values, with the
// indicator's `spc:` settings turned into chart options, and the events that concern it.
import PioneerCore
@testable import PioneerGoals
import PioneerKit
import Testing

@Suite("Goal progress")
struct GoalProgressTests {
    typealias F = GoalFixture

    /// 18 months from 2024-10 with a step up in 2025-10 and a feed-down month in 2025-02.
    static var series: [SeriesPoint] {
        var points = F.values(from: .month(2024, 10), [50, 52, 49, 51, 50, 48, 52, 50, 51, 49, 50, 51, 60, 61, 59, 62, 60, 61])
        points[4] = F.point(2025, 2, .notAvailable(.feedDown, "HTTP 503"))
        return points
    }

    @Test func theChartIsDrawnOverTheAvailableValuesWithTheirPeriods() throws {
        let site = F.site([F.indicator("mean", .mean)])
        let progress = ProgressEvaluator(site: site).progress(goal: F.goal("mean", baseline: 40, target: 60), series: Self.series)
        #expect(progress.series.count == 18)
        #expect(progress.spcPeriods.count == 17)
        #expect(!progress.spcPeriods.contains(.month(2025, 2)))
        guard case .chart(let chart) = progress.spc else {
            Issue.record("expected a chart, got \(progress.spc)")
            return
        }
        #expect(chart.points.count == 17)
        #expect(chart.points.map(\.value) == Self.series.compactMap(\.observation.value))
        #expect(progress.definition.id == "mean")
        #expect(progress.assessment.latest?.period == .month(2026, 3))
    }

    @Test func rebasePeriodsBecomeOffsetsIntoTheChartedValues() throws {
        var indicator = F.indicator("mean", .mean)
        // 2025-02 has no value: a phase starting there starts at the next value, 2025-03 (offset 4).
        indicator.spc = SPCSettings(rebaseAt: [.month(2025, 2), .month(2025, 10)], minimumPoints: 4)
        let site = F.site([indicator])
        let progress = ProgressEvaluator(site: site).progress(goal: F.goal("mean", baseline: 40, target: 60), series: Self.series)
        guard case .chart(let chart) = progress.spc else {
            Issue.record("expected a chart, got \(progress.spc)")
            return
        }
        let phaseStarts = chart.points.indices.filter { $0 == 0 || chart.points[$0].phase != chart.points[$0 - 1].phase }
        #expect(phaseStarts.map { progress.spcPeriods[$0] } == [.month(2024, 10), .month(2025, 3), .month(2025, 10)])
    }

    @Test func settingsBecomeChartOptions() {
        let settings = SPCSettings(rebaseAt: [.month(2024, 1), .month(2024, 10), .month(2025, 1), .month(2030, 1)],
                                   fixAfter: 12, screenOutliers: false, runLength: 8, trendLength: 6, minimumPoints: 15)
        let periods = Period.month(2024, 10).through(.month(2025, 12))
        let options = ProgressEvaluator.spcOptions(settings, periods: periods, better: .lower, target: 18.7)
        // Before the first value or at it changes nothing; after the last value there is no offset.
        #expect(options.rebaseAt == [3])
        #expect(options.fixAfter == 12)
        #expect(!options.screenOutliers)
        #expect(options.runLength == 8)
        #expect(options.trendLength == 6)
        #expect(options.minimumPoints == 15)
        #expect(options.better == .lower)
        #expect(options.target == 18.7)
        let defaults = ProgressEvaluator.spcOptions(SPCSettings(), periods: periods, better: .higher, target: 1)
        #expect(defaults.runLength == SPCOptions().runLength)
        #expect(defaults.minimumPoints == SPCOptions().minimumPoints)
        #expect(defaults.screenOutliers)
    }

    @Test func tooFewValuesGiveNotEnoughPoints() {
        let site = F.site([F.indicator("mean", .mean)])
        let progress = ProgressEvaluator(site: site).progress(goal: F.goal("mean", baseline: 40, target: 60),
                                                               series: F.values([50, 51, 52]))
        #expect(progress.spc == .notEnoughPoints(have: 3, need: SPCOptions().minimumPoints))
    }

    @Test func asOfCutsTheSeriesAndTheChart() {
        let site = F.site([F.indicator("mean", .mean)])
        let progress = ProgressEvaluator(site: site, asOf: .month(2025, 9))
            .progress(goal: F.goal("mean", baseline: 40, target: 60), series: Self.series)
        #expect(progress.series.last?.period == .month(2025, 9))
        #expect(progress.spcPeriods.last == .month(2025, 9))
        #expect(progress.assessment.latest?.period == .month(2025, 9))
    }

    @Test func theEventsThatConcernTheIndicatorAreMarkedInItsKindOfPeriod() {
        let quarterly = IndicatorSpec(
            definition: IndicatorDefinition(id: "home", name: "home", kind: .outcome, valueType: .proportion, unit: "%",
                                            periodType: .financialQuarter, better: .higher),
            plugin: "test", config: ConfigNode(.null, location: .unknown(), path: "config"), location: .unknown())
        let events = [
            SiteEvent(period: .month(2025, 11), label: "hubs open"),
            SiteEvent(period: .month(2024, 10), label: "teams start", indicators: ["home"]),
            SiteEvent(period: .month(2025, 1), label: "another indicator's", indicators: ["mean"]),
            SiteEvent(period: .month(2026, 5), label: "after the period judged"),
        ]
        let site = F.site([quarterly, F.indicator("mean", .mean)], events: events)
        let goal = Goal(id: "g", indicatorID: "home", title: "g",
                        baseline: PeriodValue(period: .financialQuarter(2024, 1), value: 0.5),
                        target: PeriodValue(period: .financialQuarter(2026, 4), value: 0.7))
        let progress = ProgressEvaluator(site: site, asOf: .month(2026, 3)).progress(goal: goal, series: [])
        #expect(progress.events == [
            SiteEvent(period: .financialQuarter(2024, 3), label: "teams start", indicators: ["home"]),
            SiteEvent(period: .financialQuarter(2025, 3), label: "hubs open"),
        ])
    }

    @Test func aQuarterlyIndicatorJudgedAsAtAMonthUsesTheLastCompleteQuarter() {
        let quarterly = IndicatorSpec(
            definition: IndicatorDefinition(id: "home", name: "home", kind: .outcome, valueType: .mean, unit: "days",
                                            periodType: .financialQuarter, better: .higher),
            plugin: "test", config: ConfigNode(.null, location: .unknown(), path: "config"), location: .unknown())
        let goal = Goal(id: "g", indicatorID: "home", title: "g",
                        baseline: PeriodValue(period: .financialQuarter(2024, 1), value: 10),
                        target: PeriodValue(period: .financialQuarter(2026, 4), value: 20))
        let series = (1...4).map { SeriesPoint(period: .financialQuarter(2025, $0), observation: .value(15)) }
        // FY2025-26 Q3 runs October to December: as at November it is not complete.
        let assessment = ProgressEvaluator(site: F.site([quarterly]), asOf: .month(2025, 11)).assess(goal: goal, series: series)
        #expect(assessment.latest?.period == .financialQuarter(2025, 2))
        #expect(assessment.noDataReason == nil)
    }
}
