// One URL of a simulated system, and how it builds its answer.

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
