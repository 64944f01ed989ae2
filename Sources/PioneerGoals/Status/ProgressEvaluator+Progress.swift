// A goal's full picture for `progress` and `report`: its assessment, its indicator's series
// as at the period judged, the SPC chart over that series' values, and the site's events.
public import PioneerCore
public import PioneerKit

extension ProgressEvaluator {
    /// The assessment of `goal` with its indicator's series, the XmR chart over the
    /// available values (the indicator's `spc:` settings, its better direction, the goal's
    /// target), and the events that concern the indicator.
    public func progress(goal: Goal, series: [SeriesPoint]) -> GoalProgress {
        let assessment = assess(goal: goal, series: series)
        guard let spec = site.indicator(id: goal.indicatorID) else {
            return GoalProgress(assessment: assessment, definition: Self.unknownIndicator(goal.indicatorID), series: [],
                                spc: .notEnoughPoints(have: 0, need: SPCOptions().minimumPoints), spcPeriods: [], events: [])
        }
        let definition = spec.definition
        let limit = lastPeriod(of: definition.periodType)
        let shown = series
            .filter { point in point.period.type == definition.periodType && limit.map { point.period <= $0 } ?? true }
            .sorted { $0.period < $1.period }
        let charted = shown.filter(\.observation.isAvailable)
        let periods = charted.map(\.period)
        let values = charted.compactMap(\.observation.value)
        let options = Self.spcOptions(spec.spc, periods: periods, better: definition.better, target: goal.target.value)
        return GoalProgress(
            assessment: assessment, definition: definition, series: shown,
            spc: XmR.analyse(values, options: options), spcPeriods: periods,
            events: events(for: definition))
    }

    /// The chart's options from the site's settings: each rebase period becomes the offset of
    /// the first charted point at or after it (a rebase month whose value is missing starts
    /// the phase at the next value); unset lengths keep the engine's defaults.
    static func spcOptions(_ settings: SPCSettings, periods: [Period], better: Direction, target: Double) -> SPCOptions {
        let defaults = SPCOptions()
        let offsets = settings.rebaseAt.compactMap { rebase in periods.firstIndex { $0 >= rebase } }
        return SPCOptions(
            better: better, target: target, rebaseAt: Array(Set(offsets.filter { $0 > 0 })).sorted(),
            fixAfter: settings.fixAfter, screenOutliers: settings.screenOutliers,
            runLength: settings.runLength ?? defaults.runLength,
            trendLength: settings.trendLength ?? defaults.trendLength,
            minimumPoints: settings.minimumPoints ?? defaults.minimumPoints)
    }

    /// The site's events that concern the indicator, up to the period judged, each in the
    /// indicator's kind of period (an event in October 2025 marks FY2025-26 Q3 on a
    /// financial-quarter chart), in time order.
    func events(for definition: IndicatorDefinition) -> [SiteEvent] {
        site.events
            .filter { $0.applies(to: definition.id) }
            .map { event in
                var marked = event
                if event.period.type != definition.periodType {
                    marked.period = Period(containing: event.period.start, type: definition.periodType)
                }
                return marked
            }
            .filter { event in asOf.map { limit in event.period.start <= limit.end } ?? true }
            .sorted { $0.period < $1.period }
    }

    /// A stand-in definition for a goal whose indicator the site does not declare (a loaded
    /// site never has one; a site built in code might).
    private static func unknownIndicator(_ id: String) -> IndicatorDefinition {
        IndicatorDefinition(id: id, name: id, kind: .outcome, valueType: .mean, unit: "", periodType: .month, better: .neutral)
    }
}
