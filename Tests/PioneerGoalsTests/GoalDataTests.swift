// Which value a goal is judged on: the latest available as at a period, never a stale or
// missing one, and the trajectory's value (linear or milestones) at its period.
import PioneerCore
import PioneerGoals
import PioneerKit
import Testing

@Suite("Goal data and trajectory")
struct GoalDataTests {
    typealias F = GoalFixture
    let indicator = F.indicator("mean", .mean)
    var site: Site { F.site([indicator]) }
    var goal: Goal { F.goal("mean", baseline: 40, target: 60) }

    @Test func nothingCollectedIsNoDataWithThatReason() {
        let assessment = ProgressEvaluator(site: site).assess(goal: goal, series: [])
        #expect(assessment.status == .noData)
        #expect(assessment.noDataReason == "nothing collected yet")
        #expect(assessment.latest == nil)
        #expect(assessment.agreement == .notAssessed)
    }

    @Test func nothingCollectedUpToTheAsOfPeriodSaysSo() {
        let assessment = ProgressEvaluator(site: site, asOf: .month(2025, 3))
            .assess(goal: goal, series: F.values([45, 50]))
        #expect(assessment.status == .noData)
        #expect(assessment.noDataReason == "nothing collected up to 2025-03")
    }

    @Test func aLatestPeriodWithoutAValueIsNoDataWithItsReason() {
        var series = F.values([42, 44, 46])
        series.append(F.point(2025, 7, .notAvailable(.feedDown, "HTTP 503 after 3 attempts")))
        let assessment = ProgressEvaluator(site: site).assess(goal: goal, series: series)
        #expect(assessment.status == .noData)
        #expect(assessment.noDataReason == "latest value not available: feed down: HTTP 503 after 3 attempts")
        // The last value there is stays visible beside the reason.
        #expect(assessment.latest?.period == .month(2025, 6))
    }

    @Test func aSeriesOfOnlySuppressedValuesIsNoDataWithTheSuppression() {
        let series = [F.point(2025, 5, .notAvailable(.suppressed, "n = 4, below the minimum of 10", sampleSize: 4))]
        let assessment = ProgressEvaluator(site: site).assess(goal: goal, series: series)
        #expect(assessment.noDataReason == "latest value not available: suppressed small number: n = 4, below the minimum of 10")
        #expect(assessment.latest == nil)
    }

    @Test func periodsNotYetDueAtTheEndAreNotMissingValues() {
        var series = F.values([42, 44, 46, 48, 50, 52, 54])   // to 2025-10
        series.append(F.point(2025, 11, .notAvailable(.notYetDue)))
        let assessment = ProgressEvaluator(site: site).assess(goal: goal, series: series)
        #expect(assessment.latest?.period == .month(2025, 10))
        #expect(assessment.status == .onTrack)
    }

    @Test func withoutAsOfAValueIsStaleByTheSitesNewestStoredPeriodNotItsOwn() {
        // This indicator stopped at 2025-06 (its feed keeps failing, so nothing newer is
        // stored for it); the site's other indicators go on to 2025-10.
        let series = F.values([42, 44, 46])
        let stopped = ProgressEvaluator(site: site, newestStored: .month(2025, 10)).assess(goal: goal, series: series)
        #expect(stopped.status == .noData)
        #expect(stopped.noDataReason == "latest value is 4 periods old")
        #expect(ProgressEvaluator(site: site, newestStored: .month(2025, 9)).assess(goal: goal, series: series).status == .onTrack)
        // A quarter stored last, ending after the month, counts by its end.
        #expect(ProgressEvaluator(site: site, newestStored: .quarter(2025, 4)).assess(goal: goal, series: series).noDataReason
                == "latest value is 6 periods old")
        #expect(ProgressEvaluator.newestPeriod(in: ["a": series, "b": F.values(from: .month(2025, 9), [1, 2])]) == .month(2025, 10))
        // --period (asOf) still decides when given.
        #expect(ProgressEvaluator(site: site, asOf: .month(2025, 7), newestStored: .month(2025, 12)).assess(goal: goal, series: series).status == .onTrack)
    }

    @Test func aLatestValueMoreThanStaleAfterPeriodsBeforeAsOfIsTooOld() {
        let series = F.values([42, 44, 46])   // to 2025-06
        let old = ProgressEvaluator(site: site, asOf: .month(2025, 10)).assess(goal: goal, series: series)
        #expect(old.status == .noData)
        #expect(old.noDataReason == "latest value is 4 periods old")
        #expect(old.latest?.period == .month(2025, 6))
        // Exactly stale_after_periods (3) old is still judged.
        let recent = ProgressEvaluator(site: site, asOf: .month(2025, 9)).assess(goal: goal, series: series)
        #expect(recent.status == .onTrack)
        #expect(recent.noDataReason == nil)
    }

    @Test func staleAfterPeriodsComesFromTheSitesProgressSettings() {
        let lenient = F.site([indicator], progress: ProgressSettings(staleAfterPeriods: 6))
        let assessment = ProgressEvaluator(site: lenient, asOf: .month(2025, 10)).assess(goal: goal, series: F.values([42, 44, 46]))
        #expect(assessment.status == .onTrack)
    }

    @Test func asOfIgnoresLaterPeriods() {
        // Rising 2 a month to 2025-08, then a collapse in 2025-09 and 2025-10.
        let series = F.values([40, 42, 44, 46, 48, 30, 30])
        let before = ProgressEvaluator(site: site, asOf: .month(2025, 8)).assess(goal: goal, series: series)
        #expect(before.latest?.period == .month(2025, 8))
        #expect(before.expected == 48)
        #expect(before.status == .onTrack)
        let now = ProgressEvaluator(site: site).assess(goal: goal, series: series)
        #expect(now.latest?.period == .month(2025, 10))
        #expect(now.status == .offTrack)
    }

    @Test func seriesOrderDoesNotMatter() {
        let series = F.values([40, 42, 44, 46, 48]).reversed()
        let assessment = ProgressEvaluator(site: site).assess(goal: goal, series: Array(series))
        #expect(assessment.latest?.period == .month(2025, 8))
    }

    @Test func milestonesSetTheTrajectoryBetweenThem() {
        // 40 in 2025-04, 50 by 2025-06, then 1.25 a month to 60 by 2026-02.
        let milestones = F.goal("mean", baseline: 40, target: 60,
                                trajectory: .milestones([PeriodValue(period: .month(2025, 6), value: 50)]))
        let evaluator = ProgressEvaluator(site: site)
        let at5 = evaluator.assess(goal: milestones, series: [F.point(2025, 5, .value(45))])
        #expect(at5.expected == 45)
        #expect(at5.status == .onTrack)
        let at10 = evaluator.assess(goal: milestones, series: [F.point(2025, 10, .value(54))])
        #expect(at10.expected == 55)
        #expect(at10.gap == -1)
        #expect(at10.status == .atRisk)
    }

    @Test func pastTheTargetPeriodTheTrajectoryIsTheTarget() {
        let assessment = ProgressEvaluator(site: site).assess(goal: goal, series: [F.point(2026, 5, .value(59))])
        #expect(assessment.expected == 60)
        #expect(assessment.status == .atRisk)
    }

    @Test func beforeTheBaselinePeriodTheTrajectoryIsTheBaseline() {
        let assessment = ProgressEvaluator(site: site).assess(goal: goal, series: [F.point(2025, 1, .value(41))])
        #expect(assessment.expected == 40)
        #expect(assessment.status == .onTrack)
    }

    @Test func aGoalOnAnUndeclaredIndicatorIsNoDataNotACrash() {
        let assessment = ProgressEvaluator(site: site).assess(goal: F.goal("missing", baseline: 1, target: 2), series: [])
        #expect(assessment.status == .noData)
        #expect(assessment.noDataReason == "the site declares no indicator `missing`")
    }
}
