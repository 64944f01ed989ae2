// The feed cache: the last body of each feed URL with its validators, so the
// next collection can ask "changed since?" and reuse the body on a 304.
internal import GRDB
import Foundation

extension MeasureStore {
    /// The cached body of `url` from `feed`, or nil.
    public func cachedFeedBody(feed: String, url: String) throws(StoreError) -> CachedFeedBody? {
        try read { db in try Self.cachedFeedBody(feed: feed, url: url, db: db) }
    }

    /// The cached bodies of several URLs, read in one go, keyed by their position in `keys`;
    /// URLs with no cached body are absent.
    public func cachedFeedBodies(_ keys: [(feed: String, url: String)]) throws(StoreError) -> [Int: CachedFeedBody] {
        guard !keys.isEmpty else { return [:] }
        return try read { db in
            // Most runs, and every first run, have nothing cached: one query says so.
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM feed_cache)") == true else { return [:] }
            var found: [Int: CachedFeedBody] = [:]
            for (index, key) in keys.enumerated() {
                if let body = try Self.cachedFeedBody(feed: key.feed, url: key.url, db: db) { found[index] = body }
            }
            return found
        }
    }

    private static func cachedFeedBody(feed: String, url: String, db: Database) throws -> CachedFeedBody? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM feed_cache WHERE feed = ? AND url = ?"), arguments: [feed, url]).map { row in
            CachedFeedBody(feed: row["feed"], url: row["url"], etag: row["etag"], lastModified: row["last_modified"],
                           status: row["status"], contentHash: row["content_hash"], body: row["body"] ?? Data(),
                           fetchedAt: row["fetched_at"])
        }
    }

    /// Keeps `entry` as the cached body of its URL, replacing any earlier one.
    public func saveFeedBody(_ entry: CachedFeedBody) throws(StoreError) {
        try write { db in try Self.saveFeedBody(entry, db: db) }
    }

    static func saveFeedBody(_ entry: CachedFeedBody, db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO feed_cache (feed, url, etag, last_modified, status, content_hash, body, fetched_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [entry.feed, entry.url, entry.etag, entry.lastModified, entry.status,
                             entry.contentHash, entry.body, entry.fetchedAt])
    }

    /// Forgets the cached body of `url`, so the next fetch is unconditional.
    public func removeFeedBody(feed: String, url: String) throws(StoreError) {
        try write { db in try Self.removeFeedBody(feed: feed, url: url, db: db) }
    }

    static func removeFeedBody(feed: String, url: String, db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM feed_cache WHERE feed = ? AND url = ?").execute(arguments: [feed, url])
    }
}
