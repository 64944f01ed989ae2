// What the collector asks the feed client to fetch, and the cache validators it may send along.
public import PioneerCore

/// The validators of a previous response, sent back to make a request conditional.
///
/// A server that still has the same content answers `304 Not Modified`, and the
/// client reports a success marked ``FeedFetchResult/notModified``.
public struct CacheValidators: Sendable, Hashable, Codable {
    /// The `ETag` header of the earlier response, sent as `If-None-Match`.
    public var etag: String?
    /// The `Last-Modified` header of the earlier response, sent as `If-Modified-Since`.
    public var lastModified: String?

    public init(etag: String?, lastModified: String?) {
        self.etag = etag
        self.lastModified = lastModified
    }

    /// True when neither validator is present.
    public var isEmpty: Bool { etag == nil && lastModified == nil }
}

/// One GET of an already-resolved URL on a feed.
///
/// Build the URL with ``FeedURL/resolve(_:feed:period:)``; the feed supplies the
/// auth, TLS, proxy, timeouts, retries and limits.
public struct FeedFetchRequest: Sendable, Hashable {
    public var feed: FeedDefinition
    /// The full URL, templates already filled in.
    public var url: String
    /// Validators from a cached earlier response; nil for an unconditional request.
    public var validators: CacheValidators?
    /// The site whose run asks for it, for the log: sites sharing a regional URL are told apart.
    public var site: String?

    public init(feed: FeedDefinition, url: String, validators: CacheValidators? = nil, site: String? = nil) {
        self.feed = feed
        self.url = url
        self.validators = validators
        self.site = site
    }
}
