// Each run records the folder its site was read from, so that a second folder declaring the
// same site id into one store is refused while the first still declares it: the two would
// otherwise replace each other's measures, each run's values read as revisions of the other's.
import Foundation
import GRDB
import PioneerTesting
import Testing
@testable import PioneerStore

@Suite struct SiteFolderTests {
    private func folders(_ path: String) throws -> [String?] {
        try DatabaseQueue(path: path).read { db in
            try String?.fetchAll(db, sql: "SELECT site_folder FROM collection_run ORDER BY id")
        }
    }

    @Test func aRunRecordsTheFolderItsSiteWasReadFrom() throws {
        try withTemporaryFolder { folder in
            let path = folder.appending(path: "s.sqlite").path
            let store = try MeasureStore(path: path)
            _ = try store.beginRun(site: "torbay", command: "c", periods: "2026-05", folder: "/sites/torbay")
            _ = try store.beginRun(site: "torbay", command: "c", periods: "2026-06")
            #expect(try folders(path) == ["/sites/torbay", nil])
        }
    }

    @Test func anotherFolderThatStillDeclaresTheSiteIdIsRefusedAndNothingIsRecorded() throws {
        try withTemporaryFolder { folder in
            let path = folder.appending(path: "s.sqlite").path
            let store = try MeasureStore(path: path)
            _ = try store.beginRun(site: "torbay", command: "c", periods: "2026-05", folder: "/sites/torbay")
            var asked: [String] = []
            #expect {
                _ = try store.beginRun(site: "torbay", command: "c", periods: "2026-05", folder: "/sites/copy",
                                       stillClaimed: { asked.append($0); return true })
            } throws: { error in
                guard let error = error as? StoreError else { return false }
                return error.kind == .siteClaimed && error.path == path
                    && error.message.contains("site id `torbay` is collected into this store from /sites/torbay, which still declares it")
                    && error.message.contains("/sites/copy declares it too")
                    && error.message.contains("its own site id or its own store")
            }
            #expect(asked == ["/sites/torbay"])
            #expect(try store.runs(site: "torbay").count == 1)
        }
    }

    @Test func theSameFolderAnotherSiteOrAFolderNoLongerDeclaringTheIdIsCollected() throws {
        try withTemporaryFolder { folder in
            let path = folder.appending(path: "s.sqlite").path
            let store = try MeasureStore(path: path)
            let never: (String) -> Bool = { other in Issue.record("asked about \(other)"); return true }
            _ = try store.beginRun(site: "torbay", command: "c", periods: "2026-05", folder: "/sites/torbay")
            // The same folder again, and another site id from another folder: nothing to ask.
            _ = try store.beginRun(site: "torbay", command: "c", periods: "2026-06", folder: "/sites/torbay", stillClaimed: never)
            _ = try store.beginRun(site: "barnsley", command: "c", periods: "2026-06", folder: "/sites/barnsley", stillClaimed: never)
            // The folder moved (or no longer declares the id): the new folder is recorded, and is
            // the one asked about from then on.
            _ = try store.beginRun(site: "torbay", command: "c", periods: "2026-07", folder: "/sites/moved", stillClaimed: { _ in false })
            var asked: [String] = []
            _ = try? store.beginRun(site: "torbay", command: "c", periods: "2026-07", folder: "/sites/third",
                                    stillClaimed: { asked.append($0); return true })
            #expect(asked == ["/sites/moved"])
            #expect(try folders(path) == ["/sites/torbay", "/sites/torbay", "/sites/barnsley", "/sites/moved"])
        }
    }

    @Test func runsRecordedBeforeFoldersWereRecordedAreNotAskedAbout() throws {
        try withTemporaryFolder { folder in
            let path = folder.appending(path: "s.sqlite").path
            let store = try MeasureStore(path: path)
            _ = try store.beginRun(site: "torbay", command: "c", periods: "2026-05")
            _ = try store.beginRun(site: "torbay", command: "c", periods: "2026-06", folder: "/sites/torbay",
                                   stillClaimed: { _ in Issue.record("asked"); return true })
            #expect(try folders(path) == [nil, "/sites/torbay"])
        }
    }
}
