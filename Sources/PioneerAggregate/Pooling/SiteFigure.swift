// One site's figure for one indicator and period: what pooling and the funnel plot read.

/// A site's reported value for an indicator in one period, with its parts.
///
/// `value` is as the site reports it: a proportion between 0 and 1, a rate per the
/// indicator's factor (per 1,000), a count. Pooling and funnels use the numerator and
/// denominator where a site gives them.
public struct SiteFigure: Sendable, Hashable {
    public var site: String
    public var value: Double?
    public var numerator: Double?
    public var denominator: Double?
    /// The site's own interval around its value, as reported.
    public var lower: Double?
    public var upper: Double?

    public init(site: String, value: Double?, numerator: Double? = nil, denominator: Double? = nil,
                lower: Double? = nil, upper: Double? = nil) {
        self.site = site
        self.value = value
        self.numerator = numerator
        self.denominator = denominator
        self.lower = lower
        self.upper = upper
    }

    /// The numerator and denominator when both are usable for a ratio (denominator above 0).
    var parts: (numerator: Double, denominator: Double)? {
        guard let numerator, let denominator, denominator > 0, numerator.isFinite, denominator.isFinite else { return nil }
        return (numerator, denominator)
    }
}
