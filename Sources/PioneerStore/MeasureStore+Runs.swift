// Collection runs: opened when a collection starts, closed with its counts when it ends.
internal import GRDB
public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MeasureStore {
    /// Starts a run for `site` and returns its id.
    ///
    /// Runs of this store still marked `running` whose process no longer exists
    /// on this machine are marked `interrupted` first: they were killed or crashed.
    ///
    /// - Parameters:
    ///   - folder: the folder the site was read from (its real path), recorded with the run.
    ///   - stillClaimed: asked, when the site's latest run with a folder came from another
    ///     folder, whether that folder still declares the site id; if it does, no run is
    ///     started and ``StoreError/Kind/siteClaimed`` is thrown, since this run would replace
    ///     the other folder's measures. Asked inside the store's write lock, so two commands
    ///     starting at once from two such folders cannot both pass.
    public func beginRun(site: String, command: String, periods: String, at now: Date = Date(),
                         folder: String? = nil,
                         stillClaimed: ((_ otherFolder: String) -> Bool)? = nil) throws(StoreError) -> Int64 {
        let path = path
        return try write { db in
            if let folder, let stillClaimed,
               let other = try String.fetchOne(db, sql: """
                   SELECT site_folder FROM collection_run WHERE site = ? AND site_folder IS NOT NULL
                   ORDER BY id DESC LIMIT 1
                   """, arguments: [site]),
               other != folder, stillClaimed(other) {
                throw StoreError(.siteClaimed, path: path, """
                    site id `\(site)` is collected into this store from \(other), which still declares it; \
                    \(folder) declares it too, and collecting it would replace that folder's measures. Not collected: \
                    give each folder its own site id or its own store
                    """)
            }
            let stale = try Row.fetchAll(db, sql: "SELECT id, pid, process_start FROM collection_run WHERE status = 'running'")
            for row in stale {
                let pid: Int32? = row["pid"]
                let started: Int64? = row["process_start"]
                if pid.map({ leftByAProcessGone(pid: $0, ticks: started) }) ?? true {
                    // Its counts from the outcomes it committed before it was killed (they read 0).
                    let id: Int64 = row["id"]
                    try db.execute(sql: """
                        UPDATE collection_run SET status = 'interrupted',
                            collected = (SELECT COUNT(*) FROM run_outcome WHERE run_id = :id AND outcome = 'collected'),
                            unchanged = (SELECT COUNT(*) FROM run_outcome WHERE run_id = :id AND outcome = 'unchanged'),
                            not_available = (SELECT COUNT(*) FROM run_outcome WHERE run_id = :id AND outcome = 'not-available'),
                            failed = (SELECT COUNT(*) FROM run_outcome WHERE run_id = :id AND outcome = 'failed'),
                            skipped = (SELECT COUNT(*) FROM run_outcome WHERE run_id = :id AND outcome = 'skipped')
                        WHERE id = :id
                        """, arguments: ["id": id])
                }
            }
            try db.execute(sql: """
                INSERT INTO collection_run (site, started_at, status, command, periods, pid, process_start, site_folder)
                VALUES (?, ?, 'running', ?, ?, ?, ?, ?)
                """, arguments: [site, now, command, periods, Int64(getpid()), processStartTicks(getpid()), folder])
            return db.lastInsertedRowID
        }
    }

    /// Records how many indicator-periods run `id` sets out to record, once it has planned them.
    public func recordPlanned(_ id: Int64, total: Int) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE collection_run SET planned = ? WHERE id = ?", arguments: [total, id])
        }
    }

    /// Records the outcome of an indicator-period that stored no measure (failed, skipped).
    public func recordOutcome(runID: Int64, indicator: String, period: String, kind: RunOutcomeKind, reason: String?) throws(StoreError) {
        try write { db in
            try Self.insertOutcome(runID: runID, indicator: indicator, period: period, kind: kind,
                                   reason: reason, measureID: nil, db: db)
        }
    }

    /// Closes a run with its counts: finished, or interrupted when it was stopped before
    /// it had done everything (Ctrl-C).
    public func finishRun(_ id: Int64, counts: RunCounts, interrupted: Bool = false, at now: Date = Date()) throws(StoreError) {
        let status: CollectionRun.Status = interrupted ? .interrupted : .finished
        try write { db in
            try db.execute(sql: """
                UPDATE collection_run
                SET status = ?, finished_at = ?, collected = ?, unchanged = ?, not_available = ?, failed = ?, skipped = ?
                WHERE id = ?
                """, arguments: [status.rawValue, now, counts.collected, counts.unchanged, counts.notAvailable,
                                 counts.failed, counts.skipped, id])
        }
    }

    /// Runs, newest first; of one site when `site` is given.
    public func runs(site: String? = nil, limit: Int = 100) throws(StoreError) -> [CollectionRun] {
        try read { db in
            let filter = site == nil ? "" : "WHERE site = ?"
            let arguments: StatementArguments = site.map { [$0] } ?? []
            return try Row.fetchAll(db, sql: "SELECT * FROM collection_run \(filter) ORDER BY id DESC LIMIT \(max(0, limit))",
                                    arguments: arguments).map(Self.run)
        }
    }

    /// One run, or nil.
    public func run(id: Int64) throws(StoreError) -> CollectionRun? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM collection_run WHERE id = ?", arguments: [id]).map(Self.run)
        }
    }

    /// The outcomes a run recorded, by indicator then period.
    public func outcomes(runID: Int64) throws(StoreError) -> [RunOutcome] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run_outcome WHERE run_id = ? ORDER BY indicator, period_label", arguments: [runID])
                .map(Self.outcome)
        }
    }

    /// Every outcome the runs of `site` recorded, oldest run first; of one indicator when given.
    /// These are the attempts behind each indicator-period's history, failures included.
    public func outcomes(site: String, indicator: String? = nil) throws(StoreError) -> [RunOutcome] {
        try read { db in
            var sql = """
                SELECT o.* FROM run_outcome o JOIN collection_run r ON r.id = o.run_id WHERE r.site = ?
                """
            var arguments: StatementArguments = [site]
            if let indicator {
                sql += " AND o.indicator = ?"
                _ = arguments.append(contentsOf: [indicator])
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY o.run_id, o.indicator, o.period_label", arguments: arguments)
                .map(Self.outcome)
        }
    }

    private static func outcome(_ row: Row) -> RunOutcome {
        RunOutcome(runID: row["run_id"], indicator: row["indicator"], period: row["period_label"],
                   kind: RunOutcomeKind(rawValue: row["outcome"] ?? "") ?? .failed,
                   reason: row["reason"], measureID: row["measure_id"])
    }

    private static func run(_ row: Row) -> CollectionRun {
        CollectionRun(
            id: row["id"], site: row["site"], startedAt: row["started_at"], finishedAt: row["finished_at"],
            status: CollectionRun.Status(rawValue: row["status"] ?? "") ?? .interrupted,
            command: row["command"], periods: row["periods"],
            counts: RunCounts(collected: row["collected"], unchanged: row["unchanged"], notAvailable: row["not_available"],
                              failed: row["failed"], skipped: row["skipped"]),
            planned: row["planned"])
    }

    /// Throws when the store holds other sites' runs and none of `site`'s: another site's store
    /// given by mistake, which would otherwise read as "nothing collected" for every goal.
    public func checkHolds(site: String) throws(StoreError) {
        let sites = try read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT site FROM collection_run ORDER BY site LIMIT 6")
        }
        guard !sites.isEmpty, !sites.contains(site) else { return }
        let held = sites.count == 1 ? "site `\(sites[0])`" : "sites " + sites.prefix(5).map { "`\($0)`" }.joined(separator: ", ") + (sites.count > 5 ? ", …" : "")
        throw StoreError(.notAStore, path: path, "the store holds the measures of \(held), not of `\(site)`; give \(site)'s own store")
    }

}
