// A small site and series built in code for the goal-status tests: one indicator of each
// value type that matters, monthly, with goals from 2025-04 to 2026-02.
import PioneerCore
import PioneerGoals
import PioneerKit

enum GoalFixture {
    static func indicator(_ id: String, _ valueType: ValueType, better: Direction = .higher,
                          factor: PopulationFactor? = nil) -> IndicatorSpec {
        let definition = IndicatorDefinition(
            id: id, name: id, kind: .outcome, valueType: valueType, unit: "unit", periodType: .month,
            better: better, factor: factor ?? (valueType == .rate ? .per1000 : nil))
        return IndicatorSpec(definition: definition, plugin: "test",
                             config: ConfigNode(.null, location: .unknown(), path: "config"),
                             location: .unknown())
    }

    static func site(_ indicators: [IndicatorSpec], progress: ProgressSettings = ProgressSettings(),
                     events: [SiteEvent] = []) -> Site {
        Site(id: "test", name: "Test", region: "Nowhere", wave: "none", focus: ["testing"],
             population: [:], feeds: [], indicators: indicators, goals: [], events: events,
             progress: progress, directory: "/tmp/test", file: "/tmp/test/site.yaml")
    }

    /// A goal from `baseline` at 2025-04 to `target` at 2026-02: ten months, so the linear
    /// trajectory moves a tenth of the change a month and sits at 60% of it in 2025-10.
    static func goal(_ indicatorID: String, baseline: Double, target: Double, trajectory: Trajectory = .linear,
                     rag: RAG? = nil, confidence: Confidence? = nil, tolerance: Double? = nil) -> Goal {
        Goal(id: "goal-\(indicatorID)", indicatorID: indicatorID, title: "a goal",
             baseline: PeriodValue(period: .month(2025, 4), value: baseline),
             target: PeriodValue(period: .month(2026, 2), value: target),
             trajectory: trajectory, assessment: SelfAssessment(confidence: confidence, rag: rag),
             tolerance: tolerance)
    }

    static func point(_ year: Int, _ month: Int, _ observation: Observation) -> SeriesPoint {
        SeriesPoint(period: .month(year, month), observation: observation)
    }

    /// Plain values from `first` on, one a month.
    static func values(from first: Period = .month(2025, 4), _ values: [Double]) -> [SeriesPoint] {
        values.enumerated().map { SeriesPoint(period: first.advanced(by: $0.offset), observation: .value($0.element)) }
    }
}
