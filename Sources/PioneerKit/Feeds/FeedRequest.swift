// What a plugin asks the host to fetch. The host owns HTTP: base URL, auth,
// TLS, proxies, retries and caching come from the site's feed definition.

/// One HTTP GET a plugin needs, relative to a feed declared in the site YAML.
///
/// `path` and the values of `query` are templates: the host fills in the
/// period before fetching, URL-encoded.
///
/// | placeholder | example for `FY2026-27 Q1` |
/// |---|---|
/// | `{period}` | `FY2026-27 Q1` |
/// | `{period.start}` | `2026-04-01` |
/// | `{period.end}` | `2026-06-30` |
/// | `{period.year}` | `2026` (calendar year of the start) |
/// | `{period.month}` | `04` (month of the start) |
/// | `{period.adx}` | `2026-04-01/P3M` |
public struct FeedRequest: Sendable, Hashable, Codable {
    /// The plugin's own name for this response, used to look it up: `deaths`.
    public var key: String
    /// The feed's name in the site YAML.
    public var feed: String
    /// Path template appended to the feed's base URL: `/api/admissions?month={period}`.
    public var path: String
    /// Extra query parameters, values templated like `path`.
    public var query: [String: String]
    /// The period to fill in; nil means the period being collected.
    public var period: Period?

    public init(key: String, feed: String, path: String, query: [String: String] = [:], period: Period? = nil) {
        self.key = key
        self.feed = feed
        self.path = path
        self.query = query
        self.period = period
    }
}
