// The statements a batch of measures runs, driven through SQLite's C API on GRDB's own
// prepared statements (GRDB documents `sqliteStatement` for this). A collection writes
// every measure this way, and GRDB's per-statement conveniences (argument existentials,
// validation, observation hooks) cost more than SQLite's work: about 27 µs a measure
// before, in scripts/bench-collect.sh.
internal import GRDB
internal import GRDBSQLite
import PioneerKit

/// The prepared statements of one batch, valid for the transaction that made them.
struct BatchStatements {
    private let db: Database
    private let savepoint: SQLiteStatement
    private let release: SQLiteStatement
    private let rollback: SQLiteStatement
    private let selectCurrent: SQLiteStatement
    private let confirm: SQLiteStatement
    private let unflag: SQLiteStatement
    private let supersede: SQLiteStatement
    private let insertMeasure: SQLiteStatement
    private let insertOutcome: SQLiteStatement
    /// The batch's timestamp as GRDB writes dates (`YYYY-MM-DD HH:MM:SS.SSS`, UTC).
    private let timestamp: String

    init(db: Database, timestamp: DatabaseValue) throws {
        self.db = db
        func prepare(_ sql: String) throws -> SQLiteStatement {
            try db.cachedStatement(sql: sql).sqliteStatement
        }
        savepoint = try prepare("SAVEPOINT pioneer_entry")
        release = try prepare("RELEASE SAVEPOINT pioneer_entry")
        rollback = try prepare("ROLLBACK TO SAVEPOINT pioneer_entry")
        // Only what comparing observations needs: the provenance text is the bulk of a row.
        selectCurrent = try prepare("""
            SELECT id, value, numerator, denominator, sample_size, interval_lower, interval_upper,
                   interval_level, interval_method, na_reason, na_detail
            FROM measure
            WHERE site = ? AND indicator = ? AND period_type = ? AND period_index = ? AND is_current
            """)
        confirm = try prepare("UPDATE measure SET confirmed_run_id = ?, confirmed_at = ? WHERE id = ?")
        unflag = try prepare("UPDATE measure SET is_current = 0 WHERE id = ?")
        supersede = try prepare("UPDATE measure SET superseded_by = ? WHERE id = ?")
        insertMeasure = try prepare("""
            INSERT INTO measure (
                site, indicator, period_type, period_index, period_label, period_start, period_end,
                value, numerator, denominator, sample_size,
                interval_lower, interval_upper, interval_level, interval_method,
                na_reason, na_detail, plugin, provenance,
                run_id, confirmed_run_id, confirmed_at, is_current, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
            """)
        insertOutcome = try prepare("""
            INSERT OR REPLACE INTO run_outcome (run_id, indicator, period_label, outcome, reason, measure_id)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        guard let text = String.fromDatabaseValue(timestamp) else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the batch timestamp is not text")
        }
        self.timestamp = text
    }

    // MARK: Savepoints

    func beginEntry() throws { try run(savepoint) }
    func commitEntry() throws { try run(release) }

    func rollbackEntry() throws {
        try run(rollback)
        try run(release)
    }

    // MARK: Measures

    /// Writes `measure` and its run outcome, as ``MeasureStore/record(_:site:runID:at:)`` describes.
    func write(_ measure: Measure, site: String, runID: Int64) throws -> RecordOutcome {
        let period = measure.period
        let current = try currentRow(site: site, indicator: measure.indicatorID, period: period)
        let outcome: RecordOutcome
        if let current, current.observation == measure.observation {
            bind(confirm, [.int(runID), .text(timestamp), .int(current.id)])
            try run(confirm)
            outcome = .unchanged(measureID: current.id)
        } else {
            if let current {
                // Clear the flag first: the unique index allows one current row.
                bind(unflag, [.int(current.id)])
                try run(unflag)
            }
            let observation = measure.observation
            bind(insertMeasure, [
                .text(site), .text(measure.indicatorID), .text(period.type.rawValue), .int(Int64(period.index)),
                .text(period.label), .text(period.start.description), .text(period.end.description),
                .real(observation.value), .real(observation.numerator), .real(observation.denominator),
                .int(observation.sampleSize.map(Int64.init)),
                .real(observation.interval?.lower), .real(observation.interval?.upper), .real(observation.interval?.level),
                .text(observation.interval?.method),
                .text(observation.notAvailable?.reason.rawValue), .text(observation.notAvailable?.detail),
                .text(measure.provenance.plugin), .text(ProvenanceCoding.json(measure.provenance)),
                .int(runID), .int(runID), .text(timestamp), .text(timestamp),
            ])
            try run(insertMeasure)
            let id = sqlite3_last_insert_rowid(db.sqliteConnection)
            if let current {
                bind(supersede, [.int(id), .int(current.id)])
                try run(supersede)
                outcome = .superseded(measureID: id, previousID: current.id)
            } else {
                outcome = .inserted(measureID: id)
            }
        }
        let kind: RunOutcomeKind = measure.observation.notAvailable != nil
            ? .notAvailable : (outcome.isUnchanged ? .unchanged : .collected)
        try writeOutcome(runID: runID, indicator: measure.indicatorID, period: period.label, kind: kind,
                         reason: measure.observation.notAvailable?.description, measureID: outcome.measureID)
        return outcome
    }

    /// Writes the run outcome of an indicator-period.
    func writeOutcome(runID: Int64, indicator: String, period: String, kind: RunOutcomeKind, reason: String?,
                      measureID: Int64?) throws {
        bind(insertOutcome, [.int(runID), .text(indicator), .text(period), .text(kind.rawValue), .text(reason), .int(measureID)])
        try run(insertOutcome)
    }

    private func currentRow(site: String, indicator: String, period: Period) throws -> (id: Int64, observation: Observation)? {
        let statement = selectCurrent
        bind(statement, [.text(site), .text(indicator), .text(period.type.rawValue), .int(Int64(period.index))])
        defer { sqlite3_reset(statement) }
        switch sqlite3_step(statement) {
        case SQLITE_DONE:
            return nil
        case SQLITE_ROW:
            let id = sqlite3_column_int64(statement, 0)
            var interval: ConfidenceInterval?
            if let lower = real(statement, 5), let upper = real(statement, 6) {
                interval = ConfidenceInterval(lower: lower, upper: upper, level: real(statement, 7) ?? 0.95,
                                              method: text(statement, 8) ?? "")
            }
            var notAvailable: NotAvailable?
            if let reasonText = text(statement, 9) {
                guard let reason = NotAvailableReason(rawValue: reasonText) else {
                    throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "unknown not-available reason `\(reasonText)` in measure \(id)")
                }
                notAvailable = NotAvailable(reason, text(statement, 10) ?? "")
            }
            let sampleSize = sqlite3_column_type(statement, 4) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(statement, 4))
            let observation = Observation(value: real(statement, 1), numerator: real(statement, 2), denominator: real(statement, 3),
                                          sampleSize: sampleSize, interval: interval, notAvailable: notAvailable)
            return (id, observation)
        case let code:
            throw error(code)
        }
    }

    // MARK: Binding and stepping

    enum Value {
        case text(String?)
        case int(Int64?)
        case real(Double?)
    }

    /// Binds `values` to the statement's parameters, in order (a nil binds NULL).
    private func bind(_ statement: SQLiteStatement, _ values: [Value]) {
        sqlite3_reset(statement)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .text(let text?):
                _ = text.withCString { pointer in
                    sqlite3_bind_text(statement, index, pointer, Int32(text.utf8.count), Self.transient)
                }
            case .int(let number?):
                sqlite3_bind_int64(statement, index, number)
            case .real(let number?):
                sqlite3_bind_double(statement, index, number)
            case .text(nil), .int(nil), .real(nil):
                sqlite3_bind_null(statement, index)
            }
        }
    }

    /// Steps a statement that returns no rows to its end, then resets it.
    private func run(_ statement: SQLiteStatement) throws {
        defer { sqlite3_reset(statement) }
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw error(code) }
    }

    private func real(_ statement: SQLiteStatement, _ column: Int32) -> Double? {
        sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : sqlite3_column_double(statement, column)
    }

    private func text(_ statement: SQLiteStatement, _ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(statement, column) else { return nil }
        return String(cString: bytes)
    }

    /// SQLite's error for `code`, with its message, as GRDB would report it.
    private func error(_ code: Int32) -> DatabaseError {
        let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
    }

    /// SQLite copies the bound text (`SQLITE_TRANSIENT`, a macro Swift cannot import).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
