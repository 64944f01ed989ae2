// A feed body kept with its cache validators, so an unchanged feed costs a 304.
public import Foundation

/// The last body a feed URL returned, with the validators to ask whether it changed.
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
    public var body: Data
    public var fetchedAt: Date

    public init(feed: String, url: String, etag: String?, lastModified: String?, status: Int,
                contentHash: String, body: Data, fetchedAt: Date) {
        self.feed = feed
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.status = status
        self.contentHash = contentHash
        self.body = body
        self.fetchedAt = fetchedAt
    }

    /// True when a conditional request can be made: the server gave a validator.
    public var hasValidators: Bool { etag != nil || lastModified != nil }
}
