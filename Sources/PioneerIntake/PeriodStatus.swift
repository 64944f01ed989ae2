// Expected versus received for one period, from the store: what `GET /v1/status` answers.

/// Expected versus received for one period.
public struct PeriodStatus: Codable, Sendable, Hashable {
    /// The period's label: `2026-03`.
    public var period: String
    /// The last days a return is on time, and accepted at all (`YYYY-MM-DD`).
    public var softDeadline: String
    public var hardDeadline: String
    /// When the status was worked out (ISO 8601, UTC, server clock).
    public var asOf: String
    /// Every expected site, in the programme's order.
    public var sites: [SiteStatus]

    public init(period: String, softDeadline: String, hardDeadline: String, asOf: String, sites: [SiteStatus]) {
        self.period = period
        self.softDeadline = softDeadline
        self.hardDeadline = hardDeadline
        self.asOf = asOf
        self.sites = sites
    }
}

/// One expected site's standing for the period.
public struct SiteStatus: Codable, Sendable, Hashable {
    public var site: String
    /// `on time`, `late`, `incomplete`, `missing` or `awaited`.
    public var status: String
    /// The version that counts, when one does.
    public var version: Int?
    /// When the counting version was received (ISO 8601, UTC).
    public var receivedAt: String?
    /// How many versions are stored for the site and period, accepted or not.
    public var versions: Int

    public init(site: String, status: String, version: Int?, receivedAt: String?, versions: Int) {
        self.site = site
        self.status = status
        self.version = version
        self.receivedAt = receivedAt
        self.versions = versions
    }
}
