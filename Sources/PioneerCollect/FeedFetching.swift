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

    /// Starts fetching `request` and returns at once with a function that cancels it;
    /// `completion` runs exactly once with the result, on any thread, but never before
    /// `start` has returned (the engine starts the next fetch from a completion, and a
    /// completion inside `start` would nest one fetch inside another, a level per fetch).
    /// The default runs ``fetch(_:)`` in a task; ``FeedClient`` needs no task per request.
    func start(_ request: FeedFetchRequest,
               completion: @escaping @Sendable (Result<FeedFetchResult, FeedError>) -> Void) -> @Sendable () -> Void
}

extension FeedFetching {
    public func start(_ request: FeedFetchRequest,
                      completion: @escaping @Sendable (Result<FeedFetchResult, FeedError>) -> Void) -> @Sendable () -> Void {
        let task = Task { completion(await fetch(request)) }
        return { task.cancel() }
    }
}

extension FeedClient: FeedFetching {
    public func start(_ request: FeedFetchRequest,
                      completion: @escaping @Sendable (Result<FeedFetchResult, FeedError>) -> Void) -> @Sendable () -> Void {
        let handle: FeedFetchHandle = start(request, completion: completion)
        return { handle.cancel() }
    }
}
