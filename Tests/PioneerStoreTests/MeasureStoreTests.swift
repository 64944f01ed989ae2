// MeasureStore: schema migrations, history on re-collection, transactions, errors and the feed cache.
import Foundation
import GRDB
import PioneerKit
import PioneerStore
import PioneerTesting
import Testing

func measure(_ observation: Observation, indicator: String = "admissions", period: Period = .month(2026, 5),
             hash: String = "sha256:abc") -> Measure {
    let source = FeedSource(feed: "bi", url: "http://127.0.0.1/api?month=\(period.label)",
                            fetchedAt: Date(timeIntervalSince1970: 1_780_000_000.25), contentHash: hash, status: 200)
    return Measure(indicatorID: indicator, period: period, observation: observation,
                   provenance: Provenance(plugin: "json", sources: [source], collectedAt: Date(timeIntervalSince1970: 1_780_000_001.5)))
}

@Suite struct MeasureStoreTests {
    @Test func freshFileIsCreatedWithItsFolderAndMigrated() throws {
        try withTemporaryFolder { folder in
            let path = MeasureStore.defaultPath(siteDirectory: folder.path)
            #expect(path.hasSuffix("/.pioneer/store.sqlite"))

            let store = try MeasureStore(path: path)
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(try store.schemaVersions() == ["v1", "feed-cache-body-files", "run-planned", "feed-cache-by-site", "run-process-start",
                                                   "run-site-folder"])
            #expect(try store.integrityCheck() == ["ok"])
            // Opening again is a no-op for the schema.
            let again = try MeasureStore(path: path)
            #expect(try again.schemaVersions() == ["v1", "feed-cache-body-files", "run-planned", "feed-cache-by-site", "run-process-start",
                                                   "run-site-folder"])
        }
    }

    @Test func firstObservationIsInsertedAndCurrent() throws {
        try withTemporaryFolder { folder in
            let store = try MeasureStore(path: folder.appendingPathComponent("s.sqlite").path)
            let run = try store.beginRun(site: "torbay", command: "pioneer collect", periods: "2026-05")
            let stored = measure(.value(0.25, numerator: 25, denominator: 100, sampleSize: 100,
                                        interval: ConfidenceInterval(lower: 0.17, upper: 0.34, method: "wilson")))
            let outcome = try store.record(stored, site: "torbay", runID: run)
            guard case .inserted(let id) = outcome else {
                Issue.record("expected an insert, got \(outcome)")
                return
            }
            let current = try #require(try store.currentMeasure(site: "torbay", indicator: "admissions", period: .month(2026, 5)))
            #expect(current.id == id)
            #expect(current.isCurrent)
            #expect(current.runID == run)
            #expect(current.measure == stored)
            #expect(try store.outcomes(runID: run).map(\.kind) == [.collected])
        }
    }

    @Test func differentObservationSupersedesAndKeepsHistory() throws {
        try withTemporaryFolder { folder in
            let store = try MeasureStore(path: folder.appendingPathComponent("s.sqlite").path)
            let first = try store.beginRun(site: "torbay", command: "c", periods: "2026-05")
            let old = try store.record(measure(.value(23.5)), site: "torbay", runID: first)
            let second = try store.beginRun(site: "torbay", command: "c", periods: "2026-05")
            let new = try store.record(measure(.value(24.1), hash: "sha256:def"), site: "torbay", runID: second)

            #expect(new == .superseded(measureID: new.measureID, previousID: old.measureID))
            let history = try store.history(site: "torbay", indicator: "admissions", period: .month(2026, 5))
            #expect(history.map(\.measure.observation.value) == [23.5, 24.1])
            #expect(history.map(\.isCurrent) == [false, true])
            #expect(history.map(\.runID) == [first, second])
            #expect(history[0].supersededBy == history[1].id)
            #expect(try store.measures(MeasureQuery(site: "torbay")).map(\.id) == [new.measureID])
            #expect(try store.measures(MeasureQuery(site: "torbay", includeHistory: true)).count == 2)
        }
    }

    @Test func equalObservationIsUnchangedAndOnlyConfirmed() throws {
        try withTemporaryFolder { folder in
            let store = try MeasureStore(path: folder.appendingPathComponent("s.sqlite").path)
            let first = try store.beginRun(site: "torbay", command: "c", periods: "2026-05")
            let inserted = try store.record(measure(.value(23.5, numerator: 47, denominator: 2000)), site: "torbay", runID: first)
            let second = try store.beginRun(site: "torbay", command: "c", periods: "2026-05")
            // A later fetch of the same data: same observation, new provenance times.
            let again = try store.record(measure(.value(23.5, numerator: 47, denominator: 2000), hash: "sha256:abc"), site: "torbay", runID: second)

            #expect(again == .unchanged(measureID: inserted.measureID))
            #expect(try store.measureCount() == 1)
            let current = try #require(try store.currentMeasure(site: "torbay", indicator: "admissions", period: .month(2026, 5)))
            #expect(current.runID == first)
            #expect(current.confirmedRunID == second)
            #expect(try store.outcomes(runID: second).map(\.kind) == [.unchanged])
        }
    }

    @Test func notAvailableIsStoredWithItsReason() throws {
        try withTemporaryFolder { folder in
            let store = try MeasureStore(path: folder.appendingPathComponent("s.sqlite").path)
            let run = try store.beginRun(site: "torbay", command: "c", periods: "2026Q1")
            let suppressed = measure(.notAvailable(.suppressed, "n = 7, below the minimum of 10", sampleSize: 7), indicator: "survey", period: .quarter(2026, 1))
            try store.record(suppressed, site: "torbay", runID: run)
            let stored = try #require(try store.currentMeasure(site: "torbay", indicator: "survey", period: .quarter(2026, 1)))
            #expect(stored.measure.observation == suppressed.observation)
            let outcome = try #require(try store.outcomes(runID: run).first)
            #expect(outcome.kind == .notAvailable)
            #expect(outcome.reason == "suppressed small number: n = 7, below the minimum of 10")
        }
    }

    @Test func aRunsOutcomesComeByIndicatorThenPeriodWhateverOrderTheyWereWrittenIn() throws {
        try withTemporaryFolder { folder in
            let store = try MeasureStore(path: folder.appendingPathComponent("s.sqlite").path)
            let run = try store.beginRun(site: "torbay", command: "c", periods: "2025-11…2026-04")
            // Written as the workers finished them, not in order.
            for month in [(2026, 4), (2025, 11), (2026, 2), (2025, 12), (2026, 1), (2026, 3)] {
                try store.record(measure(.value(10), period: .month(month.0, month.1)), site: "torbay", runID: run)
            }
            try store.record(measure(.value(3), indicator: "beds", period: .month(2026, 1)), site: "torbay", runID: run)
            let outcomes = try store.outcomes(runID: run).map { "\($0.indicator) \($0.period)" }
            #expect(outcomes == ["admissions 2025-11", "admissions 2025-12", "admissions 2026-01", "admissions 2026-02",
                                 "admissions 2026-03", "admissions 2026-04", "beds 2026-01"])
            #expect(try store.outcomes(site: "torbay").map { "\($0.indicator) \($0.period)" } == outcomes)
        }
    }

    @Test func aKilledRunIsCountedFromWhatItCommittedWhenTheNextMarksItInterrupted() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("s.sqlite").path
            let store = try MeasureStore(path: path)
            let killed = try store.beginRun(site: "torbay", command: "c", periods: "2026-01…2026-03")
            for month in 1...3 {
                try store.record(measure(.value(Double(month)), period: .month(2026, month)), site: "torbay", runID: killed)
            }
            try store.recordOutcome(runID: killed, indicator: "beds", period: "2026-01", kind: .failed, reason: "feed down")
            // Killed: no finishRun; its process is gone (no pid recorded reads as gone).
            try DatabaseQueue(path: path).write { db in try db.execute(sql: "UPDATE collection_run SET pid = NULL WHERE id = ?", arguments: [killed]) }
            _ = try store.beginRun(site: "torbay", command: "c", periods: "2026-04")
            let run = try #require(try store.runs(site: "torbay").first { $0.id == killed })
            #expect(run.status == .interrupted)
            #expect(run.counts == RunCounts(collected: 3, unchanged: 0, notAvailable: 0, failed: 1, skipped: 0), "\(run.counts)")
        }
    }

    @Test func aStoreWithADamagedPageIsRefusedBeforeAnythingIsWritten() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("s.sqlite").path
            do {
                let store = try MeasureStore(path: path)
                let run = try store.beginRun(site: "torbay", command: "c", periods: "2020-01…2026-12")
                for month in 0..<84 {
                    try store.record(measure(.value(Double(month)), period: Period.month(2020, 1).advanced(by: month)), site: "torbay", runID: run)
                }
            }
            // The last connection closed: the log is in the file. Page 4 overwritten, as a disk fault would.
            let handle = try #require(FileHandle(forUpdatingAtPath: path))
            try handle.seek(toOffset: 3 * 4096)
            try handle.write(contentsOf: Data(repeating: 0xFF, count: 4096))
            try handle.close()
            let error = #expect(throws: StoreError.self) { _ = try MeasureStore(path: path) }
            #expect(error?.kind == .corrupt, "\(String(describing: error))")
            #expect(error?.description.hasPrefix("measure store \(path): the database is corrupt (") == true, "\(String(describing: error))")
            #expect(error?.description.hasSuffix("); restore it from a backup or move it aside") == true)
        }
    }

    @Test func eachWriteIsOneTransactionSoAFailedWriteLeavesTheOldRowCurrent() throws {
        try withTemporaryFolder { folder in
            let store = try MeasureStore(path: folder.appendingPathComponent("s.sqlite").path)
            let run = try store.beginRun(site: "torbay", command: "c", periods: "2026-05")
            let first = try store.record(measure(.value(10)), site: "torbay", runID: run)
            // A run id that does not exist breaks the foreign key at the insert, after the
            // old row has been un-flagged inside the same transaction: all of it must roll back.
            #expect(throws: StoreError.self) {
                try store.record(measure(.value(11)), site: "torbay", runID: 9999)
            }
            let current = try #require(try store.currentMeasure(site: "torbay", indicator: "admissions", period: .month(2026, 5)))
            #expect(current.id == first.measureID)
            #expect(current.measure.observation.value == 10)
            #expect(try store.measureCount() == 1)
            #expect(try store.integrityCheck() == ["ok"])
        }
    }

    @Test func queriesFilterByIndicatorAndOverlappingDates() throws {
        try withTemporaryFolder { folder in
            let store = try MeasureStore(path: folder.appendingPathComponent("s.sqlite").path)
            let run = try store.beginRun(site: "torbay", command: "c", periods: "2026-01…2026-06")
            for month in 1...6 {
                try store.record(measure(.value(Double(month)), period: .month(2026, month)), site: "torbay", runID: run)
            }
            try store.record(measure(.value(0.5), indicator: "survey", period: .quarter(2026, 2)), site: "torbay", runID: run)
            try store.record(measure(.value(1), period: .month(2026, 1)), site: "other-site", runID: run)

            let range = try #require(CalendarDate(year: 2026, month: 3, day: 1))...(try #require(CalendarDate(year: 2026, month: 4, day: 30)))
            let admissions = try store.measures(MeasureQuery(site: "torbay", indicator: "admissions", overlapping: range))
            #expect(admissions.map(\.measure.period.label) == ["2026-03", "2026-04"])
            let all = try store.measures(MeasureQuery(site: "torbay", overlapping: range))
            #expect(all.map(\.measure.indicatorID) == ["admissions", "admissions", "survey"])
            #expect(try store.measures(MeasureQuery(site: "other-site")).count == 1)
        }
    }

    @Test func runsRecordCountsAndInterruptedRunsAreMarked() throws {
        try withTemporaryFolder { folder in
            let store = try MeasureStore(path: folder.appendingPathComponent("s.sqlite").path)
            let run = try store.beginRun(site: "torbay", command: "pioneer collect --period 2026-05", periods: "2026-05")
            try store.recordOutcome(runID: run, indicator: "admissions", period: "2026-05", kind: .failed,
                                    reason: "feed `bi` is down")
            try store.finishRun(run, counts: RunCounts(collected: 2, failed: 1))
            let finished = try #require(try store.run(id: run))
            #expect(finished.status == .finished)
            #expect(finished.counts == RunCounts(collected: 2, failed: 1))
            #expect(finished.finishedAt != nil)
            #expect(try store.outcomes(runID: run).first?.reason == "feed `bi` is down")

            // Our own process is alive, so a run of ours left open stays `running`.
            let open = try store.beginRun(site: "torbay", command: "c", periods: "2026-06")
            _ = try store.beginRun(site: "torbay", command: "c", periods: "2026-07")
            #expect(try store.run(id: open)?.status == .running)
            #expect(try store.runs(site: "torbay").count == 3)
        }
    }

    @Test func feedCacheRoundTrips() throws {
        try withTemporaryFolder { folder in
            let store = try MeasureStore(path: folder.appendingPathComponent("s.sqlite").path)
            let body = Data(#"{"total": 412}"#.utf8)
            let entry = CachedFeedBody(feed: "bi", url: "http://127.0.0.1:8080/api?month=2026-05", etag: "\"v1\"",
                                       lastModified: "Mon, 01 Jun 2026 09:00:00 GMT", status: 200,
                                       contentHash: ContentHash.of(body), body: body,
                                       fetchedAt: Date(timeIntervalSince1970: 1_780_000_000))
            #expect(try store.cachedFeedBody(feed: "bi", url: entry.url) == nil)
            try store.saveFeedBody(entry)
            #expect(try store.cachedFeedBody(feed: "bi", url: entry.url) == entry)
            #expect(try store.cachedFeedBody(feed: "council", url: entry.url) == nil)

            var newer = entry
            newer.etag = "\"v2\""
            try store.saveFeedBody(newer)
            #expect(try store.cachedFeedBody(feed: "bi", url: entry.url)?.etag == "\"v2\"")
            try store.removeFeedBody(feed: "bi", url: entry.url)
            #expect(try store.cachedFeedBody(feed: "bi", url: entry.url) == nil)
        }
    }

    @Test func fileThatIsNotSQLiteGivesAClearErrorNamingThePath() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("store.sqlite").path
            try Data(String(repeating: "this is a site report, not a database\n", count: 200).utf8).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: StoreError.self) { try MeasureStore(path: path) }
            #expect(error?.kind == .notADatabase)
            #expect(error?.description == "measure store \(path): the file is not a SQLite database; move it aside or pass another file with --store")
        }
    }

    @Test func folderThatIsAFileGivesAClearErrorNamingThePath() throws {
        try withTemporaryFolder { folder in
            let blocker = folder.appendingPathComponent("blocker")
            try Data("x".utf8).write(to: blocker)
            let path = blocker.appendingPathComponent("store.sqlite").path
            let error = #expect(throws: StoreError.self) { try MeasureStore(path: path) }
            #expect(error?.description == "measure store \(path): \(blocker.path) is a file, not a folder")
        }
    }

    @Test func folderThatCannotBeCreatedGivesAClearErrorNamingThePath() throws {
        try withTemporaryFolder { folder in
            let blocker = folder.appendingPathComponent("blocker")
            try Data("x".utf8).write(to: blocker)
            let path = blocker.appendingPathComponent("deeper").appendingPathComponent("store.sqlite").path
            let error = #expect(throws: StoreError.self) { try MeasureStore(path: path) }
            #expect(error?.kind == .cannotOpen)
            #expect(error?.description.hasPrefix("measure store \(path): cannot create the folder \(blocker.path)/deeper") == true)
        }
    }
}

@Suite struct StoreFilePermissionTests {
    private static func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func aNewStoreAndItsLogAreReadableByTheirOwnerOnly() throws {
        // A store given with --store in a shared folder holds cached extracts: not for every user.
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("shared-store.sqlite").path
            let store = try MeasureStore(path: path)
            let run = try store.beginRun(site: "torbay", command: "pioneer collect", periods: "2026-05")
            _ = try store.record(measure(.value(1)), site: "torbay", runID: run)
            #expect(try Self.mode(path) == 0o600)
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
            #expect(try Self.mode(path + "-wal") == 0o600)
            #expect(try Self.mode(path + "-shm") == 0o600)
        }
    }

    @Test func anExistingStoreKeepsThePermissionsItsOwnerGaveIt() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("store.sqlite").path
            _ = try MeasureStore(path: path)
            try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
            let store = try MeasureStore(path: path)
            _ = try store.beginRun(site: "torbay", command: "pioneer collect", periods: "2026-05")
            #expect(try Self.mode(path) == 0o640)
        }
    }
}
