// One indicator's national value period by period: the programme's trajectory, pooled the
// way each period's aggregate pools it, with the SPC verdict on the series.
public import PioneerGoals

/// Where a point of the pooled series comes from.
public enum PooledPointSource: String, Sendable, Hashable, Codable {
    /// A period's own returns, pooled as `pioneer aggregate --period` that period pools them.
    case returns
    /// The measures of a shorter period inside longer returns (a quarterly return's months),
    /// pooled across the sites whose returns for the longer period are accepted.
    case subPeriod = "sub-period"
}

/// A point's place on the XmR chart of the pooled series.
public struct PooledPointSPC: Sendable, Hashable, Codable {
    /// 0 for the first phase; a new phase starts where the definition changed.
    public var phase: Int
    public var mean: Double
    public var lowerLimit: Double
    public var upperLimit: Double
    public var pointType: SPCPointType
    public var specialCause: SpecialCauseRule?

    public init(phase: Int, mean: Double, lowerLimit: Double, upperLimit: Double, pointType: SPCPointType,
                specialCause: SpecialCauseRule?) {
        self.phase = phase
        self.mean = mean
        self.lowerLimit = lowerLimit
        self.upperLimit = upperLimit
        self.pointType = pointType
        self.specialCause = specialCause
    }
}

/// The national value of one indicator in one period.
public struct PooledPoint: Sendable, Hashable, Codable {
    /// The period's label: `2026-01`.
    public var period: String
    public var source: PooledPointSource
    /// On the indicator's scale; nil with ``notPooled`` saying why.
    public var value: Double?
    public var numerator: Double?
    public var denominator: Double?
    /// How many sites' figures make up the value, of how many accepted sites report the indicator.
    public var sitesPooled: Int
    public var sitesReporting: Int
    /// The definition version the sites share; nil when they differ (and the value is not pooled).
    public var definitionVersion: String?
    public var notPooled: String?
    /// The point's SPC judgement; nil for a point without a value, one left out of the chart
    /// (``leftOutOfSPC`` says why) or a series too short for limits.
    public var spc: PooledPointSPC?
    /// The sites whose figures make up the value, in the programme's order.
    public var sites: [String]
    /// Why the value is not on the XmR chart: it was pooled over other sites than the latest
    /// period's, so it measures another population ("lacks siteb"); nil when it is charted.
    public var leftOutOfSPC: String?

    public init(period: String, source: PooledPointSource, value: Double?, numerator: Double?, denominator: Double?,
                sitesPooled: Int, sitesReporting: Int, definitionVersion: String?, notPooled: String?, spc: PooledPointSPC? = nil,
                sites: [String] = [], leftOutOfSPC: String? = nil) {
        self.period = period
        self.source = source
        self.value = value
        self.numerator = numerator
        self.denominator = denominator
        self.sitesPooled = sitesPooled
        self.sitesReporting = sitesReporting
        self.definitionVersion = definitionVersion
        self.notPooled = notPooled
        self.spc = spc
        self.sites = sites
        self.leftOutOfSPC = leftOutOfSPC
    }

    /// The point of `indicator`'s aggregate for its period.
    init(_ indicator: IndicatorAggregate, period: String, source: PooledPointSource) {
        self.init(period: period, source: source, value: indicator.pooled?.value, numerator: indicator.pooled?.numerator,
                  denominator: indicator.pooled?.denominator, sitesPooled: indicator.pooled?.sites.count ?? 0,
                  sitesReporting: indicator.sites.count,
                  definitionVersion: indicator.definitions.count == 1 ? indicator.definitions.first?.version : nil,
                  notPooled: indicator.notPooled, sites: indicator.pooled?.sites ?? [])
    }
}

/// One indicator's pooled national value over the periods up to the one aggregated, oldest first.
public struct PooledSeries: Sendable, Hashable, Codable {
    public var indicator: String
    public var name: String
    public var valueType: String
    public var unit: String
    public var factor: Int?
    public var better: String
    public var decimals: Int
    /// `month`, `quarter`, …: the type of every point's period.
    public var periodType: String
    public var points: [PooledPoint]
    /// The latest point's SPC label; nil with ``spcUnavailable`` saying why.
    public var variation: SPCPointType?
    public var spcUnavailable: String?
    /// Periods where the definition changed, so the limits start again there.
    public var definitionChanges: [String]

    public init(indicator: String, name: String, valueType: String, unit: String, factor: Int?, better: String, decimals: Int,
                periodType: String, points: [PooledPoint], variation: SPCPointType?, spcUnavailable: String?,
                definitionChanges: [String]) {
        self.indicator = indicator
        self.name = name
        self.valueType = valueType
        self.unit = unit
        self.factor = factor
        self.better = better
        self.decimals = decimals
        self.periodType = periodType
        self.points = points
        self.variation = variation
        self.spcUnavailable = spcUnavailable
        self.definitionChanges = definitionChanges
    }
}
