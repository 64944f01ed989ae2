// A site's goal for one indicator: where it started, where it aims to be, the
// path between, and the site's own view of how it is going.
public import PioneerKit

/// A value at a period: a goal's baseline, target or milestone.
public struct PeriodValue: Sendable, Hashable, Codable {
    public var period: Period
    public var value: Double

    public init(period: Period, value: Double) {
        self.period = period
        self.value = value
    }
}

/// How a goal is expected to move from baseline to target.
public enum Trajectory: Sendable, Hashable {
    /// A straight line from the baseline to the target.
    case linear
    /// Explicit milestones; between them the line is straight.
    case milestones([PeriodValue])
}

/// Red, amber, green: a site's self-rating.
public enum RAG: String, Sendable, Hashable, Codable, CaseIterable {
    case red, amber, green
}

/// How confident a site is of reaching a goal.
public enum Confidence: String, Sendable, Hashable, Codable, CaseIterable {
    case low, medium, high
}

/// The site's own view of a goal. Returns carry it beside the evidence,
/// because the evaluations found self-reports optimistic.
public struct SelfAssessment: Sendable, Hashable {
    public var confidence: Confidence?
    public var rag: RAG?
    public var narrative: String?
    /// When the site last reviewed it.
    public var asOf: CalendarDate?

    public init(confidence: Confidence? = nil, rag: RAG? = nil, narrative: String? = nil, asOf: CalendarDate? = nil) {
        self.confidence = confidence
        self.rag = rag
        self.narrative = narrative
        self.asOf = asOf
    }
}

/// A goal on one indicator.
public struct Goal: Sendable, Hashable {
    public var id: String
    public var indicatorID: String
    /// "Reduce emergency admissions of people aged 65+ by 10%".
    public var title: String
    public var baseline: PeriodValue
    public var target: PeriodValue
    public var trajectory: Trajectory
    public var assessment: SelfAssessment
    /// The goal's own `tolerance:`, overriding the site's ``ProgressSettings/tolerance``.
    public var tolerance: Double?
    public var location: SourceLocation

    public init(id: String, indicatorID: String, title: String, baseline: PeriodValue, target: PeriodValue,
                trajectory: Trajectory = .linear, assessment: SelfAssessment = SelfAssessment(),
                tolerance: Double? = nil, location: SourceLocation = .unknown()) {
        self.tolerance = tolerance
        self.id = id
        self.indicatorID = indicatorID
        self.title = title
        self.baseline = baseline
        self.target = target
        self.trajectory = trajectory
        self.assessment = assessment
        self.location = location
    }

    /// The value the trajectory expects at `period`, or nil outside baseline…target
    /// or when `period` is of another type.
    public func expected(at period: Period) -> Double? {
        guard period.type == baseline.period.type,
              period >= baseline.period, period <= target.period else { return nil }
        var points = [baseline]
        if case .milestones(let milestones) = trajectory {
            points += milestones.filter { $0.period > baseline.period && $0.period < target.period }
                .sorted { $0.period < $1.period }
        }
        points.append(target)
        for (from, to) in zip(points, points.dropFirst()) where period >= from.period && period <= to.period {
            let span = from.period.distance(to: to.period)
            guard span > 0 else { return to.value }
            let fraction = Double(from.period.distance(to: period)) / Double(span)
            return from.value + (to.value - from.value) * fraction
        }
        return nil
    }
}
