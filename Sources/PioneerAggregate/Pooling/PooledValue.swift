// The national value of one indicator in one period, pooled from the sites' figures.

/// How a pooled value was formed.
public enum PoolingMethod: String, Sendable, Hashable, Codable {
    /// Σ numerators ÷ Σ denominators (× the factor of a rate): each person counts once,
    /// whichever site they belong to. Never the mean of the sites' rates.
    case ratioOfSums = "ratio of sums"
    /// Σ values: counts and amounts add up across sites.
    case total
}

/// A site whose figure could not go into the pooled value, and why.
public struct LeftOutSite: Sendable, Hashable, Codable {
    public var site: String
    public var reason: String

    public init(site: String, reason: String) {
        self.site = site
        self.reason = reason
    }
}

/// One indicator's value across the sites: pooled, the parts summed, and the spread.
public struct PooledValue: Sendable, Hashable, Codable {
    public var method: PoolingMethod
    /// The national value on the indicator's own scale (a proportion 0–1, a rate per its
    /// factor, a total); nil when no site's figure could be pooled.
    public var value: Double?
    /// Σ numerators and Σ denominators of the sites pooled by ``PoolingMethod/ratioOfSums``.
    public var numerator: Double?
    public var denominator: Double?
    /// The sites whose figures make up the value, in the order given.
    public var sites: [String]
    public var leftOut: [LeftOutSite]
    /// The spread of every site's value (pooled or not), on the indicator's scale.
    public var spread: Spread?

    public init(method: PoolingMethod, value: Double?, numerator: Double?, denominator: Double?,
                sites: [String], leftOut: [LeftOutSite], spread: Spread?) {
        self.method = method
        self.value = value
        self.numerator = numerator
        self.denominator = denominator
        self.sites = sites
        self.leftOut = leftOut
        self.spread = spread
    }
}
