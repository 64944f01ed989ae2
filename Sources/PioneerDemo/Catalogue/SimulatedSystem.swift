// One site's local system (a BI server, a council export, a survey tool) and the endpoints it serves.

/// One URL a simulated system answers, and how it builds the answer.
struct SimulatedEndpoint: Sendable {
    enum Format: Sendable {
        case json
        case csv

        var contentType: String {
            switch self {
            case .json: return "application/json; charset=utf-8"
            case .csv: return "text/csv; charset=utf-8"
            }
        }
    }

    /// Path under the system: `/admissions/emergency`.
    var path: String
    /// The query it expects, for listings: `month=YYYY-MM`.
    var parameters: String
    /// What it returns, for listings.
    var summary: String
    var format: Format
    /// Builds the body. It must depend only on the query, so answers are repeatable.
    var render: @Sendable (EndpointQuery) throws(EndpointError) -> String
}

/// A site's local system, served under `/<site>/<system>`.
struct SimulatedSystem: Sendable {
    /// `torbay`.
    var site: String
    /// `bi`.
    var name: String
    /// "Torbay and South Devon NHS FT business intelligence server (JSON API)".
    var title: String
    /// The bearer token the system demands, if any.
    var bearerToken: String?
    var endpoints: [SimulatedEndpoint]

    /// `/torbay/bi`.
    var prefix: String { "/\(site)/\(name)" }
}

/// One endpoint as listed by `pioneer demo-feeds` and the docs.
public struct DemoFeedEndpoint: Sendable, Hashable {
    /// The full path: `/torbay/bi/admissions/emergency`.
    public var path: String
    /// `month=YYYY-MM`.
    public var parameters: String
    public var summary: String
    /// The system's description.
    public var system: String
    /// Whether the endpoint needs `Authorization: Bearer …`.
    public var requiresToken: Bool
}
