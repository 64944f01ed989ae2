// Writing observations with history, and reading current and past measures.
internal import GRDB
public import PioneerKit
public import Foundation

extension MeasureStore {
    /// Records `measure` for `site` as collected by run `runID`, in one transaction.
    ///
    /// When the observation equals the current one for its indicator-period, no row
    /// is added: the current row is marked as confirmed by this run. Otherwise the
    /// new row becomes current and the previous one stays in the history with
    /// `superseded_by` pointing at the new row. The run's outcome row is written in
    /// the same transaction, so the two never disagree.
    @discardableResult
    public func record(_ measure: Measure, site: String, runID: Int64, at now: Date = Date()) throws(StoreError) -> RecordOutcome {
        let results = try record([.measure(measure)], site: site, runID: runID, at: now)
        switch results.first {
        case .success(let outcome?)?:
            return outcome
        case .failure(let error)?:
            throw error
        case .success(nil)?, nil:
            throw StoreError(.other, path: path, "the measure of \(measure.indicatorID) \(measure.period.label) was not written")
        }
    }

    /// Records a batch of indicator-periods for `site` and run `runID` in one transaction.
    ///
    /// Each entry is written inside its own savepoint, so it is all-or-nothing on its
    /// own: an entry that fails (say, a constraint) is rolled back and reported in its
    /// slot of the result while the others are kept. The batch is committed once, which
    /// is what makes a collection fast; a process killed before the commit loses the
    /// whole batch and nothing else, and the file stays consistent.
    ///
    /// - Returns: one result per entry, in order: the ``RecordOutcome`` of a measure,
    ///   `nil` for an outcome-only entry, or the error that rolled the entry back.
    /// - Throws: ``StoreError`` when the batch as a whole could not be written (the
    ///   transaction could not start or commit); then nothing of it was stored.
    public func record(_ writes: [StoreWrite], site: String, runID: Int64,
                       at now: Date = Date()) throws(StoreError) -> [Result<RecordOutcome?, StoreError>] {
        guard !writes.isEmpty else { return [] }
        let path = self.path
        let writes = placeBodyFiles(writes)
        return try write { db in
            try Self.write(writes, site: site, runID: runID, timestamp: now.databaseValue, path: path, db: db)
        }
    }

    /// ``record(_:site:runID:at:)`` without waiting: the batch is written on the store's
    /// writer queue, and `completion` runs there once it is committed (or has failed),
    /// so the caller can compute the next batch meanwhile. Batches are written in the
    /// order they are handed in.
    public func recordInBackground(_ writes: [StoreWrite], site: String, runID: Int64, at now: Date = Date(),
                                   completion: @escaping @Sendable (Result<[Result<RecordOutcome?, StoreError>], StoreError>) -> Void) {
        let path = self.path
        guard !writes.isEmpty else {
            completion(.success([]))
            return
        }
        let timestamp = now.databaseValue
        let writes = placeBodyFiles(writes)
        pool.asyncWrite({ db in
            try Self.write(writes, site: site, runID: runID, timestamp: timestamp, path: path, db: db)
        }, completion: { _, result in
            completion(result.mapError { StoreError.from($0, path: path) })
        })
    }

    /// Writes a batch inside the caller's transaction, each entry in its own savepoint.
    private static func write(_ writes: [StoreWrite], site: String, runID: Int64, timestamp: DatabaseValue,
                              path: String, db: Database) throws -> [Result<RecordOutcome?, StoreError>] {
        var results: [Result<RecordOutcome?, StoreError>] = []
        results.reserveCapacity(writes.count)
        // Plain SQL savepoints (GRDB's inSavepoint does bookkeeping for transaction
        // observers, which the store has none of) and statements prepared once per batch.
        let statements = try BatchStatements(db: db, timestamp: timestamp)
        for entry in writes {
            var outcome: RecordOutcome?
            do {
                try statements.beginEntry()
                do {
                    switch entry {
                    case .measure(let measure):
                        outcome = try statements.write(measure, site: site, runID: runID)
                    case .outcome(let indicator, let period, let kind, let reason):
                        try statements.writeOutcome(runID: runID, indicator: indicator, period: period, kind: kind,
                                                    reason: reason, measureID: nil)
                    case .cacheFeedBody(let entry):
                        try Self.saveFeedBody(entry, db: db)
                    case .forgetFeedBody(let feed, let url):
                        try Self.removeFeedBody(feed: feed, url: url, db: db)
                    }
                } catch {
                    try statements.rollbackEntry()
                    throw error
                }
                try statements.commitEntry()
                results.append(.success(outcome))
            } catch {
                // Some failures (disk full, I/O) make SQLite roll back the whole
                // transaction: then nothing of the batch is stored, and it fails as one.
                guard db.isInsideTransaction else { throw error }
                results.append(.failure(StoreError.from(error, path: path)))
            }
        }
        return results
    }

    /// The current measure of one indicator-period, or nil.
    public func currentMeasure(site: String, indicator: String, period: Period) throws(StoreError) -> StoredMeasure? {
        try read { db in
            try Self.fetchMeasures(db, sql: """
                SELECT * FROM measure
                WHERE site = ? AND indicator = ? AND period_type = ? AND period_index = ? AND is_current
                """, arguments: [site, indicator, period.type.rawValue, period.index]).first
        }
    }

    /// Every observation recorded for one indicator-period, oldest first; the last is current.
    public func history(site: String, indicator: String, period: Period) throws(StoreError) -> [StoredMeasure] {
        try read { db in
            try Self.fetchMeasures(db, sql: """
                SELECT * FROM measure
                WHERE site = ? AND indicator = ? AND period_type = ? AND period_index = ?
                ORDER BY id
                """, arguments: [site, indicator, period.type.rawValue, period.index])
        }
    }

    /// Measures matching `query`, by indicator, then period, then the order they were recorded.
    public func measures(_ query: MeasureQuery) throws(StoreError) -> [StoredMeasure] {
        var conditions = ["site = ?"]
        var arguments: StatementArguments = [query.site]
        if let indicator = query.indicator {
            conditions.append("indicator = ?")
            _ = arguments.append(contentsOf: [indicator])
        }
        if let range = query.overlapping {
            // Dates are stored as YYYY-MM-DD, so text order is date order.
            conditions.append("period_end >= ? AND period_start <= ?")
            _ = arguments.append(contentsOf: [range.lowerBound.description, range.upperBound.description])
        }
        if !query.includeHistory {
            conditions.append("is_current")
        }
        let sql = "SELECT * FROM measure WHERE \(conditions.joined(separator: " AND ")) "
            + "ORDER BY indicator, period_start, period_type, id"
        return try read { db in
            try Self.fetchMeasures(db, sql: sql, arguments: arguments)
        }
    }

    /// Number of measure rows, current and superseded, for all sites.
    public func measureCount(currentOnly: Bool = false) throws(StoreError) -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM measure" + (currentOnly ? " WHERE is_current" : "")) ?? 0
        }
    }

    // MARK: Rows

    static func insertOutcome(runID: Int64, indicator: String, period: String, kind: RunOutcomeKind,
                              reason: String?, measureID: Int64?, db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO run_outcome (run_id, indicator, period_label, outcome, reason, measure_id)
            VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [runID, indicator, period, kind.rawValue, reason, measureID])
    }

    /// The measures a `SELECT * FROM measure` query returns, in its order.
    static func fetchMeasures(_ db: Database, sql: String, arguments: StatementArguments) throws -> [StoredMeasure] {
        let statement = try db.makeStatement(sql: sql)
        let columns = try MeasureColumns(statement.columnNames)
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        var measures: [StoredMeasure] = []
        while let row = try rows.next() {
            measures.append(try storedMeasure(row, columns))
        }
        return measures
    }

    static func observation(from row: Row, _ columns: MeasureColumns) throws -> Observation {
        var interval: ConfidenceInterval?
        if let lower = row[columns.intervalLower] as Double?, let upper = row[columns.intervalUpper] as Double? {
            interval = ConfidenceInterval(lower: lower, upper: upper, level: row[columns.intervalLevel] ?? 0.95,
                                          method: row[columns.intervalMethod] ?? "")
        }
        var notAvailable: NotAvailable?
        if let reasonText = row[columns.naReason] as String? {
            guard let reason = NotAvailableReason(rawValue: reasonText) else {
                throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "unknown not-available reason `\(reasonText)` in measure \(row[columns.id] as Int64? ?? 0)")
            }
            notAvailable = NotAvailable(reason, row[columns.naDetail] ?? "")
        }
        return Observation(value: row[columns.value], numerator: row[columns.numerator], denominator: row[columns.denominator],
                           sampleSize: row[columns.sampleSize], interval: interval, notAvailable: notAvailable)
    }

    static func storedMeasure(_ row: Row, _ columns: MeasureColumns) throws -> StoredMeasure {
        let id: Int64 = row[columns.id]
        guard let type = PeriodType(rawValue: row[columns.periodType] ?? "") else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "unknown period type in measure \(id)")
        }
        let provenanceText: String = row[columns.provenance] ?? ""
        let provenance: Provenance
        do {
            provenance = try ProvenanceCoding.decode(provenanceText)
        } catch {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "unreadable provenance in measure \(id)")
        }
        let measure = Measure(indicatorID: row[columns.indicator], period: Period(type: type, index: row[columns.periodIndex]),
                              observation: try observation(from: row, columns), provenance: provenance)
        return StoredMeasure(id: id, site: row[columns.site], measure: measure, runID: row[columns.runID],
                             confirmedRunID: row[columns.confirmedRunID], confirmedAt: row[columns.confirmedAt],
                             recordedAt: row[columns.recordedAt], isCurrent: row[columns.isCurrent],
                             supersededBy: row[columns.supersededBy])
    }

}

/// Where each column a measure is read from lies in a `SELECT * FROM measure` row, found once a
/// query: GRDB finds a column by name in every row it copies by lowercasing the name, which was
/// a fifth of reading a site's history.
struct MeasureColumns {
    let id, site, indicator, periodType, periodIndex: Int
    let value, numerator, denominator, sampleSize: Int
    let intervalLower, intervalUpper, intervalLevel, intervalMethod, naReason, naDetail: Int
    let provenance, runID, confirmedRunID, confirmedAt, recordedAt, isCurrent, supersededBy: Int

    init(_ names: [String]) throws {
        func find(_ name: String) throws -> Int {
            guard let index = names.firstIndex(of: name) else {
                throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "the measure table has no column `\(name)`")
            }
            return index
        }
        id = try find("id")
        site = try find("site")
        indicator = try find("indicator")
        periodType = try find("period_type")
        periodIndex = try find("period_index")
        value = try find("value")
        numerator = try find("numerator")
        denominator = try find("denominator")
        sampleSize = try find("sample_size")
        intervalLower = try find("interval_lower")
        intervalUpper = try find("interval_upper")
        intervalLevel = try find("interval_level")
        intervalMethod = try find("interval_method")
        naReason = try find("na_reason")
        naDetail = try find("na_detail")
        provenance = try find("provenance")
        runID = try find("run_id")
        confirmedRunID = try find("confirmed_run_id")
        confirmedAt = try find("confirmed_at")
        recordedAt = try find("recorded_at")
        isCurrent = try find("is_current")
        supersededBy = try find("superseded_by")
    }
}
