// Goals made by hand for the report's tests: the types are plain data, so each test states the
// chart it wants (points, labels, phases, limits) instead of depending on the SPC engine.
import PioneerCore
import PioneerGoals
import PioneerKit
import PioneerReport

enum ReportFixture {
    static let site = SiteIdentity(id: "torbay", name: "Torbay and South Devon", region: "South West",
                                   wave: "Pioneer wave 1 (2013)", focus: ["older people"])

    static func definition(id: String = "emergency-admissions-65", name: String = "Emergency admissions, aged 65+",
                           kind: IndicatorKind = .outcome, valueType: ValueType = .rate,
                           unit: String = "admissions per 1,000 aged 65+", better: Direction = .lower) -> IndicatorDefinition {
        IndicatorDefinition(id: id, name: name, kind: kind, valueType: valueType, unit: unit, periodType: .month, better: better)
    }

    static func goal(id: String = "fewer-admissions", indicator: String = "emergency-admissions-65",
                     title: String = "Reduce emergency admissions of people aged 65+ by 10%",
                     baseline: Double = 22, target: Double = 19.8, trajectory: Trajectory = .linear,
                     assessment: SelfAssessment = SelfAssessment(confidence: .high, rag: .green)) -> Goal {
        Goal(id: id, indicatorID: indicator, title: title,
             baseline: PeriodValue(period: .month(2023, 3), value: baseline),
             target: PeriodValue(period: .month(2027, 3), value: target),
             trajectory: trajectory, assessment: assessment)
    }

    /// Consecutive months from 2023-04.
    static func periods(_ count: Int, from start: Period = .month(2023, 4)) -> [Period] {
        (0..<count).map { start.advanced(by: $0) }
    }

    /// A chart over `values`, every point with the limits of its phase, labelled as `types` says
    /// (common cause where it says nothing).
    static func chart(_ values: [Double], types: [Int: (SPCPointType, SpecialCauseRule)] = [:],
                      phaseStarts: [Int] = [], limits: [(mean: Double, lower: Double, upper: Double)] = [(21, 18, 24)],
                      assurance: Assurance? = .inconsistent) -> SPCChart {
        let points = values.enumerated().map { index, value in
            let phase = phaseStarts.filter { $0 <= index }.count
            let phaseLimits = limits[min(phase, limits.count - 1)]
            let label = types[index]
            return SPCPoint(index: index, value: value, phase: phase, mean: phaseLimits.mean,
                            lowerLimit: phaseLimits.lower, upperLimit: phaseLimits.upper,
                            pointType: label?.0 ?? .commonCause, specialCause: label?.1)
        }
        return SPCChart(points: points, variation: points.last?.pointType ?? .commonCause, assurance: assurance)
    }

    /// A goal with a chart over `values` (all available), its latest point and a status.
    static func progress(values: [Double], chart: SPCChart? = nil, definition: IndicatorDefinition = definition(),
                         goal: Goal = goal(), status: GoalStatus? = .atRisk, agreement: AssessmentAgreement = .agrees,
                         events: [SiteEvent] = [], missing: [Int: NotAvailable] = [:], minimumPoints: Int = 12) -> GoalProgress {
        let periods = periods(values.count + missing.count)
        var series: [SeriesPoint] = []
        var available: [(Period, Double)] = []
        var next = values.makeIterator()
        for (offset, period) in periods.enumerated() {
            if let reason = missing[offset] {
                series.append(SeriesPoint(period: period, observation: .notAvailable(reason.reason, reason.detail)))
            } else if let value = next.next() {
                series.append(SeriesPoint(period: period, observation: .value(value)))
                available.append((period, value))
            }
        }
        let spc: SPCResult
        if let chart {
            spc = .chart(chart)
        } else {
            spc = .notEnoughPoints(have: available.count, need: minimumPoints)
        }
        let latest = series.last { $0.observation.isAvailable }
        let expected = latest.flatMap { goal.expected(at: $0.period) }
        let gap = both(latest?.observation.value, expected).map { $0 - $1 }
        let assessment = GoalAssessment(goal: goal, status: values.isEmpty ? .noData : status,
                                        noDataReason: values.isEmpty ? "nothing collected yet" : nil, latest: latest,
                                        interval: latest == nil ? nil : ConfidenceInterval(lower: (latest!.observation.value ?? 0) - 1,
                                                                                           upper: (latest!.observation.value ?? 0) + 1, method: "poisson"),
                                        expected: expected, gap: gap,
                                        projection: values.count >= 12 ? Projection(value: 20.4, meetsTarget: false, pointsUsed: 12, slopePerPeriod: -0.05) : nil,
                                        agreement: agreement)
        return GoalProgress(assessment: assessment, definition: definition, series: series, spc: spc,
                            spcPeriods: available.map(\.0), events: events)
    }

    /// 24 months of emergency admissions: a fall, an improvement beyond the limit, a concern run.
    static let admissions: [Double] = [21.2, 20.6, 21.8, 22.4, 20.9, 21.5, 20.2, 21.9, 22.8, 21.1, 20.7, 21.4,
                                       23.9, 24.6, 20.1, 19.8, 17.2, 19.5, 19.9, 19.1, 19.6, 19.3, 18.9, 19.2]
}

/// Both values, or nil.
func both<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
