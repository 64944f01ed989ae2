// The one thing the collection engine needs from the feed layer: fetch a URL.
// A protocol, so the engine's tests can count requests or inject failures.
public import PioneerFeeds

/// Fetches one resolved feed URL, with the feed's auth, retries and limits.
///
/// ``FeedClient`` is the implementation used by `pioneer collect`; it bounds the
/// number of transfers in flight across all concurrent calls.
public protocol FeedFetching: Sendable {
    /// Fetches `request`; failures are values, never thrown.
    func fetch(_ request: FeedFetchRequest) async -> Result<FeedFetchResult, FeedError>
}

extension FeedClient: FeedFetching {}
