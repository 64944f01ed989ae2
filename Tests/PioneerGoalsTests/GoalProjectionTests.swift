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

    @Test func onePointGivesNoProjection() {
        let site = F.site([F.indicator("mean", .mean)])
        let assessment = ProgressEvaluator(site: site).assess(goal: F.goal("mean", baseline: 40, target: 60),
                                                              series: F.values([40]))
        #expect(assessment.projection == nil)
    }

    @Test func aTargetPeriodAlreadyReachedGetsNoProjection() {
        // The target is for 2026-02; a series to 2026-02 or beyond is measured there, not projected
        // (a line carried backwards "met the target" where the measures did not).
        let site = F.site([F.indicator("mean", .mean)])
        let goal = F.goal("mean", baseline: 40, target: 60)
        for count in [11, 12, 20] {
            let values = (0..<count).map { 40.0 + 2 * Double($0) }
            #expect(ProgressEvaluator(site: site).assess(goal: goal, series: F.values(values)).projection == nil, "\(count) months")
        }
        let oneMonthShort = (0..<10).map { 40.0 + 2 * Double($0) }
        #expect(ProgressEvaluator(site: site).assess(goal: goal, series: F.values(oneMonthShort)).projection != nil)
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
