// Opening a store for reading: no wait behind a writer's transaction, no migration, and
// clear messages for a file that is missing, empty of a store, or of another schema.
import Foundation
import GRDB
import PioneerKit
import PioneerTesting
import Testing
@testable import PioneerStore

@Suite struct ReadOnlyStoreTests {
    /// The path of a new store in `folder` holding one measure for May 2026.
    private func storeWithOneMeasure(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("store.sqlite").path
        let store = try MeasureStore(path: path)
        let run = try store.beginRun(site: "torbay", command: "pioneer collect", periods: "2026-05")
        _ = try store.record(measure(.value(42)), site: "torbay", runID: run)
        return path
    }

    @Test func aReaderReadsAtOnceWhileAnotherConnectionHoldsAWriteTransaction() throws {
        try withTemporaryFolder { folder in
            let path = try storeWithOneMeasure(in: folder)

            // The writer: its own connection on its own thread (not a task: it blocks), inside
            // an immediate transaction that has written a run row and not committed, until
            // the reader has finished.
            let holding = DispatchSemaphore(value: 0)
            let release = DispatchSemaphore(value: 0)
            let done = DispatchSemaphore(value: 0)
            let writer = try DatabaseQueue(path: path)
            let writerError = FailureBox()
            Thread {
                do {
                    try writer.inTransaction(.immediate) { db in
                        try db.execute(sql: """
                            INSERT INTO collection_run (site, started_at, status, command, periods)
                            VALUES ('torbay', '2026-06-01 00:00:00', 'running', 'pioneer collect', '2026-06')
                            """)
                        holding.signal()
                        release.wait()
                        return .commit
                    }
                } catch {
                    writerError.set("\(error)")
                    holding.signal()
                }
                done.signal()
            }.start()
            holding.wait()
            var released = false
            defer { if !released { release.signal(); done.wait() } }

            // The lock is real: a second writer that will not wait is refused.
            var quick = Configuration()
            quick.busyMode = .immediateError
            let second = try DatabaseQueue(path: path, configuration: quick)
            #expect(throws: DatabaseError.self) { try second.inTransaction(.immediate) { _ in .commit } }

            let clock = ContinuousClock()
            let started = clock.now
            let reader = try MeasureStore(readingAt: path)
            let rows = try reader.measures(MeasureQuery(site: "torbay"))
            let runs = try reader.runs(site: "torbay")
            let elapsed = started.duration(to: clock.now)
            #expect(elapsed < .seconds(1), "the reader waited \(elapsed)")
            #expect(rows.map(\.measure.observation.value) == [42])
            // The writer's uncommitted run is not seen; the committed one is.
            #expect(runs.count == 1)

            released = true
            release.signal()
            done.wait()
            #expect(writerError.value == nil)
            #expect(try MeasureStore(readingAt: path).runs(site: "torbay").count == 2)
        }
    }

    @Test func aReaderNeverChangesTheFile() throws {
        try withTemporaryFolder { folder in
            let path = try storeWithOneMeasure(in: folder)
            let reader = try MeasureStore(readingAt: path)
            #expect(throws: StoreError.self) {
                _ = try reader.beginRun(site: "torbay", command: "pioneer collect", periods: "2026-06")
            }
            #expect(try reader.runs(site: "torbay").count == 1)
        }
    }

    @Test func aMissingFileIsNotCreatedAndSaysNothingWasCollected() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("absent.sqlite").path
            let error = #expect(throws: StoreError.self) { try MeasureStore(readingAt: path) }
            #expect(error?.kind == .notFound)
            #expect(error?.description
                == "measure store \(path): the file does not exist, so nothing has been collected into it yet; run `pioneer collect` first")
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func aSQLiteFileWithoutTheStoreSchemaSaysSo() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("other.sqlite").path
            try DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT)") }
            let error = #expect(throws: StoreError.self) { try MeasureStore(readingAt: path) }
            #expect(error?.kind == .notAStore)
            #expect(error?.description == "measure store \(path): the file is a SQLite database but holds no pioneer measure store (no schema); was it written by `pioneer collect`?")
        }
    }

    @Test func aStoreFromANewerPioneerIsRefused() throws {
        try withTemporaryFolder { folder in
            let path = try storeWithOneMeasure(in: folder)
            try DatabaseQueue(path: path).write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99')") }
            let error = #expect(throws: StoreError.self) { try MeasureStore(readingAt: path) }
            #expect(error?.kind == .newerVersion)
            #expect(error?.description == "measure store \(path): the store was written by a newer version of pioneer; upgrade pioneer to read it")
        }
    }

    @Test func anIntakeDatabaseGivenForAStoreIsNamedAsOne() throws {
        let problem = MeasureStore.schemaProblem(applied: ["intake-v1", "intake-v2-return-rows"], known: ["v1", "v2"], path: "i.sqlite")
        #expect(problem?.kind == .notAStore)
        #expect(problem?.description == "measure store i.sqlite: the file is the national intake service's database (`pioneer serve --db`), not a measure store; give the site's store, written by `pioneer collect`")
    }

    @Test func anOlderSchemaNeedsAWriterFirst() {
        let problem = MeasureStore.schemaProblem(applied: ["v1"], known: ["v1", "v2"], path: "s.sqlite")
        #expect(problem?.kind == .olderVersion)
        #expect(problem?.description == "measure store s.sqlite: the store was made by an older pioneer and has not been brought up to date; run `pioneer collect` once to do it, then read it")
        #expect(MeasureStore.schemaProblem(applied: ["v1", "v2"], known: ["v1", "v2"], path: "s.sqlite") == nil)
    }

    @Test func aStoreNotYetGivenTheRunPlanColumnStillReads() throws {
        try withTemporaryFolder { folder in
            let path = try storeWithOneMeasure(in: folder)
            // As a store written before runs recorded their plan's size (after an upgrade, before
            // the next collect brings it up to date): readers need not wait for that collect.
            try DatabaseQueue(path: path).write { db in
                try db.execute(sql: "ALTER TABLE collection_run DROP COLUMN planned")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'run-planned'")
            }
            let store = try MeasureStore(readingAt: path)
            #expect(try store.measureCount() == 1)
            let run = try #require(try store.runs(site: "torbay").first)
            #expect(run.planned == nil && run.notReached == nil)
            // The next writer adds it.
            #expect(try MeasureStore(path: path).schemaVersions().contains("run-planned"))
        }
    }

    @Test func anEmptyPathIsRefusedByReaderAndWriter() {
        for open in [{ try MeasureStore(readingAt: "") }, { try MeasureStore(path: "") }] as [() throws -> MeasureStore] {
            let error = #expect(throws: StoreError.self) { _ = try open() }
            #expect(error?.description == "measure store: no file given; --store needs a path")
        }
    }

    @Test func aFolderGivenAsTheStoreIsNamed() throws {
        try withTemporaryFolder { folder in
            let error = #expect(throws: StoreError.self) { try MeasureStore(readingAt: folder.path) }
            #expect(error?.description == "measure store \(folder.path): is a folder; give the store file (usually <site dir>/.pioneer/store.sqlite)")
        }
    }
}

/// The writer thread's failure, if it had one, for the test thread to check.
private final class FailureBox: @unchecked Sendable {
    // @unchecked: `message` is only touched under `lock`.
    private let lock = NSLock()
    private var message: String?

    func set(_ text: String) { lock.withLock { message = text } }
    var value: String? { lock.withLock { message } }
}

@Suite struct ConcurrentOpeningTests {
    /// Two collections started at the same moment on a new store (cron, or two terminals)
    /// both find it unmigrated; the one that loses the race must open it, not fail.
    @Test func twoProcessesCreatingTheSameStoreAtOnceBothOpenIt() throws {
        try withTemporaryFolder { scratch in
            // A folder not there yet: the first attempt's two openers also race to create it.
            let folder = scratch.appendingPathComponent("open-race")
            for attempt in 0..<20 {
                let path = folder.appendingPathComponent("store-\(attempt).sqlite").path
                let failures = FailureBox()
                let group = DispatchGroup()
                for _ in 0..<2 {
                    group.enter()
                    Thread {
                        defer { group.leave() }
                        do {
                            let store = try MeasureStore(path: path)
                            _ = try store.measureCount()
                        } catch {
                            failures.set("\(error)")
                        }
                    }.start()
                }
                group.wait()
                #expect(failures.value == nil, "attempt \(attempt): \(failures.value ?? "")")
            }
        }
    }
}
