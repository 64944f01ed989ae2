// A successful fetch: the body and the facts the store keeps about it.
public import Foundation
public import PioneerKit

/// A successful response from a feed (2xx, or 304 on a conditional request).
public struct FeedFetchResult: Sendable {
    /// The URL fetched, with any credentials removed.
    public var url: String
    public var status: Int
    /// Response headers, names in lower case; repeated headers joined with ", ".
    public var headers: [String: String]
    /// The body after content decoding (gzip, deflate) when held in memory; empty when
    /// ``notModified`` or when the body is in ``bodyFile``.
    public var body: Data
    /// A body too large for memory, in a temporary file with its content hash.
    public var bodyFile: ReceivedBodyFile?
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

    /// The body as plugins read it: in memory, or in its temporary file.
    public var content: FeedResponse.Body {
        bodyFile?.body ?? .memory(body)
    }

    /// The body's size in bytes, wherever it is held.
    public var bodySize: Int {
        bodyFile?.size ?? body.count
    }

    public init(url: String, status: Int, headers: [String: String], body: Data, bodyFile: ReceivedBodyFile? = nil,
                notModified: Bool, validators: CacheValidators, attempts: Int, fetchedAt: Date, elapsed: Double) {
        self.bodyFile = bodyFile
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
