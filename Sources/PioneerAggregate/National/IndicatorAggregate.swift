// One indicator across the sites for the period: each site's figure, the pooled value,
// and the funnel plot, or why there is none.

/// One site's figure for an indicator, as its return gives it.
public struct SiteIndicatorValue: Sendable, Hashable, Codable {
    public var site: String
    public var value: Double?
    public var numerator: Double?
    public var denominator: Double?
    /// The site's interval around its value.
    public var lower: Double?
    public var upper: Double?
    /// Why there is no value: the reason, then its detail.
    public var notAvailable: String?
    public var definitionVersion: String
    /// Where the site falls on the funnel plot, when there is one.
    public var position: FunnelPosition?

    public init(site: String, value: Double?, numerator: Double?, denominator: Double?, lower: Double?, upper: Double?,
                notAvailable: String?, definitionVersion: String, position: FunnelPosition? = nil) {
        self.site = site
        self.value = value
        self.numerator = numerator
        self.denominator = denominator
        self.lower = lower
        self.upper = upper
        self.notAvailable = notAvailable
        self.definitionVersion = definitionVersion
        self.position = position
    }
}

/// The sites that share one version of an indicator's definition.
public struct DefinitionGroup: Sendable, Hashable, Codable {
    public var version: String
    public var sites: [String]

    public init(version: String, sites: [String]) {
        self.version = version
        self.sites = sites
    }
}

/// One indicator across the sites in the period.
public struct IndicatorAggregate: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var valueType: String
    public var unit: String
    public var factor: Int?
    public var better: String
    public var decimals: Int
    /// Each site's figure, in the programme's order of sites.
    public var sites: [SiteIndicatorValue]
    /// The definition versions the sites use; more than one means the values are not pooled.
    public var definitions: [DefinitionGroup]
    /// The national value, or nil with ``notPooled`` saying why.
    public var pooled: PooledValue?
    public var notPooled: String?
    /// The funnel plot of a proportion or rate, or nil with ``funnelUnavailable`` saying why.
    public var funnel: FunnelPlot?
    public var funnelUnavailable: String?

    public init(id: String, name: String, valueType: String, unit: String, factor: Int?, better: String, decimals: Int,
                sites: [SiteIndicatorValue], definitions: [DefinitionGroup], pooled: PooledValue?, notPooled: String?,
                funnel: FunnelPlot?, funnelUnavailable: String?) {
        self.id = id
        self.name = name
        self.valueType = valueType
        self.unit = unit
        self.factor = factor
        self.better = better
        self.decimals = decimals
        self.sites = sites
        self.definitions = definitions
        self.pooled = pooled
        self.notPooled = notPooled
        self.funnel = funnel
        self.funnelUnavailable = funnelUnavailable
    }
}
