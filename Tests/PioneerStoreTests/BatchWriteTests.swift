// Batched writes: one commit for many indicator-periods, each entry still all-or-nothing.
import Foundation
import GRDB
import PioneerKit
import PioneerStore
import PioneerTesting
import Testing

@Suite struct BatchWriteTests {
    @Test func batchStoresEveryEntryAndReportsEachOutcomeInOrder() throws {
        try withTemporaryFolder { folder in
            let store = try MeasureStore(path: folder.appendingPathComponent("s.sqlite").path)
            let first = try store.beginRun(site: "torbay", command: "c", periods: "2026-05")
            try store.record(measure(.value(10), indicator: "same"), site: "torbay", runID: first)
            try store.record(measure(.value(20), indicator: "changed"), site: "torbay", runID: first)

            let run = try store.beginRun(site: "torbay", command: "c", periods: "2026-05")
            let cached = CachedFeedBody(feed: "bi", url: "http://127.0.0.1/x", etag: "\"v1\"", lastModified: nil, status: 200,
                                        contentHash: "sha256:00", body: Data("{}".utf8), fetchedAt: Date(timeIntervalSince1970: 1_780_000_000))
            let results = try store.record([
                .measure(measure(.value(1), indicator: "new")),
                .measure(measure(.value(10), indicator: "same")),
                .measure(measure(.value(21), indicator: "changed")),
                .outcome(indicator: "down", period: "2026-05", kind: .failed, reason: "HTTP 503 three times"),
                .cacheFeedBody(cached),
            ], site: "torbay", runID: run)

            #expect(results.count == 5)
            guard results.count == 5,
                  case .success(.inserted?) = results[0],
                  case .success(.unchanged?) = results[1],
                  case .success(.superseded?) = results[2],
                  case .success(nil) = results[3],
                  case .success(nil) = results[4] else {
                Issue.record("unexpected results: \(results)")
                return
            }
            #expect(try store.measureCount() == 4)
            #expect(try store.measureCount(currentOnly: true) == 3)
            let outcomes = try store.outcomes(runID: run).map { "\($0.indicator) \($0.kind.rawValue)" }
            #expect(outcomes.sorted() == ["changed collected", "down failed", "new collected", "same unchanged"])
            #expect(try store.cachedFeedBody(feed: "bi", url: "http://127.0.0.1/x")?.etag == "\"v1\"")
            #expect(try store.cachedFeedBodies([("bi", "http://127.0.0.1/none"), ("bi", "http://127.0.0.1/x")]).keys.sorted() == [1])
        }
    }

    @Test func failingEntryRollsBackAloneWhileTheRestOfTheBatchIsKept() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("s.sqlite").path
            let store = try MeasureStore(path: path)
            let first = try store.beginRun(site: "torbay", command: "c", periods: "2026-05")
            let old = try store.record(measure(.value(5), indicator: "broken"), site: "torbay", runID: first)

            // A trigger refuses the run outcome row of `broken`, after its measure row was
            // written and its old row un-flagged in the same savepoint: all of that must roll back.
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(sql: """
                    CREATE TRIGGER refuse_broken BEFORE INSERT ON run_outcome WHEN NEW.indicator = 'broken'
                    BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                    """)
            }
            try queue.close()

            let run = try store.beginRun(site: "torbay", command: "c", periods: "2026-05")
            let results = try store.record([
                .measure(measure(.value(1), indicator: "before")),
                .measure(measure(.value(6), indicator: "broken")),
                .measure(measure(.value(3), indicator: "after")),
            ], site: "torbay", runID: run)

            #expect(results.count == 3)
            if case .failure(let error) = results[1] {
                #expect(error.description.contains("refused by the test"))
                #expect(error.description.contains(path))
            } else {
                Issue.record("the refused entry did not fail: \(results)")
            }
            if case .success(.inserted?) = results[0], case .success(.inserted?) = results[2] {} else {
                Issue.record("the entries around the refused one were not kept: \(results)")
            }
            let broken = try #require(try store.currentMeasure(site: "torbay", indicator: "broken", period: .month(2026, 5)))
            #expect(broken.id == old.measureID)
            #expect(broken.measure.observation.value == 5)
            #expect(try store.currentMeasure(site: "torbay", indicator: "before", period: .month(2026, 5))?.measure.observation.value == 1)
            #expect(try store.currentMeasure(site: "torbay", indicator: "after", period: .month(2026, 5))?.measure.observation.value == 3)
            #expect(try store.outcomes(runID: run).map(\.indicator).sorted() == ["after", "before"])
            #expect(try store.integrityCheck() == ["ok"])
        }
    }

    @Test func batchForAnUnknownRunStoresNothingAndFailsEveryEntry() throws {
        try withTemporaryFolder { folder in
            let store = try MeasureStore(path: folder.appendingPathComponent("s.sqlite").path)
            let results = try store.record([
                .measure(measure(.value(1), indicator: "a")),
                .measure(measure(.value(2), indicator: "b")),
            ], site: "torbay", runID: 4242)
            #expect(results.count == 2)
            for result in results {
                guard case .failure(let error) = result else {
                    Issue.record("an entry for an unknown run was stored: \(result)")
                    continue
                }
                #expect(error.description.contains("FOREIGN KEY"))
            }
            #expect(try store.measureCount() == 0)
            #expect(try store.record([], site: "torbay", runID: 4242).isEmpty)
        }
    }
}
