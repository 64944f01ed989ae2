// Building the national history one period at a time: each period's returns are screened
// and pooled by the same Aggregator as `pioneer aggregate --period` that period, and only
// the pooled figures are kept, so a caller can read years of returns a period at a time
// without holding them all.
public import PioneerCore
public import PioneerKit
import PioneerGoals
import PioneerReturns

/// Collects the pooled series of a programme's indicators up to one period.
///
/// ```swift
/// var builder = HistoryBuilder(programme: programme, period: .quarter(2026, 1), asOf: .today())
/// builder.add(returnsOf2025Q4, for: .quarter(2025, 4))
/// builder.add(returnsOf2026Q1, for: .quarter(2026, 1))
/// let history = builder.history()
/// ```
public struct HistoryBuilder: Sendable {
    public let programme: Programme
    /// The period aggregated: the history holds it and the periods of its type before it.
    public let period: Period
    public let asOf: CalendarDate
    public let funnelOptions: FunnelOptions

    /// What the series show of an indicator: the definition from the latest period giving it.
    private struct Definition {
        var period: Period
        var indicator: IndicatorAggregate
    }

    private var points: [String: [Period: PooledPoint]] = [:]
    private var definitions: [String: Definition] = [:]
    /// Each period's indicators in the order its returns give them.
    private var orders: [Period: [String]] = [:]
    private var periods: [Period: HistoryPeriod] = [:]
    /// Each distinct list of pooled sites once: most points of a history pool the same
    /// sites, and share one array instead of holding a copy each.
    private var siteLists: Set<[String]> = []

    public init(programme: Programme, period: Period, asOf: CalendarDate, funnelOptions: FunnelOptions = FunnelOptions()) {
        self.programme = programme
        self.period = period
        self.asOf = asOf
        self.funnelOptions = funnelOptions
    }

    /// The period `label` names when its returns belong in the history (the aggregated
    /// period's type, not after it), nil otherwise.
    public func includes(_ label: String) -> Period? {
        guard let candidate = try? Period(parsing: label), candidate.type == period.type, candidate <= period else { return nil }
        return candidate
    }

    /// Screens and pools the returns received for `returnPeriod` (those for other periods
    /// are set aside, as the aggregate sets them aside), and keeps each indicator's pooled
    /// value for the period and for the shorter periods measured inside the returns.
    public mutating func add(_ received: [ReceivedReturn], for returnPeriod: Period) {
        let aggregator = Aggregator(programme: programme, period: returnPeriod, asOf: asOf, funnelOptions: funnelOptions)
        let (national, accepted) = aggregator.aggregateKeepingAccepted(received)
        periods[returnPeriod] = HistoryPeriod(period: returnPeriod.label, accepted: accepted.count,
                                                rejected: national.rejected.count { !$0.superseded },
                                                superseded: national.rejected.count(where: \.superseded))
        orders[returnPeriod] = national.indicators.map(\.id)
        for indicator in national.indicators {
            keep(indicator, at: returnPeriod, source: .returns)
        }
        // The shorter periods inside the returns: a quarterly return's months.
        var subPeriods = Set<Period>()
        for content in accepted {
            for indicator in content.indicators {
                for measure in indicator.measures where measure.period.label != returnPeriod.label {
                    if let sub = try? Period(parsing: measure.period.label), sub.type != returnPeriod.type {
                        subPeriods.insert(sub)
                    }
                }
            }
        }
        for sub in subPeriods.sorted() {
            let subAggregator = Aggregator(programme: programme, period: sub, asOf: asOf, funnelOptions: funnelOptions)
            for indicator in subAggregator.indicators(accepted) {
                if orders[returnPeriod]?.contains(indicator.id) == false { orders[returnPeriod]?.append(indicator.id) }
                keep(indicator, at: sub, source: .subPeriod)
            }
        }
    }

    private mutating func keep(_ indicator: IndicatorAggregate, at period: Period, source: PooledPointSource) {
        // A period's own returns outrank a longer return's sub-period for the same period.
        if let existing = points[indicator.id]?[period], existing.source == .returns, source == .subPeriod { return }
        var point = PooledPoint(indicator, period: period.label, source: source)
        point.sites = siteLists.insert(point.sites).memberAfterInsert
        points[indicator.id, default: [:]][period] = point
        if let known = definitions[indicator.id], known.period > period { return }
        definitions[indicator.id] = Definition(period: period, indicator: indicator)
    }

    /// The series, with an XmR chart of each (NHSRplotthedots' defaults, the indicator's
    /// better direction, new limits where the definition changed).
    public func history() -> NationalHistory {
        var order: [String] = []
        for returnPeriod in orders.keys.sorted(by: >) {
            for id in orders[returnPeriod] ?? [] where !order.contains(id) { order.append(id) }
        }
        let series = order.compactMap { id -> PooledSeries? in
            guard let definition = definitions[id], let byPeriod = points[id] else { return nil }
            let type = definition.period.type
            let ordered = byPeriod.filter { $0.key.type == type }.sorted { $0.key < $1.key }.map(\.value)
            return Self.charted(definition.indicator, type: type, points: ordered)
        }
        return NationalHistory(period: period.label, periods: periods.sorted { $0.key < $1.key }.map(\.value), series: series)
    }

    ///
    /// The chart compares like with like: a national value pooled over other sites than the
    /// latest value's (a site's return missing that month, or a site not yet in the
    /// programme) measures another population, and a change in who is pooled is no change
    /// in care. Such a value is shown but left out of the limits and the rules, with the
    /// sites it lacks or adds.
    static func charted(_ indicator: IndicatorAggregate, type: PeriodType, points: [PooledPoint]) -> PooledSeries {
        var points = points
        var values: [Double] = []
        var offsets: [Int] = []
        var rebaseAt: [Int] = []
        var changes: [String] = []
        var version: String?
        let panel = points.last { $0.value?.isFinite == true }?.sites ?? []
        for (offset, point) in points.enumerated() {
            guard let value = point.value, value.isFinite else { continue }
            if let reason = Self.notComparable(point.sites, panel: panel) {
                points[offset].leftOutOfSPC = reason
                continue
            }
            if let version, let now = point.definitionVersion, now != version {
                rebaseAt.append(values.count)
                changes.append(point.period)
            }
            if let now = point.definitionVersion { version = now }
            values.append(value)
            offsets.append(offset)
        }
        let better = Direction(rawValue: indicator.better) ?? .neutral
        let result = XmR.analyse(values, options: SPCOptions(better: better, rebaseAt: rebaseAt))
        var variation: SPCPointType?
        var unavailable: String?
        switch result {
        case .chart(let chart):
            for (spc, offset) in zip(chart.points, offsets) {
                points[offset].spc = PooledPointSPC(phase: spc.phase, mean: spc.mean, lowerLimit: spc.lowerLimit, upperLimit: spc.upperLimit,
                                                    pointType: spc.pointType, specialCause: spc.specialCause)
            }
            variation = chart.variation
        case .notEnoughPoints(let have, let need):
            let leftOut = points.filter { $0.leftOutOfSPC != nil }.count
            unavailable = "not enough pooled values for SPC limits: \(have) of the \(need) needed"
                + (leftOut == 0 ? "" : " (\(leftOut) more pooled over other sites than the latest period's, which are not comparable)")
        }
        return PooledSeries(
            indicator: indicator.id, name: indicator.name, valueType: indicator.valueType, unit: indicator.unit,
            factor: indicator.factor, better: indicator.better, decimals: indicator.decimals, periodType: type.rawValue,
            points: points, variation: variation, spcUnavailable: unavailable, definitionChanges: changes)
    }

    /// Why a value pooled over `sites` is not comparable with the latest one, pooled over
    /// `panel`: "lacks siteb; adds sitec"; nil when the sites are the same.
    static func notComparable(_ sites: [String], panel: [String]) -> String? {
        let lacking = panel.filter { !sites.contains($0) }
        let adding = sites.filter { !panel.contains($0) }
        guard !lacking.isEmpty || !adding.isEmpty else { return nil }
        var parts: [String] = []
        if !lacking.isEmpty { parts.append("lacks " + lacking.joined(separator: ", ")) }
        if !adding.isEmpty { parts.append("adds " + adding.joined(separator: ", ")) }
        return "pooled over other sites than the latest period (" + parts.joined(separator: "; ") + ")"
    }
}
