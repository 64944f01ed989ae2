// Cached large bodies are files beside the store; after a run they are kept to a limit: the
// bodies of URLs the run did not use go first, least recently fetched first, a file shared by
// two URLs counted once and removed with the last of them, and the run's own never.
import Foundation
import PioneerKit
import PioneerStore
import PioneerTesting
import Testing

@Suite struct BodyCacheLimitTests {
    /// Caches a body of `size` bytes of `byte` for `url`, kept as a file, fetched at `second`.
    private func cache(_ store: MeasureStore, _ url: String, size: Int, byte: UInt8, second: Double, in folder: URL,
                       feed: String = "bi") throws {
        let data = Data(repeating: byte, count: size)
        let file = folder.appending(path: "incoming-\(UUID().uuidString)")
        try data.write(to: file)
        try store.saveFeedBody(CachedFeedBody(feed: feed, url: url, etag: "\"\(byte)\"", lastModified: nil, status: 200,
                                              contentHash: ContentHash.of(data), body: Data(), file: .file(file),
                                              fetchedAt: Date(timeIntervalSince1970: second)))
    }

    private func cachedURLs(_ store: MeasureStore, _ urls: [String]) throws -> [String] {
        try urls.filter { try store.cachedFeedBody(feed: "bi", url: $0) != nil }
    }

    private func files(_ store: MeasureStore) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: store.bodyFolder.path).count
    }

    @Test func bodiesOverTheLimitGoOldestFirstButNeverTheRunsOwn() throws {
        try withTemporaryFolder { folder in
            let store = try MeasureStore(path: folder.appending(path: "s.sqlite").path)
            let urls = (1...4).map { "http://bi/extract-2026-0\($0).csv" }
            for (index, url) in urls.enumerated() {
                try cache(store, url, size: 1000, byte: UInt8(index), second: 1_780_000_000 + Double(index) * 60, in: folder)
            }
            #expect(try files(store) == 4)
            // Under the limit nothing goes.
            #expect(try store.trimCachedBodies(toAtMost: 4000, keeping: []) == 0)
            // 2,500 bytes allowed: the two oldest go, but the oldest is the run's own and stays.
            let own: Set = [FeedCacheKey(feed: "bi", url: urls[0])]
            #expect(try store.trimCachedBodies(toAtMost: 2500, keeping: own) == 2)
            #expect(try cachedURLs(store, urls) == [urls[0], urls[3]])
            #expect(try store.removeUnusedBodyFiles() == 2)
            #expect(try files(store) == 2)
            // A limit of 0 keeps only the run's own.
            #expect(try store.trimCachedBodies(toAtMost: 0, keeping: own) == 1)
            #expect(try cachedURLs(store, urls) == [urls[0]])
        }
    }

    /// Two sites sharing a store: one site's trim forgets only its own bodies, never the other
    /// site's, whose run may be about to reuse one on a 304.
    @Test func aSitesTrimLeavesTheOtherSitesBodies() throws {
        try withTemporaryFolder { folder in
            let store = try MeasureStore(path: folder.appending(path: "s.sqlite").path)
            try cache(store, "http://bi/north.csv", size: 1000, byte: 1, second: 1_780_000_000, in: folder, feed: "north/bi")
            try cache(store, "http://bi/south.csv", size: 1000, byte: 2, second: 1_780_000_060, in: folder, feed: "south/bi")
            try cache(store, "http://bi/south-old.csv", size: 1000, byte: 3, second: 1_779_000_000, in: folder, feed: "south/bi")
            #expect(try store.trimCachedBodies(toAtMost: 0, keeping: [FeedCacheKey(feed: "south/bi", url: "http://bi/south.csv")],
                                               site: "south") == 1)
            #expect(try store.cachedFeedBody(feed: "north/bi", url: "http://bi/north.csv") != nil)
            #expect(try store.cachedFeedBody(feed: "south/bi", url: "http://bi/south.csv") != nil)
            #expect(try store.cachedFeedBody(feed: "south/bi", url: "http://bi/south-old.csv") == nil)
        }
    }

    @Test func aFileSharedByTwoURLsCountsOnceAndGoesWithTheLast() throws {
        try withTemporaryFolder { folder in
            let store = try MeasureStore(path: folder.appending(path: "s.sqlite").path)
            let urls = ["http://bi/a.csv", "http://bi/b.csv", "http://bi/c.csv"]
            // a and b hold the same body: one file of 1,000 bytes; c another.
            try cache(store, urls[0], size: 1000, byte: 7, second: 1_780_000_000, in: folder)
            try cache(store, urls[1], size: 1000, byte: 7, second: 1_780_000_060, in: folder)
            try cache(store, urls[2], size: 1000, byte: 8, second: 1_780_000_120, in: folder)
            #expect(try files(store) == 2)
            #expect(try store.trimCachedBodies(toAtMost: 2000, keeping: []) == 0)
            // 1,000 allowed: a goes (its file still b's), then b (the file now unused).
            #expect(try store.trimCachedBodies(toAtMost: 1000, keeping: []) == 2)
            #expect(try cachedURLs(store, urls) == [urls[2]])
            #expect(try store.removeUnusedBodyFiles() == 1)
            #expect(try files(store) == 1)
        }
    }
}
