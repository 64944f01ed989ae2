// The rows of accepted returns on SQLite: written with their submission, filled in for the
// submissions of an older database by the migration that adds them, and read back for the
// national aggregate with the queries both databases share (IntakeSQL).
internal import GRDB
internal import GRDBSQLite
import Foundation

extension SQLiteIntakeBackend {
    /// Writes `rows` in the caller's transaction.
    ///
    /// One prepared single-row INSERT a table, bound and stepped through SQLite's C API for
    /// each row (GRDB documents `sqliteStatement` for this, and PioneerStore's batches do the
    /// same). Every submission writes a few hundred rows, and GRDB's statement arguments
    /// (an existential a cell, checked and copied) and the multi-row statement text built
    /// for each submission cost more than SQLite's own work.
    static func insert(_ rows: ReturnRows, _ db: Database) throws {
        for (sql, tableRows) in zip(singleRowInserts, rows.rows) where !tableRows.isEmpty {
            let statement = try db.cachedStatement(sql: sql).sqliteStatement
            for row in tableRows {
                // Every parameter is bound for every row, so no binding is left from the last.
                sqlite3_reset(statement)
                for (offset, cell) in row.enumerated() {
                    bind(cell, at: Int32(offset + 1), statement)
                }
                let code = sqlite3_step(statement)
                sqlite3_reset(statement)
                guard code == SQLITE_DONE else {
                    let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
                }
            }
        }
    }

    /// `INSERT INTO table (columns) VALUES (?, ...)` for each of ``ReturnRows/tables``, in order.
    private static let singleRowInserts: [String] = ReturnRows.tables.map { table in
        "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: table.columns.count).joined(separator: ", ") + ")"
    }

    private static func bind(_ cell: SQLCell, at index: Int32, _ statement: SQLiteStatement) {
        switch cell {
        case .text(let text?):
            _ = text.withCString { pointer in
                sqlite3_bind_text(statement, index, pointer, Int32(text.utf8.count), transient)
            }
        case .int(let number?):
            sqlite3_bind_int64(statement, index, Int64(number))
        case .double(let number?):
            sqlite3_bind_double(statement, index, number)
        case .bool(let flag):
            sqlite3_bind_int64(statement, index, flag ? 1 : 0)
        case .text(nil), .int(nil), .double(nil):
            sqlite3_bind_null(statement, index)
        }
    }

    /// SQLite copies the bound text (`SQLITE_TRANSIENT`, a macro Swift cannot import).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Writes the rows of every accepted submission stored before the rows existed, reading
    /// each one's bytes once; in the migration's transaction, so an upgrade is whole or not at all.
    /// Bytes that cannot be read back get no rows, and the aggregate names them as corrupt.
    static func backfillReturnRows(_ db: Database) throws {
        let catalogue = IntakeStore.catalogue(definitionTexts: try String.fetchAll(
            db, sql: "SELECT definition FROM indicator_definition ORDER BY indicator, version"))
        let submissions = try Row.fetchAll(db, sql: IntakeSQL.submissionsToBackfill).map { row in
            (id: row["id"] as String, format: row["format"] as String)
        }
        for submission in submissions {
            guard let body = try Data.fetchOne(db, sql: "SELECT body FROM submission WHERE id = ?", arguments: [submission.id]),
                  let rows = ReturnRows(backfilling: submission.id, format: submission.format, bytes: [UInt8](body), catalogue: catalogue)
            else { continue }
            try insert(rows, db)
        }
    }

    /// One read of the pool: GRDB runs it in one transaction, a snapshot of the WAL, so every
    /// query sees the same submissions whatever is written meanwhile.
    func countingRows(period: String, allPeriods: Bool, versionCounts: Bool,
                      definitions: @escaping @Sendable ([String]) -> Void,
                      _ each: @escaping @Sendable (MeasureRow) -> Void) async throws(IntakeStoreError) -> CountingRows {
        try await read("read the returns that count for \(period)") { db in
            var rows = CountingRows()
            rows.sites = try Row.fetchAll(db, sql: IntakeSQL.countingSites("?1"), arguments: [period]).map { row in
                CountingSiteRow(id: row["id"], site: row["site"], version: row["version"], format: row["format"],
                                receivedAt: row["received_at"], schemaVersion: row["schema_version"],
                                generatedAt: row["generated_at"], complete: row["complete"])
            }
            if versionCounts {
                for row in try Row.fetchAll(db, sql: "SELECT site, COUNT(*) AS n FROM submission WHERE period = ? GROUP BY site",
                                            arguments: [period]) {
                    if let site: String = row["site"] { rows.versionCounts[site] = row["n"] }
                }
            }
            guard !rows.sites.isEmpty else { return rows }
            definitions(try String.fetchAll(db, sql: "SELECT definition FROM indicator_definition ORDER BY indicator, version"))
            let measures = try Row.fetchCursor(db, sql: IntakeSQL.countingMeasures("?1", allPeriods: allPeriods), arguments: [period])
            while let row = try measures.next() {
                each(MeasureRow(
                    site: row["site"], indicatorPosition: row["indicator_position"], indicator: row["indicator"],
                    definitionVersion: row["definition_version"], period: row["period"], value: row["value"],
                    numerator: row["numerator"], denominator: row["denominator"], sampleSize: row["sample_size"],
                    lower: row["interval_lower"], upper: row["interval_upper"], notAvailable: row["not_available"],
                    notAvailableDetail: row["not_available_detail"]))
            }
            rows.goals = try Row.fetchAll(db, sql: IntakeSQL.countingGoals("?1"), arguments: [period]).map { row in
                GoalRow(site: row["site"], goal: row["goal"], indicator: row["indicator"], title: row["title"],
                        status: row["status"], rag: row["rag"], confidence: row["confidence"], agreement: row["agreement"])
            }
            return rows
        }
    }
}

extension SQLCell {
    var databaseValue: DatabaseValue {
        switch self {
        case .text(let text): text?.databaseValue ?? .null
        case .int(let int): int?.databaseValue ?? .null
        case .double(let double): double?.databaseValue ?? .null
        case .bool(let bool): bool.databaseValue
        }
    }
}
