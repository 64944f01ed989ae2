// An endpoint as `pioneer demo-feeds` lists it.

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
