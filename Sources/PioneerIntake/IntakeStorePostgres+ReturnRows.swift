// The rows of accepted returns on PostgreSQL: written with their submission, filled in for
// the submissions of an older database by the migration that adds them, and read back for
// the national aggregate with the queries both databases share (IntakeSQL).
import Foundation
import Logging
import PioneerKit
import PostgresNIO

extension PostgresIntakeBackend {
    /// Writes `rows` in the caller's transaction on `connection`: each table's rows in one
    /// INSERT of a fixed text, `SELECT … FROM json_to_recordset($1::json)`, the rows bound as
    /// one JSON array.
    ///
    /// A multi-row INSERT of a return's 150 measures had 1,800 parameters, and PostgreSQL parsed
    /// and planned it anew for every submission: 10 ms of the database's CPU a submission, its
    /// largest cost. COPY would have nothing to plan, but postgres-nio (1.33) traps the whole
    /// process when the database drops the connection during a COPY, and a server must answer
    /// 503 and carry on when its database restarts.
    static func insert(_ rows: ReturnRows, _ connection: PostgresConnection, logger: Logger) async throws {
        for (table, tableRows) in zip(ReturnRows.tables, rows.rows) {
            guard let first = tableRows.first else { continue }
            var binds = PostgresBindings(capacity: 1)
            binds.append(recordsJSON(tableRows, columns: table.columns))
            try await connection.query(PostgresQuery(unsafeSQL: insertSQL(table, types: first), binds: binds), logger: logger)
        }
    }

    /// `INSERT INTO table (columns) SELECT columns FROM json_to_recordset($1::json) AS r(column type, …)`,
    /// each column's type that of its cell in `types` (a row of the table).
    static func insertSQL(_ table: (name: String, columns: [String]), types: [SQLCell]) -> String {
        let columns = table.columns.joined(separator: ", ")
        let typed = zip(table.columns, types).map { column, cell in
            switch cell {
            case .text: "\(column) text"
            case .int: "\(column) bigint"
            case .double: "\(column) double precision"
            case .bool: "\(column) boolean"
            }
        }
        return "INSERT INTO \(table.name) (\(columns)) SELECT \(columns) FROM json_to_recordset($1::json) AS r(\(typed.joined(separator: ", ")))"
    }

    /// `rows` as a JSON array of objects keyed by `columns`. Doubles are written as Swift's
    /// shortest text that reads back as the same double, which PostgreSQL's float8 input reads
    /// exactly, so every value comes back bit for bit; NULL is `null`.
    static func recordsJSON(_ rows: [[SQLCell]], columns: [String]) -> String {
        var out = "["
        out.reserveCapacity(rows.count * 256)
        for (index, row) in rows.enumerated() {
            out += index == 0 ? "{" : ",{"
            for (column, cell) in zip(columns, row) {
                if column != columns[0] { out += "," }
                JSONText.appendString(column, to: &out)
                out += ":"
                switch cell {
                case .text(let text?): JSONText.appendString(text, to: &out)
                case .int(let number?): out += String(number)
                case .double(let number?): out += number.description
                case .bool(let flag): out += flag ? "true" : "false"
                case .text(nil), .int(nil), .double(nil): out += "null"
                }
            }
            out += "}"
        }
        return out + "]"
    }

    /// Writes the rows of every accepted submission stored before the rows existed, reading
    /// each one's bytes once; in the migration's transaction, so an upgrade is whole or not at all.
    /// Bytes that cannot be read back get no rows, and the aggregate names them as corrupt.
    static func backfillReturnRows(_ connection: PostgresConnection, logger: Logger) async throws {
        var texts: [String] = []
        for try await text in try await connection.query(
            "SELECT definition FROM indicator_definition ORDER BY indicator, version", logger: logger).decode(String.self) {
            texts.append(text)
        }
        let catalogue = IntakeStore.catalogue(definitionTexts: texts)
        var submissions: [(id: String, format: String)] = []
        for try await (id, format) in try await connection.query(
            PostgresQuery(unsafeSQL: IntakeSQL.submissionsToBackfill), logger: logger).decode((String, String).self) {
            submissions.append((id, format))
        }
        for submission in submissions {
            var body: [UInt8]?
            for try await buffer in try await connection.query(
                "SELECT body FROM submission WHERE id = \(submission.id)", logger: logger).decode(ByteBuffer.self) {
                var buffer = buffer
                body = buffer.readBytes(length: buffer.readableBytes)
            }
            guard let body, let rows = ReturnRows(backfilling: submission.id, format: submission.format, bytes: body, catalogue: catalogue)
            else { continue }
            try await insert(rows, connection, logger: logger)
        }
    }

    /// One transaction, REPEATABLE READ and READ ONLY: every query sees the same snapshot,
    /// so the sites' versions, their measures and their goals are of the same submissions
    /// (at READ COMMITTED each statement saw the versions committed before it began).
    func countingRows(period: String, allPeriods: Bool, versionCounts: Bool,
                      definitions: @escaping @Sendable ([String]) -> Void,
                      _ each: @escaping @Sendable (MeasureRow) -> Void) async throws(IntakeStoreError) -> CountingRows {
        let operation = "read the returns that count for \(period)"
        let binds = try bindings([period], operation)
        return try await withTransaction(operation, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY") { connection in
            let logger = self.logger
            var rows = CountingRows()
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: IntakeSQL.countingSites("$1"), binds: binds), logger: logger) {
                let cells = row.makeRandomAccess()
                rows.sites.append(CountingSiteRow(
                    id: try cells["id"].decode(String.self), site: try cells["site"].decode(String.self),
                    version: try cells["version"].decode(Int.self), format: try cells["format"].decode(String.self),
                    receivedAt: try cells["received_at"].decode(String.self), schemaVersion: try cells["schema_version"].decode(Int?.self),
                    generatedAt: try cells["generated_at"].decode(String?.self), complete: try cells["complete"].decode(Bool?.self)))
            }
            if versionCounts {
                for try await (site, count) in try await connection.query(
                    "SELECT site, COUNT(*) FROM submission WHERE period = \(period) GROUP BY site", logger: logger).decode((String?, Int).self) {
                    if let site { rows.versionCounts[site] = count }
                }
            }
            guard !rows.sites.isEmpty else { return rows }
            var texts: [String] = []
            for try await text in try await connection.query(
                "SELECT definition FROM indicator_definition ORDER BY indicator, version", logger: logger).decode(String.self) {
                texts.append(text)
            }
            definitions(texts)
            // The rows are handed on as they arrive: postgres-nio reads them from the socket
            // as the loop asks, so a period's measures are never all held at once here.
            // Cells decoded in the SELECT's column order, each as its own concrete type: by
            // name, each cell was a dictionary look-up, and postgres-nio's tuple decoding is
            // generic at run time; either was a third of the aggregate's time at national scale.
            // work_mem raised for this transaction only: a national period's 63,000 rows
            // overflowed PostgreSQL's default 4 MB and were sorted on disk.
            try await connection.query("SET LOCAL work_mem = '64MB'", logger: logger)
            let measures = PostgresQuery(unsafeSQL: IntakeSQL.countingMeasures("$1", allPeriods: allPeriods), binds: binds)
            for try await row in try await connection.query(measures, logger: logger) {
                var cells = Cells(row)
                each(MeasureRow(
                    site: try cells.next(String.self), indicatorPosition: try cells.next(Int.self),
                    indicator: try cells.next(String.self), definitionVersion: try cells.next(String.self),
                    period: try cells.next(String?.self), value: try cells.next(Double?.self),
                    numerator: try cells.next(Double?.self), denominator: try cells.next(Double?.self),
                    sampleSize: try cells.next(Int?.self), lower: try cells.next(Double?.self), upper: try cells.next(Double?.self),
                    notAvailable: try cells.next(String?.self), notAvailableDetail: try cells.next(String?.self)))
            }
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: IntakeSQL.countingGoals("$1"), binds: binds), logger: logger) {
                let cells = row.makeRandomAccess()
                rows.goals.append(GoalRow(
                    site: try cells["site"].decode(String.self), goal: try cells["goal"].decode(String.self),
                    indicator: try cells["indicator"].decode(String.self), title: try cells["title"].decode(String.self),
                    status: try cells["status"].decode(String?.self), rag: try cells["rag"].decode(String?.self),
                    confidence: try cells["confidence"].decode(String?.self), agreement: try cells["agreement"].decode(String.self)))
            }
            return rows
        }
    }
}

/// A row's cells in the order its query selects them.
private struct Cells {
    private var iterator: PostgresRow.Iterator

    init(_ row: PostgresRow) {
        iterator = row.makeIterator()
    }

    mutating func next<Value: PostgresDecodable>(_ type: Value.Type) throws -> Value {
        guard let cell = iterator.next() else {
            throw IntakeStoreError(.other, path: "", operation: "", "a row has fewer columns than its query selects")
        }
        return try cell.decode(type)
    }
}
