// Judges a site's goals on their indicators' stored series: status from the latest value's
// interval against the trajectory, the projection to the target period, the site's own view
// beside it, and (with `progress`) the SPC chart over the same points.
public import PioneerCore
public import PioneerKit
import PioneerExtraction

/// Judges goals as at a period, with the site's `progress:` settings.
///
/// Pure: series in, judgements out. The CLI reads the store and hands each goal its
/// indicator's series.
public struct ProgressEvaluator: Sendable {
    public let site: Site
    /// Judge as at this period: periods ending after it are ignored. Nil judges on the newest data.
    public let asOf: Period?
    /// Without `asOf`, the newest period the site has stored for any indicator: a latest value
    /// is stale by its distance from there, so an indicator whose feed stopped months ago is not
    /// judged on its last value as if it were current. Nil measures from the indicator's own
    /// newest period.
    public let newestStored: Period?

    public init(site: Site, asOf: Period? = nil, newestStored: Period? = nil) {
        self.site = site
        self.asOf = asOf
        self.newestStored = newestStored
    }

    /// The period stored that ends last, of every indicator's series (for ``newestStored``).
    public static func newestPeriod(in series: [String: [SeriesPoint]]) -> Period? {
        var newest: Period?
        for points in series.values {
            for point in points where newest.map({ point.period.end > $0.end }) ?? true {
                newest = point.period
            }
        }
        return newest
    }

    /// Where `goal` stands on `series` (its indicator's stored periods, in any order).
    public func assess(goal: Goal, series: [SeriesPoint]) -> GoalAssessment {
        guard let definition = site.indicator(id: goal.indicatorID)?.definition else {
            return GoalAssessment(goal: goal, status: .noData,
                                  noDataReason: "the site declares no indicator `\(goal.indicatorID)`")
        }
        let window = judged(series, periodType: definition.periodType)
        let available = window.filter(\.observation.isAvailable)
        let band = toleranceBand(for: goal)

        var assessment = GoalAssessment(goal: goal, status: definition.better == .neutral ? nil : .noData)
        let values = available.compactMap { point in point.observation.value.map { (period: point.period, value: $0) } }
        assessment.projection = Projection.leastSquares(
            values, pointCount: site.progress.projectionPoints, targetPeriod: goal.target.period,
            target: goal.target.value, better: definition.better, band: band,
            range: definition.valueType.possibleRange)
        if assessment.projection == nil {
            assessment.noProjectionReason = Projection.whyNone(values, targetPeriod: goal.target.period)
        }
        guard let latest = available.last, let value = latest.observation.value else {
            // Nothing stored, or every stored period without a value (the last one says why).
            assessment.noDataReason = window.last?.observation.notAvailable
                .map { "latest value not available: \($0.description)" } ?? nothingCollected
            return assessment
        }
        assessment.latest = latest
        assessment.interval = MeasureInterval.interval(for: latest.observation, definition: definition)
        let expected = trajectoryValue(of: goal, at: latest.period)
        assessment.expected = expected
        assessment.gap = expected.map { value - $0 }

        if let reason = noDataReason(window: window, latest: latest) {
            assessment.noDataReason = reason
            return assessment
        }
        guard definition.better != .neutral else { return assessment }
        guard let expected else {
            assessment.noDataReason = "the latest period `\(latest.period.label)` is not of the goal's kind of period"
            return assessment
        }
        let rule = StatusRule(better: definition.better, target: goal.target.value, band: band,
                              range: definition.valueType.possibleRange)
        let lower = assessment.interval?.lower ?? value, upper = assessment.interval?.upper ?? value
        let best = Self.best(latest.observation, definition: definition)
        var status = rule.status(value: value, lower: lower, upper: upper, expected: expected, best: best)
        if status == .achieved, let noise = noise(goal: goal, series: series) {
            status = rule.status(value: value, lower: lower, upper: upper, expected: expected, best: best, mayAchieve: false)
            assessment.statusNote = noise
        }
        assessment.status = status
        assessment.agreement = Self.agreement(of: goal.assessment, with: status)
        return assessment
    }

    /// Why a latest value that meets the target is not yet the target achieved: the goal's
    /// SPC chart (the indicator's `spc:` settings, its available values up to the period
    /// judged) calls it common cause variation and the process limit on the worse side misses
    /// the target, so the process as it runs gives values that miss it. A sampling interval
    /// tells one period's value from the target; it cannot tell a good month from a changed
    /// process, and with thousands in a denominator it is far narrower than the month-to-month
    /// swing. Nil when the chart
    /// shows a special cause, a process whose every value meets the target, or has too few
    /// points for limits.
    func noise(goal: Goal, series: [SeriesPoint]) -> String? {
        guard let spec = site.indicator(id: goal.indicatorID),
              let chart = IndicatorChart(indicator: spec, series: shownSeries(of: spec, series), target: goal.target.value).result.chart,
              chart.variation == .commonCause, let last = chart.points.last, last.hasLimits else { return nil }
        let definition = spec.definition
        // The limit on the worse side: when it too meets the target, every value the process
        // gives does (a run of zero falls has limits of 0 and 0), and the target is achieved.
        let worseLimit = definition.better == .lower ? last.upperLimit : last.lowerLimit
        let target = goal.target.value
        guard definition.better == .lower ? worseLimit > target : worseLimit < target else { return nil }
        return "the latest value meets the target, but as common cause variation: the process limits run from "
            + "\(definition.format(last.lowerLimit)) to \(definition.format(last.upperLimit)) around a mean of \(definition.format(last.mean)), "
            + "so one period's value cannot show the target achieved; it will be once the chart shows improvement or every value the process gives meets the target"
    }

    /// The best value the latest measure could have been at its sample size, and that value's
    /// interval's worse end: for a proportion of n, n of n (or none of n when lower is
    /// better); for a falling count or rate, 0. Nil when the value is not bounded in the
    /// better direction, or the measure carries an interval of its own design (one that is
    /// not the Wilson or Poisson interval of its own parts, which the rate, survey and
    /// care-home plugins attach and this can build again for the best value).
    static func best(_ observation: Observation, definition: IndicatorDefinition) -> (value: Double, worseEnd: Double)? {
        guard let range = definition.valueType.possibleRange else { return nil }
        var candidate = observation
        candidate.interval = nil
        if let own = observation.interval {
            guard let fromParts = MeasureInterval.interval(for: candidate, definition: definition),
                  abs(fromParts.lower - own.lower) <= 1e-9 * max(1, abs(own.lower)),
                  abs(fromParts.upper - own.upper) <= 1e-9 * max(1, abs(own.upper)) else { return nil }
        }
        switch (definition.valueType, definition.better) {
        case (.proportion, .higher), (.proportion, .lower):
            let edge = definition.better == .higher ? range.upperBound : range.lowerBound
            candidate.value = edge
            if let denominator = observation.denominator { candidate.numerator = edge * denominator }
        case (.count, .lower), (.rate, .lower):
            candidate.value = range.lowerBound
            if observation.numerator != nil { candidate.numerator = 0 }
        default:
            return nil
        }
        guard let interval = MeasureInterval.interval(for: candidate, definition: definition), let value = candidate.value else { return nil }
        return (value, definition.better == .lower ? interval.upper : interval.lower)
    }

    /// How far on the wrong side of the trajectory `goal` may be and still be `at risk`, in
    /// its indicator's units: its own tolerance (or the site's) × |target − baseline|.
    public func toleranceBand(for goal: Goal) -> Double {
        (goal.tolerance ?? site.progress.tolerance) * abs(goal.target.value - goal.baseline.value)
    }

    /// The points judged: of the indicator's kind of period, up to `asOf`, in order, without
    /// trailing periods whose data is not yet due (a period not due is not missing).
    func judged(_ series: [SeriesPoint], periodType: PeriodType) -> [SeriesPoint] {
        let limit = lastPeriod(of: periodType)
        var points = series
            .filter { point in point.period.type == periodType && limit.map { point.period <= $0 } ?? true }
            .sorted { $0.period < $1.period }
        while let last = points.last, last.observation.notAvailable?.reason == .notYetDue {
            points.removeLast()
        }
        return points
    }

    /// The last period of `type` that has ended by the end of `asOf`: `asOf` itself for an
    /// indicator of its type; for a quarterly indicator judged as at a month, the last quarter
    /// complete by that month's end. Nil without `asOf`.
    func lastPeriod(of type: PeriodType) -> Period? {
        asOf.map { Self.lastPeriod(of: type, endingBy: $0) }
    }

    private static func lastPeriod(of type: PeriodType, endingBy period: Period) -> Period {
        guard period.type != type else { return period }
        let containing = Period(containing: period.end, type: type)
        return containing.end > period.end ? containing.previous : containing
    }

    private var nothingCollected: String {
        asOf.map { "nothing collected up to \($0.label)" } ?? "nothing collected yet"
    }

    /// Why the latest value cannot be judged: the newest period holds no value, or the
    /// latest value is more than `staleAfterPeriods` before the period judged (`asOf`, or the
    /// newest period the site has stored, or the indicator's own newest).
    private func noDataReason(window: [SeriesPoint], latest: SeriesPoint) -> String? {
        if let last = window.last, let missing = last.observation.notAvailable {
            return "latest value not available: \(missing.description)"
        }
        let newest = asOf == nil ? newestStored.map { Self.lastPeriod(of: latest.period.type, endingBy: $0) } : nil
        let reference = (lastPeriod(of: latest.period.type) ?? newest).map { max($0, latest.period) }
            ?? window.last?.period ?? latest.period
        let age = latest.period.distance(to: reference)
        if age > site.progress.staleAfterPeriods {
            return "latest value is \(age) periods old"
        }
        return nil
    }

    /// The trajectory's value at `period`: the baseline's before the baseline period, the
    /// target's after the target period (a goal past its date is held to its target), and
    /// nil for a period of another type.
    func trajectoryValue(of goal: Goal, at period: Period) -> Double? {
        guard period.type == goal.baseline.period.type else { return nil }
        if period < goal.baseline.period { return goal.baseline.value }
        if period > goal.target.period { return goal.target.value }
        return goal.expected(at: period)
    }

    /// The site's own view against the computed status: green (or high confidence) but off
    /// track is optimistic; red (or low confidence) but on track or achieved is pessimistic.
    static func agreement(of view: SelfAssessment, with status: GoalStatus?) -> AssessmentAgreement {
        guard let status, status != .noData, view.rag != nil || view.confidence != nil else { return .notAssessed }
        if status == .offTrack, view.rag == .green || view.confidence == .high { return .optimistic }
        if status == .onTrack || status == .achieved, view.rag == .red || view.confidence == .low { return .pessimistic }
        return .agrees
    }
}
