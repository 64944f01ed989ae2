// Progress events from FeedClient.fetchAll, for a progress bar or a log.

/// Something that happened to one request of a ``FeedClient/fetchAll(_:onEvent:)`` batch.
///
/// `index` is the request's position in the batch. Events for one request arrive in
/// order (started, any retrying, finished); events of different requests interleave.
public enum FeedEvent: Sendable {
    /// The first attempt is about to be made.
    case started(index: Int, feed: String, url: String)
    /// An attempt failed with a retryable cause; the next one starts after `delay` seconds.
    case retrying(index: Int, feed: String, url: String, attempt: Int, delay: Double, cause: FeedError.Cause)
    /// The request is done: `error` is nil on success.
    case finished(index: Int, feed: String, url: String, error: FeedError?)

    /// The request's position in the batch.
    public var index: Int {
        switch self {
        case .started(let index, _, _), .retrying(let index, _, _, _, _, _), .finished(let index, _, _, _):
            return index
        }
    }
}
