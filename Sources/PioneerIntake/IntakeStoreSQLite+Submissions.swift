// Submissions on SQLite: each stored with its bytes and summary in one IMMEDIATE transaction,
// numbered per site and period without gaps, answered once per distinct bytes; and read back
// every way the service needs.
internal import GRDB
import Foundation

extension SQLiteIntakeBackend {
    /// Stores `pending` in one transaction, or answers the earlier row with the same bytes for
    /// the same site and period.
    ///
    /// The transaction is IMMEDIATE: SQLite takes the write lock at BEGIN, so the latest
    /// version it reads cannot be overtaken by another process before the insert. The UNIQUE
    /// constraints make a writer that raced it anyway fail rather than duplicate or skip a
    /// number, and the whole transaction is then tried again.
    func store(_ pending: PendingSubmission, summaryJSON: String, definitions: [DefinitionRow]) async throws(IntakeStoreError) -> StoredRow {
        let operation = "store submission \(pending.id)"
        let body = Data(pending.bytes)
        let attempts = 5
        for attempt in 1...attempts {
            do {
                return try await pool.writeWithoutTransaction { db in
                    var result: StoredRow?
                    try db.inTransaction(.immediate) {
                        result = try Self.insert(pending, json: summaryJSON, body: body, definitions: definitions, db)
                        return .commit
                    }
                    guard let result else { throw IntakeStoreError(.other, path: "", operation: "", "the transaction gave no result") }
                    return result
                }
            } catch let error as DatabaseError where attempt < attempts
                && [.SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY].contains(error.extendedResultCode) {
                continue
            } catch {
                throw IntakeStoreError.from(error, path: path, operation: operation)
            }
        }
        throw IntakeStoreError(.busy, path: path, operation: operation,
                               "other writers took the next version \(attempts) times running; try again")
    }

    private static func insert(_ pending: PendingSubmission, json: String, body: Data, definitions: [DefinitionRow],
                               _ db: Database) throws -> StoredRow {
        var version: Int?
        if let site = pending.site, let period = pending.period {
            // Cached statements: every submission runs these three, and preparing them anew
            // each time was a twentieth of the writer's time.
            if let earlier = try Row.fetchOne(
                db.cachedStatement(sql: "\(IntakeSQL.recordColumns) FROM submission s WHERE s.site = ? AND s.period = ? AND s.digest = ?"),
                arguments: [site, period, pending.digest]) {
                return .duplicate(submissionRow(earlier))
            }
            let latest = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT MAX(version) FROM submission WHERE site = ? AND period = ?"), arguments: [site, period])
            version = (latest ?? 0) + 1
        }
        for definition in definitions {
            try db.execute(sql: IntakeSQL.insertDefinition(placeholders: ["?", "?", "?", "?", "?"]),
                           arguments: [definition.indicator, definition.version, definition.json, definition.indicator, definition.version])
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO submission (id, site, period, version, format, digest, size, received_at, status, late, summary, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [pending.id, pending.site, version == nil ? nil : pending.period, version,
                        pending.format.rawValue, pending.digest, pending.bytes.count, pending.receivedAt,
                        pending.summary.status.rawValue, pending.summary.late, json, body])
        if let rows = pending.rows {
            try insert(rows, db)
        }
        return .stored(version: version)
    }

    func submissions(site: String?, period: String?) async throws(IntakeStoreError) -> [SubmissionRow] {
        var conditions: [String] = []
        var arguments: [String] = []
        if let site {
            conditions.append("s.site = ?")
            arguments.append(site)
        }
        if let period {
            conditions.append("s.period = ?")
            arguments.append(period)
        }
        let sql = IntakeSQL.listing(conditions)
        let values = arguments
        return try await read("list submissions") { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(values)).map(Self.submissionRow)
        }
    }

    func body(ofSubmission id: String) async throws(IntakeStoreError) -> [UInt8]? {
        try await read("read submission \(id)") { db in
            try Data.fetchOne(db, sql: "SELECT body FROM submission WHERE id = ?", arguments: [id]).map { [UInt8]($0) }
        }
    }

    func submission(id: String) async throws(IntakeStoreError) -> SubmissionRow? {
        try await read("read submission \(id)") { db in
            try Row.fetchOne(db, sql: "\(IntakeSQL.recordColumns) FROM submission s WHERE s.id = ?", arguments: [id]).map(Self.submissionRow)
        }
    }

    func countingReturns(period: String) async throws(IntakeStoreError) -> [(row: SubmissionRow, bytes: [UInt8])] {
        try await read("read the returns that count for \(period)") { db in
            try Row.fetchAll(db, sql: IntakeSQL.counting(placeholder: "?"), arguments: [period]).map { row in
                (row: Self.submissionRow(row), bytes: [UInt8]((row["body"] as Data?) ?? Data()))
            }
        }
    }

    private static func submissionRow(_ row: Row) -> SubmissionRow {
        let counts: Int = row["counts"]
        return SubmissionRow(
            id: row["id"], site: row["site"], period: row["period"], version: row["version"], format: row["format"],
            digest: row["digest"], size: row["size"], receivedAt: row["received_at"], status: row["status"],
            late: row["late"], summary: row["summary"], counts: counts == 1)
    }
}
