// A successful fetch: the body and the facts the store keeps about it.
public import Foundation

/// A successful response from a feed (2xx, or 304 on a conditional request).
public struct FeedFetchResult: Sendable {
    /// The URL fetched, with any credentials removed.
    public var url: String
    public var status: Int
    /// Response headers, names in lower case; repeated headers joined with ", ".
    public var headers: [String: String]
    /// The body after content decoding (gzip, deflate); empty when ``notModified``.
    public var body: Data
    /// True when the server answered `304 Not Modified` to a conditional request.
    public var notModified: Bool
    /// The validators to send next time: this response's `ETag` and `Last-Modified`,
    /// or the request's own on a 304 that did not repeat them.
    public var validators: CacheValidators
    /// Attempts made, 1 when the first one succeeded.
    public var attempts: Int
    public var fetchedAt: Date
    /// Seconds from the first attempt to the end, retries and waits included.
    public var elapsed: Double

    public init(url: String, status: Int, headers: [String: String], body: Data, notModified: Bool,
                validators: CacheValidators, attempts: Int, fetchedAt: Date, elapsed: Double) {
        self.url = url
        self.status = status
        self.headers = headers
        self.body = body
        self.notModified = notModified
        self.validators = validators
        self.attempts = attempts
        self.fetchedAt = fetchedAt
        self.elapsed = elapsed
    }
}
