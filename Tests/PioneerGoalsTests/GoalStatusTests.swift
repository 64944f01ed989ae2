// Goal status: the interval decides against the trajectory and the target, with the
// tolerance band between `at risk` and `off track`, in either better direction.
import PioneerCore
import PioneerGoals
import PioneerKit
import Testing

@Suite("Goal status")
struct GoalStatusTests {
    typealias F = GoalFixture

    /// Judges one latest value in 2025-10, where the trajectory from 40 to 60 (or the
    /// indicator's equivalent) sits at 52, with a tolerance of 0.25: a band of 5.
    func status(_ indicator: IndicatorSpec, baseline: Double, target: Double, latest: Observation,
                tolerance: Double = 0.25) -> GoalAssessment {
        let site = F.site([indicator], progress: ProgressSettings(tolerance: tolerance))
        let goal = F.goal(indicator.definition.id, baseline: baseline, target: target)
        return ProgressEvaluator(site: site).assess(goal: goal, series: [F.point(2025, 10, latest)])
    }

    // MARK: Point value alone (a mean without n).

    @Test(arguments: [
        (53.0, GoalStatus.onTrack), (52.0, .onTrack), (51.0, .atRisk), (47.0, .atRisk),
        (46.99, .offTrack), (60.0, .achieved), (75.0, .achieved),
    ])
    func meanWithoutIntervalIsJudgedOnItsPointValue(value: Double, expected: GoalStatus) {
        let assessment = status(F.indicator("mean", .mean), baseline: 40, target: 60, latest: .value(value))
        #expect(assessment.status == expected)
        #expect(assessment.interval == nil)
        #expect(assessment.expected == 52)
        #expect(assessment.gap == value - 52)
        #expect(assessment.noDataReason == nil)
    }

    @Test(arguments: [
        (27.0, GoalStatus.onTrack), (28.0, .onTrack), (33.0, .atRisk), (33.01, .offTrack), (20.0, .achieved),
    ])
    func lowerIsBetterMirrorsEveryBoundary(value: Double, expected: GoalStatus) {
        let assessment = status(F.indicator("mean-down", .mean, better: .lower), baseline: 40, target: 20, latest: .value(value))
        #expect(assessment.expected == 28)
        #expect(assessment.status == expected)
    }

    // MARK: The interval decides where the point value would say otherwise.

    @Test func proportionAboveTheTrajectoryWhoseIntervalReachesBelowItIsAtRisk() {
        // 55 of 100 is above 0.52, but Wilson gives 0.452 to 0.644.
        let assessment = status(F.indicator("share", .proportion), baseline: 0.4, target: 0.6,
                                latest: .value(0.55, numerator: 55, denominator: 100))
        #expect(assessment.status == .atRisk)
        #expect(assessment.interval?.method == "wilson")
        #expect(abs((assessment.interval?.lower ?? 0) - 0.4524460) < 1e-6)
    }

    @Test func theSameProportionFromTenThousandPeopleIsOnTrack() {
        // 5,500 of 10,000: Wilson 0.5402 to 0.5597 clears 0.52.
        let assessment = status(F.indicator("share", .proportion), baseline: 0.4, target: 0.6,
                                latest: .value(0.55, numerator: 5500, denominator: 10000))
        #expect(assessment.status == .onTrack)
    }

    @Test func proportionBeyondTheBandWhoseIntervalReachesTheTrajectoryIsAtRiskNotOffTrack() {
        // 45 of 100 falls 0.07 short of 0.52, more than the band of 0.05; its interval reaches 0.548.
        let small = status(F.indicator("share", .proportion), baseline: 0.4, target: 0.6,
                           latest: .value(0.45, numerator: 45, denominator: 100))
        #expect(small.status == .atRisk)
        // From 10,000 people the interval (0.4403 to 0.4598) is beyond the band: off track.
        let large = status(F.indicator("share", .proportion), baseline: 0.4, target: 0.6,
                           latest: .value(0.45, numerator: 4500, denominator: 10000))
        #expect(large.status == .offTrack)
    }

    @Test func proportionAtTheTargetIsAchievedOnlyWhenItsIntervalIs() {
        // 62 of 100 beats the target of 0.6, but the interval starts at 0.522: on track, not achieved.
        let small = status(F.indicator("share", .proportion), baseline: 0.4, target: 0.6,
                           latest: .value(0.62, numerator: 62, denominator: 100))
        #expect(small.status == .onTrack)
        let large = status(F.indicator("share", .proportion), baseline: 0.4, target: 0.6,
                           latest: .value(0.61, numerator: 6100, denominator: 10000))
        #expect(large.status == .achieved)
    }

    @Test func proportionWithOnlyASampleSizeUsesWilsonOnIt() {
        let assessment = status(F.indicator("share", .proportion), baseline: 0.4, target: 0.6,
                                latest: .value(0.55, sampleSize: 100))
        #expect(assessment.interval?.method == "wilson")
        #expect(assessment.status == .atRisk)
    }

    @Test func countBelowTheTargetIsOnlyAtRiskWhileItsPoissonIntervalReachesAboveTheTrajectory() {
        // Lower is better, 40 to 20: the trajectory is at 28. A count of 18 beats the target,
        // but its exact interval runs 10.67 to 28.45.
        let indicator = F.indicator("falls", .count, better: .lower)
        let eighteen = status(indicator, baseline: 40, target: 20, latest: .value(18))
        #expect(eighteen.status == .atRisk)
        #expect(eighteen.interval?.method == "poisson")
        #expect(abs((eighteen.interval?.upper ?? 0) - 28.447760267527983) < 1e-8)
        // 10 has an interval up to 18.39, under the target: achieved.
        #expect(status(indicator, baseline: 40, target: 20, latest: .value(10)).status == .achieved)
        // 25 is on the better side of 28, but its interval reaches 36.9.
        #expect(status(indicator, baseline: 40, target: 20, latest: .value(25)).status == .atRisk)
    }

    @Test func rateIsJudgedOnTheExactIntervalOfItsNumeratorScaledByTheFactor() {
        // Lower is better, 40 to 20 per 1,000, trajectory at 28, band 5. A rate of 35 is 7 the
        // wrong side: off track by its point value.
        let indicator = F.indicator("admissions", .rate, better: .lower)
        let fewPeople = status(indicator, baseline: 40, target: 20, latest: .value(35, numerator: 35, denominator: 1000))
        #expect(fewPeople.status == .atRisk)   // 24.4 to 48.7 reaches the trajectory
        #expect(abs((fewPeople.interval?.lower ?? 0) - 24.37878240251976) < 1e-8)
        let manyPeople = status(indicator, baseline: 40, target: 20, latest: .value(35, numerator: 3500, denominator: 100_000))
        #expect(manyPeople.status == .offTrack)   // 33.85 to 36.18 is beyond 33
    }

    @Test func aMeasuresOwnIntervalIsUsedBeforeAnyOther() {
        let own = ConfidenceInterval(lower: 50, upper: 56, method: "normal")
        let assessment = status(F.indicator("mean", .mean), baseline: 40, target: 60, latest: .value(54, interval: own))
        #expect(assessment.interval == own)
        #expect(assessment.status == .atRisk)   // 50 is below 52
    }

    // MARK: A target at the edge of what the value can be.

    @Test func aCountOfZeroAchievesATargetOfZero() {
        // The exact interval of 0 runs to 3.69, which is never at or below 0: on the interval
        // a target of 0 could never be achieved.
        let site = F.site([F.indicator("falls", .count, better: .lower)])
        let goal = F.goal("falls", baseline: 5, target: 0)
        let zeros = F.values(from: .month(2025, 4), Array(repeating: 0, count: 16))
        let assessment = ProgressEvaluator(site: site).assess(goal: goal, series: zeros)
        #expect(assessment.status == .achieved)
        #expect(assessment.interval?.upper ?? 0 > 3.6)
        let midway = ProgressEvaluator(site: site, asOf: .month(2025, 10)).assess(goal: goal, series: zeros)
        #expect(midway.status == .achieved)
    }

    @Test func aCountOnTheLineToATargetOfZeroIsOnTrackOnItsPointValue() {
        // 1 in 2025-10, where the line from 5 to 0 is at 2: the interval (0.03 to 5.57) reaches
        // past 2, but with a target of 0 the point value judges on track.
        let assessment = status(F.indicator("falls", .count, better: .lower), baseline: 5, target: 0, latest: .value(1))
        #expect(assessment.expected == 2)
        #expect(assessment.status == .onTrack)
        let behind = status(F.indicator("falls", .count, better: .lower), baseline: 5, target: 0, latest: .value(3))
        #expect(behind.status == .atRisk)
    }

    @Test func aProportionOfAllAchievesATargetOfOneHundredPercent() {
        let assessment = status(F.indicator("share", .proportion), baseline: 0.8, target: 1,
                                latest: .value(1, numerator: 100, denominator: 100))
        #expect(assessment.interval?.lower ?? 1 < 0.97)
        #expect(assessment.status == .achieved)
    }

    @Test func aRateOfZeroAchievesATargetOfZero() {
        let assessment = status(F.indicator("rate", .rate, better: .lower), baseline: 2, target: 0,
                                latest: .value(0, numerator: 0, denominator: 5000))
        #expect(assessment.status == .achieved)
    }

    @Test func aTargetWithinTheReachOfAnIntervalIsStillJudgedOnIt() {
        // A target of 5: a count of 0 (interval to 3.69) could show it, and 4 (interval to
        // 10.24) has not, though its point value is below 5.
        let indicator = F.indicator("falls", .count, better: .lower)
        #expect(status(indicator, baseline: 10, target: 5, latest: .value(4)).status != .achieved)
        #expect(status(indicator, baseline: 10, target: 5, latest: .value(0)).status == .achieved)
    }

    // MARK: Tolerance.

    @Test func aGoalsOwnToleranceOverridesTheSites() {
        let indicator = F.indicator("mean", .mean)
        let site = F.site([indicator], progress: ProgressSettings(tolerance: 0.25))
        let tight = F.goal("mean", baseline: 40, target: 60, tolerance: 0.05)   // band 1
        let series = [F.point(2025, 10, .value(50))]
        #expect(ProgressEvaluator(site: site).assess(goal: tight, series: series).status == .offTrack)
        #expect(ProgressEvaluator(site: site).assess(goal: F.goal("mean", baseline: 40, target: 60), series: series).status == .atRisk)
    }

    @Test func theToleranceBandIsTheToleranceOfTheBaselineToTargetChange() {
        let site = F.site([F.indicator("mean", .mean)], progress: ProgressSettings(tolerance: 0.1))
        let evaluator = ProgressEvaluator(site: site)
        #expect(abs(evaluator.toleranceBand(for: F.goal("mean", baseline: 20.8, target: 18.7)) - 0.21) < 1e-12)
        #expect(abs(evaluator.toleranceBand(for: F.goal("mean", baseline: 20.8, target: 18.7, tolerance: 0.5)) - 1.05) < 1e-12)
    }

    @Test func aZeroToleranceLeavesNoAtRiskForAPointValue() {
        let assessment = status(F.indicator("mean", .mean), baseline: 40, target: 60, latest: .value(51.9), tolerance: 0)
        #expect(assessment.status == .offTrack)
    }

    // MARK: Neutral.

    @Test func aNeutralIndicatorGetsNoStatusButKeepsItsFigures() {
        let indicator = F.indicator("activity", .count, better: .neutral)
        let site = F.site([indicator])
        let goal = F.goal("activity", baseline: 40, target: 60, rag: .green)
        let assessment = ProgressEvaluator(site: site).assess(goal: goal, series: [F.point(2025, 10, .value(30))])
        #expect(assessment.status == nil)
        #expect(assessment.latest?.observation.value == 30)
        #expect(assessment.expected == 52)
        #expect(assessment.agreement == .notAssessed)
    }
}
