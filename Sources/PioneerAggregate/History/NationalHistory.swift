// The programme's trajectory: every indicator's pooled national value over the periods up
// to the one aggregated, read from the earlier returns given and the sub-period measures
// inside longer returns.

/// One period whose returns went into the history.
public struct HistoryPeriod: Sendable, Hashable, Codable {
    public var period: String
    /// Returns accepted into the totals, returns rejected (each listed by that period's own
    /// aggregate), and returns superseded by the site's later one (no fault: not rejected).
    public var accepted: Int
    public var rejected: Int
    public var superseded: Int

    public init(period: String, accepted: Int, rejected: Int, superseded: Int = 0) {
        self.period = period
        self.accepted = accepted
        self.rejected = rejected
        self.superseded = superseded
    }
}

/// The pooled series of every indicator up to and including the aggregated period.
public struct NationalHistory: Sendable, Hashable, Codable {
    /// The period aggregated: the series end there.
    public var period: String
    /// The periods whose returns were read, oldest first.
    public var periods: [HistoryPeriod]
    /// One series per indicator: those of the aggregated period first, in its order.
    public var series: [PooledSeries]

    public init(period: String, periods: [HistoryPeriod], series: [PooledSeries]) {
        self.period = period
        self.periods = periods
        self.series = series
    }

    /// The series of `indicator`, if any.
    public func series(of indicator: String) -> PooledSeries? {
        series.first { $0.indicator == indicator }
    }
}
