// One indicator's XmR chart over its stored series, with the site's SPC settings: the one
// place where a site's `spc:` block becomes engine options, for `progress`, `report` and
// (later) the returns.
public import PioneerCore
public import PioneerKit

/// An indicator's SPC chart and the period of each of its points.
public struct IndicatorChart: Sendable, Hashable {
    public var result: SPCResult
    /// The period of each point, in the chart's order: the available points of the series.
    public var periods: [Period]

    /// Charts the available points of `series` (oldest first) with the indicator's `spc:`
    /// settings and direction, judging assurance against `target` when there is one.
    public init(indicator: IndicatorSpec, series: [SeriesPoint], target: Double?) {
        var values: [Double] = []
        var periods: [Period] = []
        for point in series where point.observation.isAvailable {
            guard let value = point.observation.value else { continue }
            values.append(value)
            periods.append(point.period)
        }
        let options = Self.options(indicator.spc, periods: periods, better: indicator.definition.better, target: target)
        self.result = XmR.analyse(values, options: options)
        self.periods = periods
    }

    /// The chart's options from the site's settings: each rebase period becomes the offset of
    /// the first charted point at or after it (a rebase period whose value is missing starts
    /// the phase at the next value); unset lengths keep the engine's defaults.
    public static func options(_ settings: SPCSettings, periods: [Period], better: Direction, target: Double?) -> SPCOptions {
        let defaults = SPCOptions()
        let offsets = settings.rebaseAt.compactMap { rebase in periods.firstIndex { $0 >= rebase } }
        return SPCOptions(
            better: better, target: target, rebaseAt: Array(Set(offsets.filter { $0 > 0 })).sorted(),
            fixAfter: settings.fixAfter, screenOutliers: settings.screenOutliers,
            runLength: settings.runLength ?? defaults.runLength,
            trendLength: settings.trendLength ?? defaults.trendLength,
            minimumPoints: settings.minimumPoints ?? defaults.minimumPoints)
    }
}
