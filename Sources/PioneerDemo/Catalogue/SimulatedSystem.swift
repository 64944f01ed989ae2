// One site's local system (a BI server, a council export, a survey tool) and the endpoints it serves.

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
