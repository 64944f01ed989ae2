// A feed body kept with its cache validators, so an unchanged feed costs a 304.
public import Foundation
public import PioneerKit

/// The last body a feed URL returned, with the validators to ask whether it changed.
///
/// A small body is kept in the store's database; a large one (one the feed client wrote to
/// a file, over 8 MB) is kept as a file named by its digest in the folder beside the store
/// (``MeasureStore/bodyFolder``), so SQLite never holds it.
public struct CachedFeedBody: Sendable, Hashable {
    public var feed: String
    /// The resolved URL, credentials removed.
    public var url: String
    /// The `ETag` response header, sent back as `If-None-Match`.
    public var etag: String?
    /// The `Last-Modified` response header, sent back as `If-Modified-Since`.
    public var lastModified: String?
    /// The status of the response that carried the body.
    public var status: Int
    /// `sha256:` and the hex digest of the body.
    public var contentHash: String
    /// The body when held in the database; empty when it is in ``file``.
    public var body: Data
    /// The body when held in a file (a temporary one on its way into the store, or the
    /// store's own copy once read back).
    public var file: FeedResponse.Body?
    public var fetchedAt: Date

    public init(feed: String, url: String, etag: String?, lastModified: String?, status: Int,
                contentHash: String, body: Data, file: FeedResponse.Body? = nil, fetchedAt: Date) {
        self.feed = feed
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.status = status
        self.contentHash = contentHash
        self.body = body
        self.file = file
        self.fetchedAt = fetchedAt
    }

    /// True when a conditional request can be made: the server gave a validator.
    public var hasValidators: Bool { etag != nil || lastModified != nil }

    /// The body as plugins read it, wherever it is kept.
    public var content: FeedResponse.Body {
        file ?? .memory(body)
    }
}

/// A URL's place in the feed cache: the feed that fetched it and the URL as recorded (without
/// credentials).
public struct FeedCacheKey: Hashable, Sendable {
    public var feed: String
    public var url: String

    public init(feed: String, url: String) {
        self.feed = feed
        self.url = url
    }
}
