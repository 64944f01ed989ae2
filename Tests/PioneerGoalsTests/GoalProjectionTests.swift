// The projection to the target period (least squares over the last N points) and the
// site's own view against the computed status.
import PioneerCore
import PioneerGoals
import PioneerKit
import Testing

@Suite("Goal projection and agreement")
struct GoalProjectionTests {
    typealias F = GoalFixture

    @Test func aSteadyRiseIsProjectedToTheTargetPeriod() throws {
        let site = F.site([F.indicator("mean", .mean)])
        let assessment = ProgressEvaluator(site: site).assess(goal: F.goal("mean", baseline: 40, target: 60),
                                                              series: F.values([40, 42, 44, 46, 48]))
        let projection = try #require(assessment.projection)
        #expect(abs(projection.slopePerPeriod - 2) < 1e-12)
        #expect(abs(projection.value - 60) < 1e-9)
        #expect(projection.meetsTarget)
        #expect(projection.pointsUsed == 5)
    }

    @Test func onlyTheLastProjectionPointsAreFitted() throws {
        // An early rise, then falling 1 a month for the last three: projected from those three only.
        let site = F.site([F.indicator("mean", .mean)], progress: ProgressSettings(projectionPoints: 3))
        let assessment = ProgressEvaluator(site: site).assess(goal: F.goal("mean", baseline: 40, target: 60),
                                                              series: F.values([40, 45, 50, 55, 54, 53]))
        let projection = try #require(assessment.projection)
        #expect(projection.pointsUsed == 3)
        #expect(abs(projection.slopePerPeriod + 1) < 1e-12)
        // 53 in 2025-09, five more months to 2026-02: 48.
        #expect(abs(projection.value - 48) < 1e-9)
        #expect(!projection.meetsTarget)
    }

    @Test func gapsInTheSeriesStretchTheLineAsTimeDid() throws {
        let site = F.site([F.indicator("mean", .mean)])
        let series = [F.point(2025, 4, .value(40)), F.point(2025, 8, .value(48)),
                      F.point(2025, 9, .notAvailable(.feedDown)), F.point(2025, 10, .value(52))]
        let projection = try #require(ProgressEvaluator(site: site)
            .assess(goal: F.goal("mean", baseline: 40, target: 60), series: series).projection)
        #expect(abs(projection.slopePerPeriod - 2) < 1e-12)
        #expect(projection.pointsUsed == 3)
    }

    @Test func lowerIsBetterMeetsTheTargetBelowIt() throws {
        let site = F.site([F.indicator("down", .mean, better: .lower)])
        let goal = F.goal("down", baseline: 40, target: 20)
        let falling = try #require(ProgressEvaluator(site: site).assess(goal: goal, series: F.values([40, 37, 34])).projection)
        #expect(falling.value < 20)
        #expect(falling.meetsTarget)
        let flat = try #require(ProgressEvaluator(site: site).assess(goal: goal, series: F.values([40, 40, 40])).projection)
        #expect(!flat.meetsTarget)
    }

    @Test func aProportionProjectedBelowZeroIsHeldAtZeroAndSaysSo() throws {
        // Falling ten points a month from 30%: the line is at -70% by 2026-02; a proportion stops at 0%.
        let site = F.site([F.indicator("share", .proportion, better: .lower)])
        let projection = try #require(ProgressEvaluator(site: site)
            .assess(goal: F.goal("share", baseline: 0.30, target: 0.05), series: F.values([0.30, 0.20, 0.10])).projection)
        #expect(projection.value == 0)
        #expect(projection.bounded)
        #expect(projection.meetsTarget)
        #expect(abs(projection.slopePerPeriod + 0.1) < 1e-12)
    }

    @Test func aProportionProjectedAboveOneIsHeldAtOne() throws {
        let site = F.site([F.indicator("share", .proportion)])
        let projection = try #require(ProgressEvaluator(site: site)
            .assess(goal: F.goal("share", baseline: 0.5, target: 0.9), series: F.values([0.5, 0.6, 0.7])).projection)
        #expect(projection.value == 1)
        #expect(projection.bounded)
        #expect(projection.meetsTarget)
    }

    @Test func aCountProjectedBelowZeroIsHeldAtZeroAndMissesAHigherTarget() throws {
        for valueType in [ValueType.count, .rate] {
            let site = F.site([F.indicator("n", valueType)])
            let projection = try #require(ProgressEvaluator(site: site)
                .assess(goal: F.goal("n", baseline: 12, target: 20), series: F.values([12, 9, 6])).projection)
            #expect(projection.value == 0, "\(valueType)")
            #expect(projection.bounded, "\(valueType)")
            #expect(!projection.meetsTarget, "\(valueType)")
        }
    }

    @Test func aMeanOrAmountIsProjectedBelowZeroUnbounded() throws {
        for valueType in [ValueType.mean, .amount] {
            let site = F.site([F.indicator("x", valueType, better: .lower)])
            let projection = try #require(ProgressEvaluator(site: site)
                .assess(goal: F.goal("x", baseline: 12, target: 2), series: F.values([12, 9, 6])).projection)
            #expect(abs(projection.value + 18) < 1e-9, "\(valueType)")
            #expect(!projection.bounded, "\(valueType)")
        }
    }

    @Test func aProjectionInsideTheRangeIsNotBounded() throws {
        let site = F.site([F.indicator("share", .proportion)])
        let projection = try #require(ProgressEvaluator(site: site)
            .assess(goal: F.goal("share", baseline: 0.5, target: 0.9), series: F.values([0.50, 0.52, 0.54])).projection)
        #expect(abs(projection.value - 0.70) < 1e-9)
        #expect(!projection.bounded)
    }

    @Test func onePointGivesNoProjection() {
        let site = F.site([F.indicator("mean", .mean)])
        let assessment = ProgressEvaluator(site: site).assess(goal: F.goal("mean", baseline: 40, target: 60),
                                                              series: F.values([40]))
        #expect(assessment.projection == nil)
        #expect(assessment.noProjectionReason == "one value so far; a line needs two")
    }

    @Test func aTargetPeriodAlreadyReachedGetsNoProjection() {
        // The target is for 2026-02; a series to 2026-02 or beyond is measured there, not projected
        // (a line carried backwards "met the target" where the measures did not).
        let site = F.site([F.indicator("mean", .mean)])
        let goal = F.goal("mean", baseline: 40, target: 60)
        for count in [11, 12, 20] {
            let values = (0..<count).map { 40.0 + 2 * Double($0) }
            let assessment = ProgressEvaluator(site: site).assess(goal: goal, series: F.values(values))
            #expect(assessment.projection == nil, "\(count) months")
            // The report said "too few recent points" of a series of 36.
            #expect(assessment.noProjectionReason == "the values have reached the target period 2026-02, so the latest value, not a line, says where the goal stands")
        }
        let oneMonthShort = (0..<10).map { 40.0 + 2 * Double($0) }
        let short = ProgressEvaluator(site: site).assess(goal: goal, series: F.values(oneMonthShort))
        #expect(short.projection != nil && short.noProjectionReason == nil)
    }

    // MARK: Agreement.

    func agreement(_ value: Double, rag: RAG? = nil, confidence: Confidence? = nil) -> (GoalStatus?, AssessmentAgreement) {
        let site = F.site([F.indicator("mean", .mean)], progress: ProgressSettings(tolerance: 0.25))
        let goal = F.goal("mean", baseline: 40, target: 60, rag: rag, confidence: confidence)
        let assessment = ProgressEvaluator(site: site).assess(goal: goal, series: [F.point(2025, 10, .value(value))])
        return (assessment.status, assessment.agreement)
    }

    @Test func greenButOffTrackIsOptimistic() {
        #expect(agreement(40, rag: .green) == (.offTrack, .optimistic))
        #expect(agreement(40, rag: .amber, confidence: .high) == (.offTrack, .optimistic))
    }

    @Test func redButOnTrackOrAchievedIsPessimistic() {
        #expect(agreement(53, rag: .red) == (.onTrack, .pessimistic))
        #expect(agreement(61, confidence: .low) == (.achieved, .pessimistic))
    }

    @Test func viewsThatDoNotContradictTheStatusAgree() {
        #expect(agreement(40, rag: .amber) == (.offTrack, .agrees))
        #expect(agreement(40, rag: .red) == (.offTrack, .agrees))
        #expect(agreement(53, rag: .green) == (.onTrack, .agrees))
        #expect(agreement(50, rag: .green, confidence: .high) == (.atRisk, .agrees))
    }

    @Test func noSelfAssessmentOrNoStatusIsNotAssessed() {
        #expect(agreement(40) == (.offTrack, .notAssessed))
        let site = F.site([F.indicator("mean", .mean)])
        let goal = F.goal("mean", baseline: 40, target: 60, rag: .green)
        #expect(ProgressEvaluator(site: site).assess(goal: goal, series: []).agreement == .notAssessed)
    }
}
