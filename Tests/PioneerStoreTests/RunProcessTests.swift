// A run left `running` by a process that was killed is marked interrupted by the next run, even
// when a later process was given its id: a container's entrypoint is always process 1, so the
// id alone said the killed run was still alive, and it stayed `running` for good.
import Foundation
import GRDB
import PioneerKit
import PioneerTesting
import Testing
@testable import PioneerStore

@Suite struct RunProcessTests {
    @Test func aRunWhoseProcessIdWasGivenAgainIsMarkedInterrupted() throws {
        try withTemporaryFolder { folder in
            let path = folder.appending(path: "s.sqlite").path
            let store = try MeasureStore(path: path)
            let started = try #require(processStartTicks(getpid()))
            // Two runs recorded with this process's id: one by a process that started earlier
            // (killed; its id given again to this one), and one by this very process.
            let killed = try store.beginRun(site: "torbay", command: "collect", periods: "2026-05")
            let alive = try store.beginRun(site: "torbay", command: "collect", periods: "2026-06")
            try DatabaseQueue(path: path).write { db in
                try db.execute(sql: "UPDATE collection_run SET process_start = ? WHERE id = ?", arguments: [started - 100, killed])
            }
            _ = try store.beginRun(site: "torbay", command: "collect", periods: "2026-07")
            let runs = try store.runs(site: "torbay")
            #expect(runs.first { $0.id == killed }?.status == .interrupted)
            #expect(runs.first { $0.id == alive }?.status == .running)
            // A run recorded before the start time was (NULL): judged by its id alone, as before.
            #expect(leftByAProcessGone(pid: getpid(), ticks: nil) == false)
            #expect(leftByAProcessGone(pid: getpid(), ticks: started) == false)
            #expect(leftByAProcessGone(pid: getpid(), ticks: started + 1) == true)
        }
    }
}
