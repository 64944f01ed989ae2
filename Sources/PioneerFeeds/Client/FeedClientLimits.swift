// How many transfers the feed client runs at once.

/// Bounds on parallel transfers, overall and per host.
///
/// Requests beyond the bounds wait in a queue, first come first served, except that
/// a request for a host with a free slot may overtake one for a busy host.
public struct FeedClientLimits: Sendable, Hashable {
    /// Transfers in flight at once, over all hosts.
    public var maxParallel: Int = 16
    /// Transfers in flight at once to one host (scheme, host and port).
    public var maxPerHost: Int = 8

    public init(maxParallel: Int = 16, maxPerHost: Int = 8) {
        self.maxParallel = max(1, maxParallel)
        self.maxPerHost = max(1, maxPerHost)
    }
}
