// A submission answered "the database did not answer in time" (a 503: nothing stored, send it
// again) must never be stored afterwards: another session holds a lock the submission's
// transaction waits on past the store's limit, and once the lock is released nothing of the
// submission may have been committed.
import Foundation
@testable import PioneerIntake
import PioneerTesting
import Testing

@Suite("Intake store on PostgreSQL: timeouts store nothing")
struct PostgresTimeoutTests {
    @Test func aSubmissionWaitingOnATableLockPastTheLimitFailsAndIsNeverStored() async throws {
        let cluster = try await PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = String(url.split(separator: "/").last ?? "")
        let store = try await IntakeStore.open(url, databaseTimeout: .seconds(120))
        await store.close()
        // A maintenance transaction holding the table until the test lets go, in a psql session
        // of its own: with the lock on a timer, a loaded machine could start the submission
        // only after the lock had gone.
        let holder = try cluster.session(database: database)
        defer { try? holder.end() }
        try holder.send("BEGIN; LOCK TABLE submission IN SHARE ROW EXCLUSIVE MODE;")
        try await Self.waitForLock("locktype = 'relation' AND mode = 'ShareRowExclusiveLock'", cluster, database)

        let shortStore = try await Self.openWithAShortLimit(url)
        let service = IntakeService(store: shortStore, programme: IntakeFixture.programme, clock: { IntakeFixture.at("2026-04-10") })
        let error = await #expect(throws: IntakeStoreError.self) {
            try await service.submit(try IntakeFixture.bytes("a"), format: .json, caller: IntakeFixture.office)
        }
        #expect(error?.kind == .busy)
        #expect(error?.message.contains("nothing was written") == true, "\(error?.description ?? "")")

        // Reads pass the lock; then it goes, and whatever the refused submission left running
        // would commit now: nothing does.
        #expect(try cluster.psql("SELECT COUNT(*) FROM submission", database: database) == "0\n")
        try holder.send("COMMIT;")
        try holder.end()
        try await Task.sleep(for: .milliseconds(500))
        #expect(try cluster.psql("SELECT COUNT(*) FROM submission", database: database) == "0\n")
        #expect(try cluster.psql("SELECT COUNT(*) FROM return_fact", database: database) == "0\n")

        await shortStore.close()
        // Sent again once the lock is gone, it is version 1, not a duplicate of a ghost (through a
        // store with time to spare: on a loaded machine one submission can take more than 1 s).
        let store2 = try await IntakeStore.open(url, databaseTimeout: .seconds(120))
        let again = IntakeService(store: store2, programme: IntakeFixture.programme, clock: { IntakeFixture.at("2026-04-10") })
        let outcome = try await again.submit(try IntakeFixture.bytes("a"), format: .json, caller: IntakeFixture.office)
        #expect(outcome.kind == .created && outcome.summary.version == 1)
        await store2.close()
    }

    /// The store with a limit of 1 s. Opening checks the schema under the same limit, and under
    /// the whole suite that once took longer than it allows: the property tested is the
    /// submission's, so the opening is tried again, three times in all.
    private static func openWithAShortLimit(_ url: String) async throws -> IntakeStore {
        for _ in 1...2 {
            if let store = try? await IntakeStore.open(url, databaseTimeout: .seconds(1)) { return store }
        }
        return try await IntakeStore.open(url, databaseTimeout: .seconds(1))
    }

    /// Each wait is under PostgreSQL's own lock_timeout, but the two together pass the store's
    /// limit: the statements go through after the 503, and the transaction must roll back.
    @Test func aTransactionThatGetsItsLocksOnlyAfterTheLimitRollsBack() async throws {
        let cluster = try await PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = String(url.split(separator: "/").last ?? "")
        await (try await IntakeStore.open(url, databaseTimeout: .seconds(120))).close()
        // Another server frozen mid-transaction on the same site and period, and a maintenance
        // lock on the table, each held until the test lets go: the store allows 6 s (5.4 s a
        // statement); the site's lock goes 4 s after the submission starts and the table's
        // 4.5 s after that, so each wait is under 5.4 s and together they pass 6 s. (With
        // locks on timers, a loaded machine once started the submission after both had gone.)
        let shortStore = try await IntakeStore.open(url, databaseTimeout: .seconds(6))
        let service = IntakeService(store: shortStore, programme: IntakeFixture.programme, clock: { IntakeFixture.at("2026-04-10") })
        let siteLock = try cluster.session(database: database)
        try siteLock.send("BEGIN; SELECT pg_advisory_xact_lock(hashtext(E'a\\n2026-03'));")
        defer { try? siteLock.end() }
        let tableLock = try cluster.session(database: database)
        defer { try? tableLock.end() }
        try tableLock.send("BEGIN; LOCK TABLE submission IN SHARE ROW EXCLUSIVE MODE;")
        try await Self.waitForLock("locktype = 'advisory'", cluster, database)
        try await Self.waitForLock("locktype = 'relation' AND mode = 'ShareRowExclusiveLock'", cluster, database)

        let submission = Task {
            try await service.submit(try IntakeFixture.bytes("a"), format: .json, caller: IntakeFixture.office)
        }
        // Each lock goes only once the submission is seen waiting for it, however late a loaded
        // machine starts it.
        try await Self.waitForLock("locktype = 'advisory'", cluster, database, granted: false)
        try await Task.sleep(for: .seconds(4))
        try siteLock.send("COMMIT;")
        try await Self.waitForLock("locktype = 'relation' AND mode = 'RowExclusiveLock'", cluster, database, granted: false)
        try await Task.sleep(for: .milliseconds(4500))
        try tableLock.send("COMMIT;")
        let error = await #expect(throws: IntakeStoreError.self) { try await submission.value }
        #expect(error?.kind == .busy)
        try siteLock.end()
        try tableLock.end()

        try await Task.sleep(for: .seconds(1))
        #expect(try cluster.psql("SELECT COUNT(*) FROM submission", database: database) == "0\n")
        await shortStore.close()
    }

    /// Waits (at most 60 s) until a lock matching `condition` is granted in `database`, or with
    /// `granted` false, until a session is waiting for one.
    static func waitForLock(_ condition: String, _ cluster: PostgresCluster, _ database: String,
                            granted: Bool = true) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let held = try cluster.psql("""
                SELECT COUNT(*) FROM pg_locks WHERE \(condition) AND \(granted ? "" : "NOT ")granted
                AND database = (SELECT oid FROM pg_database WHERE datname = '\(database)')
                """)
            if held != "0\n" { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError("no lock with \(condition) was \(granted ? "taken" : "waited for") in 60 s")
    }
}
