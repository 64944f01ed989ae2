// The national aggregate of one reporting period: what `pioneer aggregate` reports.

/// Every site's returns for one period brought together: completeness, the returns left
/// out and why, each indicator pooled and compared, and goals by theme.
public struct NationalAggregate: Sendable, Hashable, Codable {
    public var programme: String
    /// The period's label: `2026-03`.
    public var period: String
    public var completeness: Completeness
    /// Returns left out of the totals, each with its reason.
    public var rejected: [RejectedReturn]
    /// Returns for other periods, read but not part of this aggregate.
    public var otherPeriods: [RejectedReturn]
    /// The sites whose returns are in the totals, in the programme's order.
    public var accepted: [String]
    public var indicators: [IndicatorAggregate]
    public var themes: [ThemeSummary]
    public var confidenceGaps: [ConfidenceGap]
    public var funnelOptions: FunnelOptions
    /// Accepted sites whose return is ADX, which carries no goals: they are in neither the
    /// theme counts nor the confidence gap (not counted as "no data").
    public var goalsNotCarried: [String]

    public init(programme: String, period: String, completeness: Completeness, rejected: [RejectedReturn],
                otherPeriods: [RejectedReturn], accepted: [String], indicators: [IndicatorAggregate],
                themes: [ThemeSummary], confidenceGaps: [ConfidenceGap], funnelOptions: FunnelOptions,
                goalsNotCarried: [String] = []) {
        self.programme = programme
        self.period = period
        self.completeness = completeness
        self.rejected = rejected
        self.otherPeriods = otherPeriods
        self.accepted = accepted
        self.indicators = indicators
        self.themes = themes
        self.confidenceGaps = confidenceGaps
        self.funnelOptions = funnelOptions
        self.goalsNotCarried = goalsNotCarried
    }
}
