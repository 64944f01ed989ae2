// The feed cache: the last body of each feed URL with its validators, so the
// next collection can ask "changed since?" and reuse the body on a 304. Large bodies are
// files named by their digest in a folder beside the store, not rows in SQLite.
internal import GRDB
public import Foundation
import PioneerKit

extension MeasureStore {
    /// The folder beside the store that holds cached bodies too large for the database:
    /// `store.sqlite-bodies/`, one file per body named by the hex of its SHA-256.
    public var bodyFolder: URL {
        URL(fileURLWithPath: path + "-bodies", isDirectory: true)
    }

    /// The start of the name of a run's hold on a cached body it reuses: `.lease-<pid>-<start>-<random>-<digest>`,
    /// a hard link beside the body, so that another run removing the body leaves this run's copy.
    public static let bodyLeasePrefix = ".lease-"

    /// This process in a lease's name: its id and start, `<pid>-<ticks>`.
    public static let leaseOwner = "\(getpid())-\(processStartTicks(getpid()) ?? 0)"

    /// The cached body of `url` from `feed`, or nil.
    public func cachedFeedBody(feed: String, url: String) throws(StoreError) -> CachedFeedBody? {
        let folder = bodyFolder
        return try read { db in try Self.cachedFeedBody(feed: feed, url: url, folder: folder, db: db) }
    }

    /// The cached bodies of several URLs, read in one go, keyed by their position in `keys`;
    /// URLs with no cached body are absent.
    public func cachedFeedBodies(_ keys: [(feed: String, url: String)]) throws(StoreError) -> [Int: CachedFeedBody] {
        guard !keys.isEmpty else { return [:] }
        let folder = bodyFolder
        return try read { db in
            // Most runs, and every first run, have nothing cached: one query says so.
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM feed_cache)") == true else { return [:] }
            var found: [Int: CachedFeedBody] = [:]
            for (index, key) in keys.enumerated() {
                if let body = try Self.cachedFeedBody(feed: key.feed, url: key.url, folder: folder, db: db) {
                    found[index] = body
                }
            }
            return found
        }
    }

    /// The cached body of `url`, or nil. A body kept as a file that is no longer there (the
    /// folder cleaned by hand, say) counts as not cached: asking "changed since?" would get a
    /// 304 with no body to reuse, run after run, so the next fetch is unconditional instead
    /// and its body replaces the entry.
    private static func cachedFeedBody(feed: String, url: String, folder: URL, db: Database) throws -> CachedFeedBody? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM feed_cache WHERE feed = ? AND url = ?"),
                                         arguments: [feed, url]) else { return nil }
        let fileName: String? = row["body_file"]
        let file = fileName.map { folder.appending(path: $0) }
        if let file, !FileManager.default.isReadableFile(atPath: file.path) { return nil }
        return CachedFeedBody(feed: row["feed"], url: row["url"], etag: row["etag"], lastModified: row["last_modified"],
                              status: row["status"], contentHash: row["content_hash"], body: row["body"] ?? Data(),
                              file: file.map { .file($0) }, fetchedAt: row["fetched_at"])
    }

    /// Keeps `entry` as the cached body of its URL, replacing any earlier one.
    public func saveFeedBody(_ entry: CachedFeedBody) throws(StoreError) {
        let placed = placeBodyFiles([.cacheFeedBody(entry)])
        try write { db in
            for write in placed {
                switch write {
                case .cacheFeedBody(let entry): try Self.saveFeedBody(entry, db: db)
                case .forgetFeedBody(let feed, let url): try Self.removeFeedBody(feed: feed, url: url, db: db)
                default: break
                }
            }
        }
    }

    static func saveFeedBody(_ entry: CachedFeedBody, db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO feed_cache (feed, url, etag, last_modified, status, content_hash, body, body_file, fetched_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [entry.feed, entry.url, entry.etag, entry.lastModified, entry.status,
                             entry.contentHash, entry.file == nil ? entry.body : Data(),
                             entry.file?.fileURL?.lastPathComponent, entry.fetchedAt])
    }

    /// Forgets the cached body of `url`, so the next fetch is unconditional.
    public func removeFeedBody(feed: String, url: String) throws(StoreError) {
        try write { db in try Self.removeFeedBody(feed: feed, url: url, db: db) }
    }

    static func removeFeedBody(feed: String, url: String, db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM feed_cache WHERE feed = ? AND url = ?").execute(arguments: [feed, url])
    }

    /// Before a batch is written: each cached body held in a file outside ``bodyFolder`` is
    /// linked (or copied) in under its digest, and the entry points there. A body that cannot
    /// be placed is not cached (its entry becomes a forget), so the next fetch is unconditional.
    func placeBodyFiles(_ writes: [StoreWrite]) -> [StoreWrite] {
        guard writes.contains(where: { if case .cacheFeedBody(let entry) = $0 { entry.file != nil } else { false } }) else {
            return writes
        }
        let folder = bodyFolder.standardizedFileURL
        return writes.map { write in
            guard case .cacheFeedBody(var entry) = write, let source = entry.file?.fileURL else { return write }
            if source.deletingLastPathComponent().standardizedFileURL == folder { return write }
            let name = entry.contentHash.hasPrefix("sha256:") ? String(entry.contentHash.dropFirst(7)) : entry.contentHash
            let target = folder.appending(path: name)
            do {
                // Closed to other users: the bodies are the feeds' extracts (a CSV of every admission).
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
                if !FileManager.default.fileExists(atPath: target.path) {
                    // Write under a temporary name and rename, so a reader never sees half a body.
                    let partial = folder.appending(path: ".\(name).\(UUID().uuidString)")
                    do {
                        try FileManager.default.linkItem(at: source, to: partial)
                    } catch {
                        try FileManager.default.copyItem(at: source, to: partial)
                    }
                    // Read-only, and the owner's alone: a plugin given the file (`bodies: file`) or
                    // an editor cannot change a body whose digest the provenance records.
                    try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: partial.path)
                    try FileManager.default.moveItem(at: partial, to: target)
                }
                entry.file = .file(target)
                entry.body = Data()
                return .cacheFeedBody(entry)
            } catch {
                return .forgetFeedBody(feed: entry.feed, url: entry.url)
            }
        }
    }

    /// Forgets cached bodies kept as files, until those files take at most `limit` bytes: the
    /// bodies of URLs not in `keeping` (the ones a run has just used), least recently fetched
    /// first. A URL whose `{period}` changes with the period keeps one large body a period, so
    /// without a limit a monthly extract would keep every month's copy. A forgotten URL is
    /// fetched without validators next time; its file goes at ``removeUnusedBodyFiles()``.
    ///
    /// With `site`, only that site's cached bodies (those whose feed is `site/…`) are forgotten:
    /// another site sharing the store may have a run under way that is about to reuse its own.
    ///
    /// - Returns: how many cached bodies were forgotten.
    @discardableResult
    public func trimCachedBodies(toAtMost limit: Int, keeping: Set<FeedCacheKey>, site: String? = nil) throws(StoreError) -> Int {
        let folder = bodyFolder
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT feed, url, body_file FROM feed_cache WHERE body_file IS NOT NULL ORDER BY fetched_at, url
                """).map { (key: FeedCacheKey(feed: $0["feed"], url: $0["url"]), file: $0["body_file"] as String) }
        }
        // Several URLs may share one file (the same body): a file counts once, and goes when
        // the last of them is forgotten.
        var users: [String: Int] = [:]
        for row in rows { users[row.file, default: 0] += 1 }
        var sizes: [String: Int] = [:]
        for name in users.keys {
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder.appending(path: name).path)
            sizes[name] = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        }
        var total = sizes.values.reduce(0, +)
        var forget: [FeedCacheKey] = []
        let own = site.map { "\($0)/" }
        for row in rows where total > limit && !keeping.contains(row.key) && own.map({ row.key.feed.hasPrefix($0) }) ?? true {
            forget.append(row.key)
            users[row.file, default: 1] -= 1
            if users[row.file] == 0 { total -= sizes[row.file] ?? 0 }
        }
        // Most runs are under the limit: then nothing is written.
        guard !forget.isEmpty else { return 0 }
        try write { db in
            for key in forget { try Self.removeFeedBody(feed: key.feed, url: key.url, db: db) }
        }
        return forget.count
    }

    /// Removes the files in ``bodyFolder`` that no cached body refers to any more (the body
    /// of a URL changed, or its server stopped sending validators). `pioneer collect` calls
    /// it at the end of each run, once the run's cache updates are committed.
    ///
    /// - Returns: how many files were removed.
    @discardableResult
    public func removeUnusedBodyFiles() throws(StoreError) -> Int {
        let folder = bodyFolder
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return 0 }
        let used = try read { db in
            Set(try String.fetchAll(db, sql: "SELECT body_file FROM feed_cache WHERE body_file IS NOT NULL"))
        }
        var removed = 0
        for name in names where !used.contains(name) {
            // A run's hold on a body it reuses, `.lease-<pid>-…`: removed by that run as its
            // plugins finish, or here once no process has that id (the run was killed).
            if name.hasPrefix(Self.bodyLeasePrefix) {
                if let (pid, ticks) = processOfName(name.dropFirst(Self.bodyLeasePrefix.count)), pid != getpid(),
                   leftByAProcessGone(pid: pid, ticks: ticks),
                   (try? FileManager.default.removeItem(at: folder.appending(path: name))) != nil {
                    removed += 1
                }
                continue
            }
            // A `.name.uuid` file is one being placed right now by a run: leave it.
            if name.hasPrefix(".") { continue }
            if (try? FileManager.default.removeItem(at: folder.appending(path: name))) != nil { removed += 1 }
        }
        return removed
    }
}
